// POSIX file operations of the store: superblock probe, atomic publish, fsync, writer lock.
#include "file_ops.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <utility>

#include "h5_handle.hpp"

namespace hpo::store {
namespace {

std::string errno_text(int error) { return std::strerror(error); }

std::string temporary_prefix(const std::filesystem::path& path) {
    return "." + path.filename().string() + ".tmp-";
}

constexpr unsigned char hdf5_signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

void sync_path(const std::filesystem::path& path, int flags, const char* what) {
    Fd fd(::open(path.c_str(), flags | O_CLOEXEC));
    if (fd.get() < 0) throw StoreFailure(std::string("opening ") + what + " " + path.string() + ": " + errno_text(errno));
    if (::fsync(fd.get()) != 0 && errno != EINVAL)  // EINVAL: the file system cannot sync this
        throw StoreFailure(std::string("fsync of ") + what + " " + path.string() + ": " + errno_text(errno));
}

}  // namespace

FileProbe probe_file(const std::filesystem::path& path) {
    FileProbe probe;
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    probe.exists = std::filesystem::exists(status);
    if (!probe.exists) return probe;
    probe.regular = std::filesystem::is_regular_file(status);
    if (!probe.regular) return probe;
    probe.size = std::filesystem::file_size(path, ec);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        probe.read_error = errno;
        return probe;
    }
    ::close(fd);
    std::ifstream in(path, std::ios::binary);
    if (!in) return probe;
    // The superblock sits at 0 or, after a user block, at 512, 1024, 2048, ...
    for (std::uintmax_t at = 0; at + 16 <= probe.size; at = at == 0 ? 512 : at * 2) {
        unsigned char head[16] = {};
        in.seekg(static_cast<std::streamoff>(at));
        if (!in.read(reinterpret_cast<char*>(head), sizeof head)) break;
        if (std::memcmp(head, hdf5_signature, sizeof hdf5_signature) != 0) continue;
        probe.hdf5 = true;
        probe.superblock_version = head[8];
        // Versions 2 and 3: signature, version, size of offsets, size of lengths, flags.
        if (probe.superblock_version >= 2) probe.status_flags = head[11];
        break;
    }
    return probe;
}

std::filesystem::path temporary_sibling(const std::filesystem::path& path) {
    static std::atomic<unsigned> counter{0};
    std::random_device device;
    const std::string name = temporary_prefix(path) + std::to_string(::getpid()) + "-" +
                             std::to_string(counter++) + "-" + std::to_string(device() % 1000000);
    return path.parent_path() / name;
}

void remove_stale_temporaries(const std::filesystem::path& path) {
    const std::string prefix = temporary_prefix(path);
    const auto directory = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::error_code ec;
    for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.compare(0, prefix.size(), prefix) == 0) {
            std::error_code ignored;
            std::filesystem::remove(it->path(), ignored);
        }
    }
}

void sync_file(const std::filesystem::path& path) { sync_path(path, O_RDONLY, "file"); }

void sync_directory(const std::filesystem::path& directory) {
    sync_path(directory.empty() ? std::filesystem::path(".") : directory, O_RDONLY | O_DIRECTORY, "directory");
}

void publish(const std::filesystem::path& from, const std::filesystem::path& to, bool replace) {
    if (replace) {
        if (::rename(from.c_str(), to.c_str()) != 0)
            throw StoreFailure("renaming " + from.string() + " to " + to.string() + ": " + errno_text(errno));
        return;
    }
    // link() fails if `to` exists, atomically; then the temporary name goes.
    if (::link(from.c_str(), to.c_str()) == 0) {
        ::unlink(from.c_str());
        return;
    }
    const int link_error = errno;
    if (link_error == EEXIST) throw StoreFailure("already exists");
    // File systems without hard links: the same guarantee from renameat2.
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return;
    if (errno == EEXIST) throw StoreFailure("already exists");
    throw StoreFailure("creating " + to.string() + ": " + errno_text(link_error));
}

WriterLock WriterLock::acquire(const std::filesystem::path& checkpoint) {
    std::filesystem::path path = checkpoint;
    path += ".lock";
    // Retry when the lock file was removed between open and lock (its holder closed): the lock
    // must be on the file that the path names.
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) throw StoreFailure("cannot create the lock file " + path.string() + ": " + errno_text(errno));
        WriterLock lock(fd, path);
        struct flock request {};
        request.l_type = F_WRLCK;
        request.l_whence = SEEK_SET;
        if (::fcntl(fd, F_OFD_SETLK, &request) != 0) {
            if (errno == EAGAIN || errno == EACCES) {
                lock.path_.clear();  // not ours to remove
                throw StoreFailure("is in use by another writer (another process holds " + path.string() + ")");
            }
            return lock;  // ENOLCK, EINVAL, EOPNOTSUPP: no locks on this file system; go on without
        }
        struct stat held {}, named {};
        if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino)
            return lock;
        lock.path_.clear();
    }
    throw StoreFailure("cannot lock " + path.string() + ": it keeps being replaced");
}

WriterLock::WriterLock(WriterLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {
    other.path_.clear();
}

WriterLock& WriterLock::operator=(WriterLock&& other) noexcept {
    if (this != &other) {
        release();
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
        other.path_.clear();
    }
    return *this;
}

WriterLock::~WriterLock() { release(); }

void WriterLock::release() {
    if (fd_ < 0) return;
    // Removed while still held: whoever opened it meanwhile sees another inode and retries.
    if (!path_.empty()) ::unlink(path_.c_str());
    ::close(fd_);
    fd_ = -1;
    path_.clear();
}

}  // namespace hpo::store
