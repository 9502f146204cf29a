// Appending rows column by column and committing them behind a flush (docs/checkpoint-format.md,
// "Durability").
#include "commit_writer.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "fnv.hpp"
#include "h5_columns.hpp"
#include "h5_types.hpp"
#include "hpo/store/checkpoint.hpp"

namespace hpo::store {
namespace {

void validate(const Trial& t, const SearchSpace& space) {
    auto bad = [&](const std::string& problem) {
        throw std::invalid_argument("checkpoint: trial " + std::to_string(t.id) + " " + problem);
    };
    if (t.values.size() != space.size())
        bad("has " + std::to_string(t.values.size()) + " values for " + std::to_string(space.size()) + " parameters");
    for (std::size_t i = 0; i < space.size(); ++i) {
        if (space[i].kind() != ParameterKind::choice) continue;
        const double v = t.values[i];
        if (!(v >= 0) || v >= static_cast<double>(space[i].options().size()) || v != std::floor(v))
            bad("has value " + std::to_string(v) + " for choice parameter '" + space[i].flag() +
                "', not the index of one of its options");
    }
    constexpr auto max_text = std::numeric_limits<std::uint32_t>::max();
    if (t.host.size() > max_text || t.message.size() > max_text) bad("has a host or message over 4 GiB");
}

double now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool same_content(const CommitRecord& a, const CommitRecord& b) {
    return a.trial_count == b.trial_count && a.text_length == b.text_length &&
           a.intermediate_count == b.intermediate_count && a.state_slot == b.state_slot &&
           a.state_length == b.state_length && a.state_hash == b.state_hash && a.finished == b.finished;
}

}  // namespace

CommitWriter::CommitWriter(hid_t file, const SearchSpace& space, std::optional<std::string> saved_state)
    : file_(file),
      space_(space),
      columns_(TrialColumns::open(file, space, true, checkpoint_format_version)),
      intermediate_(IntermediateColumns::open(file)),
      status_type_(status_type()),
      saved_state_(std::move(saved_state)) {
    Handle state = open_group(file, names::strategy_state);
    slots_[0] = open_column(state, "slot0");
    slots_[1] = open_column(state, "slot1");
    commit_ = open_column(file, names::commit);
    last_ = read_latest_commit(commit_, false, checkpoint_format_version);  // validated when the file was opened
    choice_types_.resize(space.size());
    for (std::size_t i = 0; i < space.size(); ++i)
        if (columns_.choices[i].valid()) choice_types_[i] = choice_type(space[i].options());
}

void CommitWriter::stage(std::span<const Trial> trials) {
    for (const Trial& t : trials) validate(t, space_);
    staged_.insert(staged_.end(), trials.begin(), trials.end());
}

void CommitWriter::stage_intermediate(std::span<const IntermediateValue> values) {
    staged_intermediate_.insert(staged_intermediate_.end(), values.begin(), values.end());
}

void CommitWriter::write_intermediate(CommitRecord& next) {
    const std::size_t n = staged_intermediate_.size();
    const hsize_t row = last_.intermediate_count;
    std::vector<std::uint64_t> trials(n), finished_before(n);
    std::vector<int> steps(n);
    std::vector<double> values(n), times(n);
    for (std::size_t i = 0; i < n; ++i) {
        const IntermediateValue& v = staged_intermediate_[i];
        trials[i] = v.trial;
        steps[i] = v.step;
        values[i] = v.value;
        times[i] = v.time;
        finished_before[i] = v.finished_before;
    }
    const IntermediateColumns& c = intermediate_;
    write_rows(c.trial, row, n, H5T_NATIVE_UINT64, trials.data());
    write_rows(c.step, row, n, H5T_NATIVE_INT, steps.data());
    write_rows(c.value, row, n, H5T_NATIVE_DOUBLE, values.data());
    write_rows(c.time, row, n, H5T_NATIVE_DOUBLE, times.data());
    write_rows(c.finished_before, row, n, H5T_NATIVE_UINT64, finished_before.data());
    next.intermediate_count = row + n;
}

void CommitWriter::write_trials(CommitRecord& next) {
    const std::size_t n = staged_.size();
    const hsize_t row = last_.trial_count;
    std::vector<std::uint64_t> ids(n), host_offsets(n), message_offsets(n);
    std::vector<std::uint32_t> host_lengths(n), message_lengths(n);
    std::vector<int> demes(n), generations(n), exit_codes(n), signals(n), workers(n), steps(n), members(n), repeats(n);
    std::vector<std::int64_t> parents(n), repeats_of(n);
    std::vector<std::int8_t> statuses(n);
    std::vector<double> foms(n), starts(n), ends(n);
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
        const Trial& t = staged_[i];
        ids[i] = t.id;
        demes[i] = t.deme;
        generations[i] = t.generation;
        statuses[i] = static_cast<std::int8_t>(t.status);
        foms[i] = t.fom;
        exit_codes[i] = t.exit_code;
        signals[i] = t.signal;
        starts[i] = t.start_time;
        ends[i] = t.end_time;
        workers[i] = t.worker;
        steps[i] = t.steps;
        parents[i] = t.parent ? static_cast<std::int64_t>(*t.parent) : no_parent;
        members[i] = t.member;
        repeats_of[i] = t.repeat_of ? static_cast<std::int64_t>(*t.repeat_of) : no_parent;
        repeats[i] = t.repeat;
        auto host = hosts_.find(t.host);
        if (host == hosts_.end()) {
            const std::pair<std::uint64_t, std::uint32_t> at{last_.text_length + text.size(),
                                                             static_cast<std::uint32_t>(t.host.size())};
            text += t.host;
            host = t.host.empty() ? hosts_.end() : hosts_.emplace(t.host, at).first;
            host_offsets[i] = at.first;
            host_lengths[i] = at.second;
        } else {
            host_offsets[i] = host->second.first;
            host_lengths[i] = host->second.second;
        }
        message_offsets[i] = last_.text_length + text.size();
        message_lengths[i] = static_cast<std::uint32_t>(t.message.size());
        text += t.message;
    }
    const TrialColumns& c = columns_;
    write_rows(c.id, row, n, H5T_NATIVE_UINT64, ids.data());
    write_rows(c.deme, row, n, H5T_NATIVE_INT, demes.data());
    write_rows(c.generation, row, n, H5T_NATIVE_INT, generations.data());
    write_rows(c.status, row, n, status_type_, statuses.data());
    write_rows(c.fom, row, n, H5T_NATIVE_DOUBLE, foms.data());
    write_rows(c.exit_code, row, n, H5T_NATIVE_INT, exit_codes.data());
    write_rows(c.signal, row, n, H5T_NATIVE_INT, signals.data());
    write_rows(c.start_time, row, n, H5T_NATIVE_DOUBLE, starts.data());
    write_rows(c.end_time, row, n, H5T_NATIVE_DOUBLE, ends.data());
    write_rows(c.worker, row, n, H5T_NATIVE_INT, workers.data());
    write_rows(c.steps, row, n, H5T_NATIVE_INT, steps.data());
    write_rows(c.parent, row, n, H5T_NATIVE_INT64, parents.data());
    write_rows(c.member, row, n, H5T_NATIVE_INT, members.data());
    write_rows(c.repeat_of, row, n, H5T_NATIVE_INT64, repeats_of.data());
    write_rows(c.repeat, row, n, H5T_NATIVE_INT, repeats.data());
    write_rows(c.host_offset, row, n, H5T_NATIVE_UINT64, host_offsets.data());
    write_rows(c.host_length, row, n, H5T_NATIVE_UINT32, host_lengths.data());
    write_rows(c.message_offset, row, n, H5T_NATIVE_UINT64, message_offsets.data());
    write_rows(c.message_length, row, n, H5T_NATIVE_UINT32, message_lengths.data());
    write_rows(c.text, last_.text_length, text.size(), H5T_NATIVE_UCHAR, text.data());

    std::vector<double> values(n);
    std::vector<std::uint32_t> wide(n);
    std::vector<std::uint16_t> narrow(n);
    for (std::size_t p = 0; p < space_.size(); ++p) {
        for (std::size_t i = 0; i < n; ++i) values[i] = staged_[i].values[p];
        write_rows(c.values[p], row, n, H5T_NATIVE_DOUBLE, values.data());
        if (!choice_types_[p].valid()) continue;
        // The enum's base decides the buffer: 2 bytes up to 65536 options, else 4.
        if (H5Tget_size(choice_types_[p]) == 2) {
            for (std::size_t i = 0; i < n; ++i) narrow[i] = static_cast<std::uint16_t>(values[i]);
            write_rows(c.choices[p], row, n, choice_types_[p], narrow.data());
        } else {
            for (std::size_t i = 0; i < n; ++i) wide[i] = static_cast<std::uint32_t>(values[i]);
            write_rows(c.choices[p], row, n, choice_types_[p], wide.data());
        }
    }
    next.trial_count = row + n;
    next.text_length = last_.text_length + text.size();
}

void CommitWriter::flush_file(bool sync, const char* what) {
    if (H5Fflush(file_, H5F_SCOPE_LOCAL) < 0) fail_h5(std::string("flushing ") + what);
    if (!sync) return;
    void* handle = nullptr;
    if (H5Fget_vfd_handle(file_, H5P_DEFAULT, &handle) < 0 || !handle) fail_h5("getting the file descriptor");
    if (::fsync(*static_cast<int*>(handle)) != 0) throw StoreFailure(std::string("fsync after ") + what + " failed");
}

void CommitWriter::commit(bool sync) {
    CommitRecord next = last_;
    if (!staged_.empty()) write_trials(next);
    if (!staged_intermediate_.empty()) write_intermediate(next);
    if (staged_state_ && staged_state_ != saved_state_) {
        // Never the slot the last commit uses: until the new record is written, that one stands.
        const int slot = last_.state_slot == 0 ? 1 : 0;
        write_rows(slots_[slot], 0, staged_state_->size(), H5T_NATIVE_UCHAR, staged_state_->data());
        next.state_slot = static_cast<std::int8_t>(slot);
        next.state_length = staged_state_->size();
        next.state_hash = fnv1a(*staged_state_);
    }
    if (staged_finished_) next.finished = *staged_finished_ ? 1 : 0;
    if (!same_content(next, last_)) {
        next.sequence = last_.sequence + 1;
        next.time = now();
        next.record_hash = record_hash_of(next, checkpoint_format_version);
        // Everything the record points to reaches the file before the record does.
        flush_file(sync, "the trials");
        write_commit(commit_, next);
        flush_file(sync, "the commit record");
        last_ = next;
        if (staged_state_) saved_state_ = std::move(staged_state_);
    }
    staged_.clear();
    staged_intermediate_.clear();
    staged_state_.reset();
    staged_finished_.reset();
}

}  // namespace hpo::store
