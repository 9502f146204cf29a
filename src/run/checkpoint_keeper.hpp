// --keep-checkpoints live: removes the checkpoint directories (<root>/<trial id>) of finished
// trials that nothing can start from any more, as results are told, so that a long run does not
// fill the disk. Rank 0 only; the root is on a filesystem every node sees.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "hpo/dist/coordinator.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

// Live: the strategy's inheritable() trials, the pending proposals and their parents (a pending
// proposal, also one restored by a resume, runs (again) from its parent's copy), and the best
// trial so far (its directory holds the best model). With a checkpoint file, the live set at the
// last commit is kept too: a resume restarts the strategy from that commit, and it must find
// every directory that state may still start from. A directory removed is therefore never needed
// again: not by this run, nor by a resume of it (tests/unit/test_checkpoint_keeper.cpp).
//
// Put it after the CheckpointRecorder among the coordinator's observers: it then sees each commit
// as soon as it is made. Removal errors are warnings, never the run's failure.
class CheckpointKeeper final : public RunObserver {
public:
    struct Settings {
        std::filesystem::path root;
        // The best of the trials a resumed run starts with.
        std::optional<TrialId> best;
        // How many commits the checkpoint has had (CheckpointRecorder::commits); empty without a
        // checkpoint file, where no resume can bring an older state back.
        std::function<std::size_t()> commits;
        // Where warnings go (the reporter: stderr and the log).
        std::function<void(const std::string&)> warn;
    };

    CheckpointKeeper(const Strategy& strategy, Settings settings);

    // The session's scan of the root, once: directories of trials that are not live (left by an
    // earlier session, e.g. killed in the middle of a removal) and partial copies are removed.
    void on_start(const Strategy&, const WorkerLayout&) override;
    void on_trial(const Trial& trial, const RunResult& so_far) override;
    void on_tick() override;
    void on_finish(const RunResult& result) override;

    // The trials whose directories must stay now: live_now() and those live at the last commit.
    std::set<TrialId> live() const;

private:
    std::set<TrialId> live_now() const;
    void note_commit();
    void sweep();
    void remove(const std::filesystem::path& path);

    const Strategy& strategy_;
    Settings settings_;
    std::set<TrialId> kept_;       // finished trials whose directories are still there (or may be)
    std::set<TrialId> committed_;  // live at the checkpoint's last commit
    std::size_t commits_seen_ = 0;
};

}  // namespace hpo
