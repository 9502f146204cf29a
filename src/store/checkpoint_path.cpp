// Resolving and vetting a checkpoint's path (see checkpoint_path.hpp).
#include "checkpoint_path.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "h5_handle.hpp"
#include "hpo/store/checkpoint.hpp"
#include "hpo/store/checkpoint_path.hpp"

namespace hpo::store {

std::filesystem::path real_path(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    fs::path current = path;
    // The kernel's own limit on links followed in one lookup (MAXSYMLINKS).
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        if (!fs::is_symlink(fs::symlink_status(current, ec))) return current;
        const fs::path target = fs::read_symlink(current, ec);
        if (ec) throw StoreFailure("cannot read the symbolic link " + current.string() + ": " + ec.message());
        // Not normalized: ".." after a linked directory must mean what the kernel makes of it.
        current = target.is_absolute() ? target : current.parent_path() / target;
    }
    throw StoreFailure("too many levels of symbolic links");
}

std::string non_regular_kind(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "";
    switch (st.st_mode & S_IFMT) {
    case S_IFREG: return "";
    case S_IFDIR: return "a directory";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFIFO: return "a FIFO (named pipe)";
    case S_IFSOCK: return "a socket";
    default: return "a special file";
    }
}

void require_regular_or_absent(const std::filesystem::path& real) {
    const std::string kind = non_regular_kind(real);
    if (kind.empty()) return;
    throw StoreFailure("is " + kind + ", not a regular file: hpo never writes over, replaces or renames " +
                       "anything but a regular file (name a file for the checkpoint)");
}

void require_single_name(const std::filesystem::path& real) {
    struct stat st {};
    if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink <= 1) return;
    throw StoreFailure("has " + std::to_string(st.st_nlink) +
                       " names (hard links): hpo cannot continue it, since its writer's lock covers one name only "
                       "and a rewrite (rename) would split the names; keep one name, or continue a copy");
}

}  // namespace hpo::store

namespace hpo {

void check_checkpoint_path(const std::filesystem::path& path) {
    try {
        store::require_regular_or_absent(store::real_path(path));
    } catch (const store::StoreFailure& e) {
        throw CheckpointError("checkpoint '" + path.string() + "': " + e.what());
    }
}

}  // namespace hpo
