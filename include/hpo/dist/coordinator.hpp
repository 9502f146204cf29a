// The coordinator's event loop: asks the strategy, dispatches to idle workers, records results.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "hpo/dist/transport.hpp"
#include "hpo/dist/worker_layout.hpp"
#include "hpo/dist/worker_watch.hpp"
#include "hpo/exec/command_line.hpp"
#include "hpo/config/run_options.hpp"
#include "hpo/config/run_result.hpp"
#include "hpo/prune/prune_options.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

class TrialPruning;  // src/dist/trial_pruning.hpp

// What the coordinator tells the outside world as the run goes: progress and the log (src/run's
// RunReporter), the checkpoint (CheckpointRecorder commits on on_trial, on_tick and on_finish).
// Called on the coordinator's thread, between dispatches: keep it quick, idle workers wait.
class RunObserver {
public:
    virtual ~RunObserver() = default;
    virtual void on_start(const Strategy&, const WorkerLayout&) {}
    virtual void on_trial(const Trial& /*trial*/, const RunResult& /*so_far*/) {}
    // An intermediate FoM the pruner was given (--prune), in the order the pruner saw them.
    virtual void on_intermediate(const IntermediateValue& /*value*/) {}
    virtual void on_tick() {}  // at least every poll interval, between results
    virtual void on_worker_lost(const LostWorker& /*lost*/, const RunResult& /*so_far*/) {}
    virtual void on_finish(const RunResult&) {}
};

struct CoordinatorSettings {
    bool maximize = false;
    ArgStyle arg_style = ArgStyle::equals;
    const std::atomic<bool>* stop_requested = nullptr;  // set by a signal handler; may be null
    std::chrono::milliseconds poll_interval{200};       // how often a stop request is noticed
    // When a busy worker that went silent is given up on (off by default: threads in the
    // coordinator's own process cannot go silent alone). Checked every poll interval.
    WatchLimits watch;
    // Stopping hopeless trials early: the transport's workers send the intermediate FoMs the rule
    // needs, and a trial it stops ends with status pruned (docs/pruning.md).
    PruneOptions prune;
};

class Coordinator {
public:
    Coordinator(Strategy& strategy, const SearchSpace& space, Transport& transport,
                WorkerLayout layout, CoordinatorSettings settings);
    ~Coordinator();

    void add_observer(RunObserver* observer) { observers_.push_back(observer); }

    // A restart: the trials a checkpoint already holds (counted in the result, not told again:
    // the strategy's restored state knows them), and the proposals that were running when the
    // run died, dispatched again before anything new is asked; with pruning, the intermediate
    // values the checkpoint holds, replayed with the finished trials to rebuild the pruner.
    void resume_from(std::vector<Trial> finished, std::vector<Proposal> unfinished,
                     const std::vector<IntermediateValue>& intermediate = {});

    // Runs until the strategy is exhausted and every dispatched trial came back, or until a stop
    // request, or until a worker could not start a trial for hpo's own reasons (the result's
    // setup_error, and `interrupted`): then running kernels are stopped and their trials left out
    // of the result (they are pending, not finished). Workers are shut down in both cases. The result's
    // coordinator_cpu_seconds is the CPU time of the calling thread inside run().
    // A busy worker that passes a limit of settings.watch is lost: the transport abandons it, its
    // trial goes first to the next idle worker (same id and values), its demes to a live worker if
    // it was their last, and the result lists it. If every worker is lost, the run ends as
    // interrupted (the checkpoint keeps the trials pending for a resume).
    RunResult run();

private:
    void dispatch_to_idle_workers();
    bool dispatch_one(std::size_t worker);
    void accept(const WorkResult& result);
    void take_progress();
    void record(const IntermediateValue& value);
    void drain_after_stop();
    void watch_workers();
    void lose(std::size_t worker, std::string reason);
    bool any_live_worker() const;

    Strategy& strategy_;
    const SearchSpace& space_;
    Transport& transport_;
    WorkerLayout layout_;
    CoordinatorSettings settings_;
    std::vector<RunObserver*> observers_;

    std::optional<Proposal> take_unfinished(const std::vector<int>& demes);
    void send(std::size_t worker, Proposal proposal);

    std::vector<Proposal> unfinished_;              // owed by a previous run, dispatched first
    std::vector<std::optional<Proposal>> running_;  // per worker
    std::vector<std::size_t> next_deme_slot_;       // per worker: where its deme rotation resumes
    std::size_t pending_ = 0;
    RunResult result_;
    WorkerWatch watch_;
    std::vector<bool> lost_;  // per worker
    std::unique_ptr<TrialPruning> pruning_;  // none without a pruning rule
    std::vector<std::optional<IntermediateValue>> pruned_at_;  // per worker: the value its running trial was pruned at
    std::vector<IntermediateValue> restart_marks_;  // from resume_from, recorded once the run starts
    WorkerWatch::Clock::time_point next_watch_{};
};

}  // namespace hpo
