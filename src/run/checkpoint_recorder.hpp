// Commits the run to its checkpoint as results arrive: every interval, at generation boundaries,
// and at the end, each commit holding the trials and the strategy state that goes with them.
// The first result of a run (or of a resume) is committed at once, then the waits grow from a
// second, doubling, to the interval: a job killed again and again soon after it starts still
// keeps its first results, however long --checkpoint-interval is. Intermediate FoMs (--prune)
// are staged as they arrive and go with the next commit: they lag by one interval at most.
#pragma once

#include <chrono>
#include <cstddef>

#include "hpo/dist/coordinator.hpp"
#include "hpo/store/checkpoint_writer.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

class CheckpointRecorder final : public RunObserver {
public:
    CheckpointRecorder(CheckpointWriter& writer, const Strategy& strategy, double interval_seconds);

    void on_trial(const Trial& trial, const RunResult& so_far) override;
    void on_intermediate(const IntermediateValue& value) override;
    void on_tick() override;
    void on_finish(const RunResult& result) override;

    // The next result closes a generation: commit with it, whatever the interval.
    void commit_at_next_trial() { boundary_ = true; }

    // How many commits it made (the CheckpointKeeper keeps what the last one may still need).
    std::size_t commits() const { return commits_; }

private:
    bool due() const;
    void commit();

    CheckpointWriter& writer_;
    const Strategy& strategy_;
    std::chrono::duration<double> interval_;
    std::chrono::duration<double> wait_{0};  // before the next commit: 0, 1 s, 2 s... up to interval_
    std::chrono::steady_clock::time_point last_commit_ = std::chrono::steady_clock::now();
    bool boundary_ = false;
    std::size_t commits_ = 0;
};

}  // namespace hpo
