// Staging trials, intermediate values, strategy state and the finished flag, and committing them to
// an open file of the current format version: the one place that writes rows (shared by live SWMR
// writing and by rewrites into a new file).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "checkpoint_schema.hpp"
#include "hpo/trial.hpp"

namespace hpo::store {

class CommitWriter {
public:
    // `saved_state`: the state the last commit refers to (so that an unchanged state is not
    // rewritten), nullopt if unknown.
    CommitWriter(hid_t file, const SearchSpace& space, std::optional<std::string> saved_state);

    // Throws std::invalid_argument, staging nothing, if a trial does not fit the search space.
    void stage(std::span<const Trial> trials);
    void stage_intermediate(std::span<const IntermediateValue> values);
    void stage_state(std::string state) { staged_state_ = std::move(state); }
    void stage_finished(bool finished) { staged_finished_ = finished; }

    // Writes what was staged, flushes it (fsync too if `sync`), then writes and flushes the commit
    // record that makes it visible. Does nothing if nothing changed.
    void commit(bool sync);

    const CommitRecord& last() const { return last_; }
    std::size_t staged_count() const { return staged_.size(); }
    std::size_t staged_intermediate_count() const { return staged_intermediate_.size(); }

private:
    void write_trials(CommitRecord& next);
    void write_intermediate(CommitRecord& next);
    void flush_file(bool sync, const char* what);

    hid_t file_;
    SearchSpace space_;
    TrialColumns columns_;
    IntermediateColumns intermediate_;
    Handle slots_[2];
    Handle commit_;
    Handle status_type_;
    std::vector<Handle> choice_types_;  // memory enum per choice parameter
    CommitRecord last_;
    std::optional<std::string> saved_state_;
    std::vector<Trial> staged_;
    std::vector<IntermediateValue> staged_intermediate_;
    std::optional<std::string> staged_state_;
    std::optional<bool> staged_finished_;
    // Where each host name already is in /trials/text: a host is stored once per writer.
    std::unordered_map<std::string, std::pair<std::uint64_t, std::uint32_t>> hosts_;
};

}  // namespace hpo::store
