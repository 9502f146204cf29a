// CheckpointWriter: creating and reopening checkpoints safely, then live appends in SWMR mode.
#include "hpo/store/checkpoint_writer.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <fcntl.h>

#include "checkpoint_path.hpp"
#include "checkpoint_reader.hpp"
#include "commit_writer.hpp"
#include "config_io.hpp"
#include "file_ops.hpp"
#include "new_file.hpp"

namespace hpo {

struct CheckpointWriter::Impl {
    std::filesystem::path path;  // as given (messages, path())
    RunOptions options;
    CheckpointWriterOptions settings;
    store::WriterLock lock;
    store::Handle file;
    std::unique_ptr<store::CommitWriter> writer;
    bool broken = false;  // a commit failed: the file holds the previous one; refuse to go on

    // `real`: the file `path` names (store::real_path), which is opened.
    static std::unique_ptr<Impl> make(const std::filesystem::path& path, const std::filesystem::path& real,
                                      RunOptions options, store::WriterLock lock, CheckpointWriterOptions settings,
                                      std::string saved_state);

    [[noreturn]] void fail(const std::string& problem) const {
        throw CheckpointError(store::checkpoint_prefix(path) + problem);
    }
};

namespace {

using store::StoreFailure;

std::string space_text(const SearchSpace& space) {
    std::string text = "{";
    for (const auto& p : space) text += (text.size() > 1 ? "; " : "") + p.describe();
    return text + "}";
}

// Writes the complete checkpoint beside `path` and moves it into place: readers see the old file
// or the new one, never a partial one.
void write_and_publish(const std::filesystem::path& path, const RunOptions& options, const Checkpoint& content,
                       bool replace) {
    const auto temporary = store::temporary_sibling(path);
    try {
        store::write_new_file(temporary, options, content.trials, content.intermediate, content.strategy_state,
                              content.finished);
        store::sync_file(temporary);
        store::publish(temporary, path, replace);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw;
    }
    store::sync_directory(path.parent_path());
}

struct SwmrFile {
    store::Handle file;
    std::unique_ptr<store::CommitWriter> writer;
};

SwmrFile open_swmr(const std::filesystem::path& path, const SearchSpace& space, std::string saved_state) {
    SwmrFile out;
    store::Handle fapl = store::file_access_plist();
    // A reader (`hpo show`, hpo.load in a notebook, even in this process) that opened the file
    // before it was in SWMR mode holds HDF5's lock for the few milliseconds a read takes: wait
    // for it rather than fail the run, up to a limit no read comes near.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    hid_t id = -1;
    for (;;) {
        id = H5Fopen(path.c_str(), H5F_ACC_RDWR | H5F_ACC_SWMR_WRITE, fapl);
        if (id >= 0) break;
        const std::string error = store::hdf5_error_text();
        const bool held_by_reader = error.find("unable to lock file") != std::string::npos ||
                                    error.find("already open") != std::string::npos;
        if (!held_by_reader || std::chrono::steady_clock::now() > deadline)
            throw StoreFailure("HDF5 cannot open it for SWMR writing: " + error);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    out.file = store::Handle(id, H5Fclose);
    // Kernels are forked from this process: they need not hold the checkpoint open.
    void* handle = nullptr;
    if (H5Fget_vfd_handle(out.file, H5P_DEFAULT, &handle) >= 0 && handle) {
        const int fd = *static_cast<int*>(handle);
        ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
    }
    out.writer = std::make_unique<store::CommitWriter>(out.file, space, std::move(saved_state));
    return out;
}

}  // namespace

std::unique_ptr<CheckpointWriter::Impl> CheckpointWriter::Impl::make(const std::filesystem::path& path,
                                                                     const std::filesystem::path& real,
                                                                     RunOptions options, store::WriterLock lock,
                                                                     CheckpointWriterOptions settings,
                                                                     std::string saved_state) {
    auto impl = std::make_unique<Impl>();
    SwmrFile opened = open_swmr(real, options.space, std::move(saved_state));
    impl->path = path;
    impl->options = std::move(options);
    impl->settings = settings;
    impl->lock = std::move(lock);
    impl->file = std::move(opened.file);
    impl->writer = std::move(opened.writer);
    return impl;
}

CheckpointWriter CheckpointWriter::create(const std::filesystem::path& path, const RunOptions& options,
                                          IfExists if_exists, CheckpointWriterOptions writer_options) {
    store::QuietHdf5Errors quiet;
    try {
        const bool replace = if_exists == IfExists::replace;
        // Through a symbolic link, the file it names is created or replaced; the link stays.
        const std::filesystem::path real = store::real_path(path);
        store::require_regular_or_absent(real);
        if (!replace && store::probe_file(real).exists) throw StoreFailure("already exists");
        // Also when replacing: never pull the file from under a running writer.
        store::WriterLock lock = store::WriterLock::acquire(real);
        store::remove_stale_temporaries(real);
        // Checked again under the lock, just before the rename that would replace it.
        store::require_regular_or_absent(real);
        write_and_publish(real, options, Checkpoint{}, replace);
        return CheckpointWriter(Impl::make(path, real, options, std::move(lock), writer_options, {}));
    } catch (const StoreFailure& e) {
        throw CheckpointError(store::checkpoint_prefix(path) + e.what());
    }
}

CheckpointWriter CheckpointWriter::open_for_append(const std::filesystem::path& path,
                                                   const RunOptions* updated_options,
                                                   CheckpointWriterOptions writer_options) {
    store::QuietHdf5Errors quiet;
    try {
        // Through a symbolic link, the file it names is continued (and rewritten); the link stays.
        const std::filesystem::path real = store::real_path(path);
        // Validate first: a bad checkpoint gets its own error, and no lock file appears beside it.
        store::open_checkpoint(real);
        store::require_single_name(real);
        store::WriterLock lock = store::WriterLock::acquire(real);
        store::remove_stale_temporaries(real);
        // From here on no other writer changes the file.
        const store::LoadedCheckpoint head = store::load_consistent(real, false);
        const Checkpoint& stored = head.checkpoint;
        if (updated_options && !(updated_options->space == stored.options.space))
            throw StoreFailure("the search space differs from the checkpoint's: stored " +
                               space_text(stored.options.space) + ", given " + space_text(updated_options->space));
        RunOptions options = updated_options ? *updated_options : stored.options;
        const bool new_config = updated_options && !same_stored_config(*updated_options, stored.options);
        const bool older_format = stored.format_version < checkpoint_format_version;
        if (!head.tidy || new_config || older_format) {
            // A writer died with it open (rows past the last commit, SWMR flags set), the
            // configuration changes, or the file is of an older format (its commit records and
            // columns lack what this writer appends): the last commit goes into a fresh file of
            // the current format that replaces it.
            const store::LoadedCheckpoint full = store::load_consistent(real, true);
            write_and_publish(real, options, full.checkpoint, true);
        }
        return CheckpointWriter(
            Impl::make(path, real, std::move(options), std::move(lock), writer_options, stored.strategy_state));
    } catch (const StoreFailure& e) {
        throw CheckpointError(store::checkpoint_prefix(path) + e.what());
    } catch (const std::invalid_argument& e) {  // a stored trial that does not fit the stored space
        throw CheckpointError(store::checkpoint_prefix(path) + "cannot be rewritten: " + e.what());
    }
}

CheckpointWriter::CheckpointWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CheckpointWriter::CheckpointWriter(CheckpointWriter&&) noexcept = default;
CheckpointWriter& CheckpointWriter::operator=(CheckpointWriter&& other) noexcept {
    if (this != &other) {
        try {
            if (impl_) close();
        } catch (...) {
        }
        impl_ = std::move(other.impl_);
    }
    return *this;
}

CheckpointWriter::~CheckpointWriter() {
    try {
        if (impl_) close();
    } catch (...) {
        // The file keeps its last commit; a destructor has no one to tell.
    }
}

CheckpointWriter::Impl& CheckpointWriter::impl() const {
    if (!impl_ || !impl_->writer) throw std::logic_error("CheckpointWriter used after close()");
    return *impl_;
}

void CheckpointWriter::append(std::span<const Trial> trials) {
    Impl& i = impl();
    if (i.broken) i.fail("an earlier write failed; reopen the checkpoint to continue");
    i.writer->stage(trials);
}

void CheckpointWriter::append_intermediate(std::span<const IntermediateValue> values) {
    Impl& i = impl();
    if (i.broken) i.fail("an earlier write failed; reopen the checkpoint to continue");
    i.writer->stage_intermediate(values);
}

void CheckpointWriter::set_strategy_state(std::string state) { impl().writer->stage_state(std::move(state)); }

void CheckpointWriter::set_finished(bool finished) { impl().writer->stage_finished(finished); }

void CheckpointWriter::flush() {
    Impl& i = impl();
    if (i.broken) i.fail("an earlier write failed; reopen the checkpoint to continue");
    store::QuietHdf5Errors quiet;
    try {
        i.writer->commit(i.settings.sync_to_disk);
    } catch (const StoreFailure& e) {
        i.broken = true;
        i.fail(std::string("writing failed (the file keeps its previous commit): ") + e.what());
    }
}

void CheckpointWriter::close() {
    if (!impl_ || !impl_->writer) return;
    Impl& i = *impl_;
    std::string error;
    if (!i.broken) {
        try {
            flush();
        } catch (const CheckpointError& e) {
            error = e.what();
        }
    }
    store::QuietHdf5Errors quiet;
    i.writer.reset();  // its datasets first: HDF5 closes the file only when nothing in it is open
    if (i.broken) {
        // A write failed (a full disk): closing would flush what cannot be written, and HDF5
        // would still mark the file closed cleanly, with an end beyond the bytes on disk, which
        // no reader opens. Left open (its writes go nowhere) it stays as a crash leaves it: the
        // last commit stands and loads, and a resume rewrites it into a clean file. HDF5's own
        // close at exit is off (h5_handle.cpp); the descriptor goes with the process.
        i.file.release();
    } else {
        try {
            i.file.close("closing");
        } catch (const StoreFailure& e) {
            if (error.empty()) error = store::checkpoint_prefix(i.path) + e.what();
        }
    }
    i.lock.release();
    if (!error.empty()) throw CheckpointError(error);
}

const std::filesystem::path& CheckpointWriter::path() const {
    if (!impl_) throw std::logic_error("CheckpointWriter used after being moved from");
    return impl_->path;
}

const RunOptions& CheckpointWriter::options() const {
    if (!impl_) throw std::logic_error("CheckpointWriter used after being moved from");
    return impl_->options;
}

std::size_t CheckpointWriter::trial_count() const {
    const Impl& i = impl();
    return static_cast<std::size_t>(i.writer->last().trial_count) + i.writer->staged_count();
}

std::size_t CheckpointWriter::staged_count() const { return impl().writer->staged_count(); }
std::size_t CheckpointWriter::intermediate_count() const {
    const Impl& i = impl();
    return static_cast<std::size_t>(i.writer->last().intermediate_count) + i.writer->staged_intermediate_count();
}
std::size_t CheckpointWriter::staged_intermediate_count() const {
    return impl().writer->staged_intermediate_count();
}
std::uint64_t CheckpointWriter::commit_sequence() const { return impl().writer->last().sequence; }

}  // namespace hpo
