// Moving an existing checkpoint out of a new run's way (see set_aside.hpp).
#include "hpo/store/set_aside.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <fcntl.h>

#include "file_ops.hpp"
#include "h5_handle.hpp"
#include "hpo/store/checkpoint.hpp"

namespace hpo {

std::filesystem::path set_aside_checkpoint(const std::filesystem::path& path) {
    try {
        // Under the writer's lock: a checkpoint that a live run is writing is never moved.
        store::WriterLock lock = store::WriterLock::acquire(path);
        for (int n = 1;; ++n) {
            std::filesystem::path candidate = path;
            candidate.replace_filename(path.stem().string() + "." + std::to_string(n) + path.extension().string());
            // RENAME_NOREPLACE: a file that appears under the candidate name meanwhile is never overwritten.
            if (::renameat2(AT_FDCWD, path.c_str(), AT_FDCWD, candidate.c_str(), RENAME_NOREPLACE) == 0) {
                lock.release();
                return candidate;
            }
            if (errno != EEXIST) {
                throw CheckpointError("cannot rename checkpoint '" + path.string() + "' to '" + candidate.string() +
                                      "': " + std::strerror(errno));
            }
        }
    } catch (const store::StoreFailure& failure) {
        throw CheckpointError("checkpoint '" + path.string() + "': " + failure.what());
    }
}

}  // namespace hpo
