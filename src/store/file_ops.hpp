// What the store does to files below HDF5: peeking at the superblock, atomic publication of a
// new file, fsync, and the lock that keeps a second writer out.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace hpo::store {

struct FileProbe {
    bool exists = false;
    bool regular = false;
    std::uintmax_t size = 0;
    int read_error = 0;               // errno of opening it for reading, 0 if it opened
    bool hdf5 = false;                // the HDF5 signature at 0, 512, 1024, ...
    int superblock_version = -1;
    unsigned status_flags = 0;        // superblock 2+: bit 0 open for write, bit 2 open for SWMR write
};

inline constexpr unsigned sb_write_access = 0x01;
inline constexpr unsigned sb_swmr_write_access = 0x04;

FileProbe probe_file(const std::filesystem::path& path);

// A new name next to `path` (same directory, so that rename is atomic), not yet existing.
std::filesystem::path temporary_sibling(const std::filesystem::path& path);

// Removes temporaries that a writer of `path` left when killed. Only while holding its
// WriterLock: every temporary is made under that lock, so none of them is in use then.
void remove_stale_temporaries(const std::filesystem::path& path);

// fsync of a file's data, and of a directory (so that a rename in it survives a power loss).
void sync_file(const std::filesystem::path& path);
void sync_directory(const std::filesystem::path& directory);

// Moves `from` to `to` atomically. replace = false fails with StoreFailure("... already exists")
// if `to` exists (no window where another file could be overwritten).
void publish(const std::filesystem::path& from, const std::filesystem::path& to, bool replace);

// An exclusive lock held for the lifetime of a checkpoint's writer, on a sidecar file
// `<checkpoint>.lock`: locking the checkpoint itself would collide with HDF5's own flock of it on
// file systems that emulate flock with fcntl locks (NFS). An open-file-description lock (fcntl
// F_OFD_SETLK): the kernel drops it when the writer dies, so a stale lock file is harmless and is
// removed by the next clean close. Readers do not take it. Where the file system has no locks it
// is a no-op.
class WriterLock {
public:
    WriterLock() = default;
    // Throws StoreFailure("... is in use by another writer") if another process holds it.
    static WriterLock acquire(const std::filesystem::path& checkpoint);
    WriterLock(WriterLock&& other) noexcept;
    WriterLock& operator=(WriterLock&& other) noexcept;
    WriterLock(const WriterLock&) = delete;
    WriterLock& operator=(const WriterLock&) = delete;
    ~WriterLock();

    // Unlocks and removes the lock file.
    void release();

private:
    WriterLock(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
    int fd_ = -1;
    std::filesystem::path path_;
};

}  // namespace hpo::store
