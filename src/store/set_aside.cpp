// Moving an existing checkpoint out of a new run's way (see set_aside.hpp).
#include "hpo/store/set_aside.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <fcntl.h>

#include "checkpoint_path.hpp"
#include "file_ops.hpp"
#include "h5_handle.hpp"
#include "hpo/store/checkpoint.hpp"

namespace hpo {

std::filesystem::path set_aside_checkpoint(const std::filesystem::path& path) {
    try {
        // The file itself is moved, not a symbolic link to it (the link then names the new run's
        // file); and only a regular file: never a directory or a device.
        const std::filesystem::path real = store::real_path(path);
        store::require_regular_or_absent(real);
        // Under the writer's lock: a checkpoint that a live run is writing is never moved.
        store::WriterLock lock = store::WriterLock::acquire(real);
        store::require_regular_or_absent(real);
        for (int n = 1;; ++n) {
            std::filesystem::path candidate = real;
            candidate.replace_filename(real.stem().string() + "." + std::to_string(n) + real.extension().string());
            // RENAME_NOREPLACE: a file that appears under the candidate name meanwhile is never overwritten.
            if (::renameat2(AT_FDCWD, real.c_str(), AT_FDCWD, candidate.c_str(), RENAME_NOREPLACE) == 0) {
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
