// Preparing a trial's checkpoint directory: the earlier run's removed, the parent's copied under a
// partial name, then renamed into place (see checkpoint_dir.hpp).
#include "hpo/exec/checkpoint_dir.hpp"

#include <fcntl.h>
#include <linux/fs.h>  // FICLONE
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <climits>
#include <system_error>

#include "hpo/exec/kernel.hpp"
#include "errno_text.hpp"
#include "unique_fd.hpp"

namespace hpo {

namespace {

namespace fs = std::filesystem;
using namespace exec_detail;

constexpr std::size_t copy_buffer_bytes = 1 << 20;

// Where a copy failed: reading the parent's directory (what its kernel left there) or writing the
// copy (the root's filesystem: hpo's trouble).
enum class Side { parent, copy };

struct CopyFailure {
    Side side;
    int error;  // errno; 0: an entry of a kind that is not copied
    std::string what;
};

[[noreturn]] void fail(Side side, int error, const std::string& doing, const fs::path& path) {
    throw CopyFailure{side, error, doing + " " + path.string() + (error ? ": " + errno_text(error) : "")};
}

// Failures that come from what the parent's kernel left, not from hpo's filesystem: its trial
// then fails, the run goes on. Anything else (EIO, ENOSPC, EDQUOT, EROFS...) stops the run.
bool parents_doing(const CopyFailure& failure) {
    if (failure.side != Side::parent) return false;
    const int e = failure.error;
    return e == 0 || e == EACCES || e == EPERM || e == ENOENT || e == ELOOP || e == ENAMETOOLONG;
}

// The fallback of last resort, for filesystems without copy_file_range between these files.
void read_write_copy(int in, int out, const fs::path& from, const fs::path& to) {
    std::string buffer(copy_buffer_bytes, '\0');
    for (;;) {
        const ssize_t got = ::read(in, buffer.data(), buffer.size());
        if (got == 0) return;
        if (got < 0) {
            if (errno == EINTR) continue;
            fail(Side::parent, errno, "cannot read", from);
        }
        for (ssize_t done = 0; done < got;) {
            const ssize_t put = ::write(out, buffer.data() + done, static_cast<std::size_t>(got - done));
            if (put < 0) {
                if (errno == EINTR) continue;
                fail(Side::copy, errno, "cannot write", to);
            }
            done += put;
        }
    }
}

// Each file gets blocks of its own, or blocks shared copy-on-write (a reflink): NEVER a hard link.
// A hard link is the same inode: a kernel that rewrites a file in place (open with O_TRUNC, as
// torch.save and numpy.save do on an existing path, or appends to a log) would change its
// parent's file too, and with it every sibling that inherited the same checkpoint.
void copy_file(const fs::path& from, const fs::path& to, mode_t mode) {
    UniqueFd in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!in) fail(Side::parent, errno, "cannot open", from);
    UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!out) fail(Side::copy, errno, "cannot create", to);

    // A reflink (btrfs, XFS, bcachefs; OCFS2): no data copied, and a write to either file later
    // unshares the blocks it touches.
    bool copied = ::ioctl(out.get(), FICLONE, in.get()) == 0;
    // copy_file_range: the copy stays in the kernel (and is a reflink or a server-side copy where
    // the filesystem can: XFS, NFS 4.2, CephFS...). Refused between some filesystems: read/write.
    for (off_t total = 0; !copied;) {
        const ssize_t n = ::copy_file_range(in.get(), nullptr, out.get(), nullptr, copy_buffer_bytes * 64, 0);
        if (n > 0) {
            total += n;
            continue;
        }
        if (n == 0) {
            struct stat info {};
            // 0 at the start of a file that is not empty: a filesystem that reports no data this
            // way (procfs and the like): read it instead.
            if (total == 0 && ::fstat(in.get(), &info) == 0 && info.st_size > 0) {
                read_write_copy(in.get(), out.get(), from, to);
            }
            copied = true;
        } else if (errno == EINTR) {
            continue;
        } else if (total == 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL)) {
            read_write_copy(in.get(), out.get(), from, to);
            copied = true;
        } else {
            fail(Side::copy, errno, "cannot copy", from);
        }
    }
    if (::fchmod(out.get(), mode & 07777) != 0) fail(Side::copy, errno, "cannot set the mode of", to);
}

// The directory `from` as a new directory `to`: files copied, subdirectories recursively,
// symbolic links as links to the same target (a relative link stays relative, so that it points
// inside the copy if it pointed inside the parent's directory).
void copy_tree(const fs::path& from, const fs::path& to, mode_t mode) {
    // Writable by us while it fills; its own mode at the end (a read-only directory stays one).
    if (::mkdir(to.c_str(), 0700) != 0) fail(Side::copy, errno, "cannot create", to);
    std::error_code ec;
    fs::directory_iterator it(from, ec);
    if (ec) fail(Side::parent, ec.value(), "cannot list", from);
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        const fs::path source = it->path();
        const fs::path target = to / source.filename();
        struct stat info {};
        if (::lstat(source.c_str(), &info) != 0) fail(Side::parent, errno, "cannot read", source);
        if (S_ISDIR(info.st_mode)) {
            copy_tree(source, target, info.st_mode);
        } else if (S_ISREG(info.st_mode)) {
            copy_file(source, target, info.st_mode);
        } else if (S_ISLNK(info.st_mode)) {
            std::string link(static_cast<std::size_t>(info.st_size > 0 ? info.st_size : PATH_MAX) + 1, '\0');
            const ssize_t length = ::readlink(source.c_str(), link.data(), link.size());
            if (length < 0) fail(Side::parent, errno, "cannot read the link", source);
            link.resize(static_cast<std::size_t>(length));
            if (::symlink(link.c_str(), target.c_str()) != 0) fail(Side::copy, errno, "cannot create the link", target);
        } else {
            fail(Side::parent, 0, "cannot copy", source);  // a FIFO, socket or device node
        }
    }
    if (ec) fail(Side::parent, ec.value(), "cannot list", from);
    if (::chmod(to.c_str(), mode & 07777) != 0) fail(Side::copy, errno, "cannot set the mode of", to);
}

void remove_tree(const fs::path& path, const std::string& what) {
    std::error_code ec;
    fs::remove_all(path, ec);
    if (ec) throw SetupError("cannot remove " + what + " " + path.string() + ": " + ec.message());
}

}  // namespace

fs::path checkpoint_dir_of(const fs::path& root, TrialId id) { return root / std::to_string(id); }

std::optional<TrialId> checkpoint_trial_of(std::string_view name) {
    if (name.empty() || (name.size() > 1 && name.front() == '0')) return std::nullopt;
    TrialId id = 0;
    const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), id);
    if (error != std::errc() || end != name.data() + name.size()) return std::nullopt;
    return id;
}

PreparedCheckpoint prepare_checkpoint_dir(const fs::path& given_root, TrialId id, std::optional<TrialId> parent) {
    std::error_code ec;
    const fs::path root = (given_root.is_absolute() ? given_root : fs::absolute(given_root, ec)).lexically_normal();
    if (ec) throw SetupError("cannot resolve the checkpoint root '" + given_root.string() + "': " + ec.message());
    PreparedCheckpoint prepared{checkpoint_dir_of(root, id), ""};
    remove_tree(prepared.dir, "the checkpoint directory an earlier run of the trial left,");
    fs::create_directories(root, ec);
    if (ec) throw SetupError("cannot create the checkpoint root " + root.string() + ": " + ec.message());
    if (!parent) {
        if (::mkdir(prepared.dir.c_str(), 0777) != 0) {
            throw SetupError("cannot create the checkpoint directory " + prepared.dir.string() + ": " + errno_text(errno));
        }
        return prepared;
    }

    const fs::path from = checkpoint_dir_of(root, *parent);
    const std::string whose = "the checkpoint directory of its parent trial " + std::to_string(*parent);
    struct stat info {};
    const int stat_error = ::stat(from.c_str(), &info) == 0 ? 0 : errno;
    if (stat_error == EIO || stat_error == ENOMEM) {
        throw SetupError("cannot read " + whose + ", " + from.string() + ": " + errno_text(stat_error));
    }
    if (stat_error != 0 || !S_ISDIR(info.st_mode)) {
        prepared.failure = whose + " is missing: " + from.string() +
                           " (removed by hand, or the checkpoint root is not shared by every node?)";
        return prepared;
    }
    const fs::path partial = root / (std::string(partial_checkpoint_prefix) + std::to_string(id) + "-" + std::to_string(::getpid()));
    remove_tree(partial, "a partial copy");
    try {
        copy_tree(from, partial, info.st_mode);
    } catch (const CopyFailure& failure) {
        fs::remove_all(partial, ec);
        if (parents_doing(failure)) {
            prepared.failure = "cannot copy " + whose + ": " + failure.what;
            return prepared;
        }
        throw SetupError("cannot copy " + whose + ": " + failure.what);
    }
    // Atomic: after a crash, <root>/<id> is either absent or the whole copy.
    if (::rename(partial.c_str(), prepared.dir.c_str()) != 0) {
        const int error = errno;
        fs::remove_all(partial, ec);
        throw SetupError("cannot rename " + partial.string() + " to " + prepared.dir.string() + ": " + errno_text(error));
    }
    return prepared;
}

std::vector<std::string> with_checkpoint_dir(std::vector<std::string> words, const std::string& dir) {
    for (std::string& word : words) {
        for (auto at = word.find(checkpoint_token); at != std::string::npos;
             at = word.find(checkpoint_token, at + dir.size())) {
            word.replace(at, checkpoint_token.size(), dir);
        }
    }
    return words;
}

}  // namespace hpo
