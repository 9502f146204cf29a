// Writing a run's checkpoint as results arrive: appends that cost O(new trials), commits that a
// crash at any moment (kill -9 included) cannot make unreadable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "hpo/config/run_options.hpp"
#include "hpo/store/checkpoint.hpp"
#include "hpo/trial.hpp"

namespace hpo {

struct CheckpointWriterOptions {
    // fsync the file between a commit's data and its commit record, and after the record. Not
    // needed against process crashes (kill -9: the kernel keeps what was written); needed
    // against node crashes and power loss, where the page cache is lost.
    bool sync_to_disk = false;
};

// The single writer of one checkpoint file. append() and set_*() only stage; flush() commits
// everything staged at once: after it returns, a reader (load_checkpoint) sees all of it, and a
// crash at any later moment leaves it readable. A crash before flush() returns leaves the
// previous commit. The writer holds a lock so that a second writer on the same file fails.
// Not thread-safe: one thread owns a writer (and HDF5 here is built without thread safety).
class CheckpointWriter {
public:
    enum class IfExists { fail, replace };

    // A new checkpoint for a run. The file appears atomically, complete with its configuration:
    // a crash during create() leaves either no file or the previous one. Throws CheckpointError if
    // the file exists (unless IfExists::replace), or its directory is not writable.
    static CheckpointWriter create(const std::filesystem::path& path, const RunOptions& options,
                                   IfExists if_exists = IfExists::fail,
                                   CheckpointWriterOptions writer_options = {});

    // Continues an existing checkpoint. A checkpoint left by a crashed writer is first rewritten
    // (atomically) from its last commit. `updated_options`, if given, replaces the stored
    // configuration (a resume that extends the budget); its search space must equal the stored
    // one. Rewriting costs O(history), once; with a cleanly closed file and unchanged options
    // (or none given) the file is continued as it is; a file of an older format version is rewritten
    // in the current one. Throws CheckpointError for a bad checkpoint (the file is left untouched) or one that
    // another writer holds.
    static CheckpointWriter open_for_append(const std::filesystem::path& path,
                                            const RunOptions* updated_options = nullptr,
                                            CheckpointWriterOptions writer_options = {});

    CheckpointWriter(CheckpointWriter&&) noexcept;
    CheckpointWriter& operator=(CheckpointWriter&&) noexcept;
    ~CheckpointWriter();  // flush() and close(), errors swallowed: call close() to see them

    // Stages trials to append, any number. Throws std::invalid_argument (staging nothing) if a
    // trial's values do not fit the search space (count, or a choice index out of range).
    void append(std::span<const Trial> trials);
    void append(const Trial& trial) { append(std::span<const Trial>(&trial, 1)); }

    // Stages intermediate FoMs (--prune), in the order the pruner was given them; committed by the
    // next flush() with whatever else is staged, so a commit holds a prefix of them as of trials.
    void append_intermediate(std::span<const IntermediateValue> values);
    void append_intermediate(const IntermediateValue& value) {
        append_intermediate(std::span<const IntermediateValue>(&value, 1));
    }

    // Stages the strategy's opaque state (populations, RNG...), replacing the previous one.
    void set_strategy_state(std::string state);
    // Stages the flag that says the run reached its end (hpo show, hpo resume read it).
    void set_finished(bool finished);

    // Commits what was staged. Cheap when nothing was: call it on a timer.
    void flush();
    // flush(), then closes the file cleanly (plain HDF5 tools read it without SWMR afterwards).
    void close();

    const std::filesystem::path& path() const;  // also after close()
    const RunOptions& options() const;          // also after close()
    std::size_t trial_count() const;     // committed and staged
    std::size_t staged_count() const;    // appended but not flushed yet
    std::size_t intermediate_count() const;         // intermediate values committed and staged
    std::size_t staged_intermediate_count() const;  // intermediate values not flushed yet
    std::uint64_t commit_sequence() const;

private:
    struct Impl;
    explicit CheckpointWriter(std::unique_ptr<Impl> impl);
    Impl& impl() const;
    std::unique_ptr<Impl> impl_;
};

}  // namespace hpo
