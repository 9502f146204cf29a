// The coordinator's event loop (see coordinator.hpp): the only place that owns the run's pace.
#include "hpo/dist/coordinator.hpp"

#include <time.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "hpo/number_text.hpp"
#include "trial_pruning.hpp"

namespace hpo {

namespace {

// The CPU time of the calling thread. The thread's clock, not the process's: run alone, the
// process also holds the worker threads that fork, exec and watch the kernels; on rank 0 of an
// MPI job, Open MPI's own threads. Neither is the coordinator's work.
double thread_cpu_seconds() {
    timespec now{};
    if (::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) return 0;
    return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// A worker serving several demes asks them in turn, from after the deme it last asked for. That
// place is not stored, but the last proposal among its demes is the one with the highest id
// (ids follow the asks): a resumed run takes the turn the uninterrupted one would have taken.
void resume_deme_rotation(const WorkerLayout& layout, const std::vector<Trial>& finished,
                          const std::vector<Proposal>& unfinished, std::vector<std::size_t>& next_deme_slot) {
    std::vector<std::pair<TrialId, int>> proposed;  // id, deme
    for (const Trial& trial : finished) proposed.emplace_back(trial.id, trial.deme);
    for (const Proposal& proposal : unfinished) proposed.emplace_back(proposal.id, proposal.deme);
    for (std::size_t worker = 0; worker < next_deme_slot.size(); ++worker) {
        const auto& demes = layout.demes_of_worker[worker];
        std::optional<std::pair<TrialId, int>> last;
        for (const auto& p : proposed)
            if (std::find(demes.begin(), demes.end(), p.second) != demes.end() && (!last || p.first > last->first))
                last = p;
        if (last)
            next_deme_slot[worker] =
                static_cast<std::size_t>(std::find(demes.begin(), demes.end(), last->second) - demes.begin()) + 1;
    }
}

}  // namespace

Coordinator::Coordinator(Strategy& strategy, const SearchSpace& space, Transport& transport,
                         WorkerLayout layout, CoordinatorSettings settings)
    : strategy_(strategy), space_(space), transport_(transport), layout_(std::move(layout)),
      settings_(settings), watch_(transport.worker_count(), settings.watch), lost_(transport.worker_count(), false) {
    if (layout_.demes_of_worker.size() != transport_.worker_count()) {
        throw std::invalid_argument("worker layout covers " + std::to_string(layout_.demes_of_worker.size()) +
                                    " workers, the transport has " + std::to_string(transport_.worker_count()));
    }
    const auto evaluates = [](const std::vector<int>& demes) { return !demes.empty(); };
    if (std::none_of(layout_.demes_of_worker.begin(), layout_.demes_of_worker.end(), evaluates)) {
        throw std::invalid_argument("no worker can evaluate: every worker was left without demes");
    }
    running_.resize(transport_.worker_count());
    pruned_at_.assign(transport_.worker_count(), std::nullopt);
    if (settings_.prune.prune != PruneRule::none) pruning_ = std::make_unique<TrialPruning>(settings_.prune, settings_.maximize);
    next_deme_slot_.assign(transport_.worker_count(), 0);
    result_.workers = transport_.worker_count();
}

Coordinator::~Coordinator() = default;

void Coordinator::resume_from(std::vector<Trial> finished, std::vector<Proposal> unfinished,
                              const std::vector<IntermediateValue>& intermediate) {
    if (pruning_) restart_marks_ = pruning_->replay(finished, intermediate, unfinished);
    for (auto& trial : finished) {
        if (trial.ok() && (!result_.best || better_trial(trial, *result_.best, settings_.maximize))) result_.best = trial;
        result_.trials.push_back(std::move(trial));
    }
    result_.resumed_trials = result_.trials.size();
    unfinished_ = std::move(unfinished);
    if (strategy_.num_demes() > 1) resume_deme_rotation(layout_, result_.trials, unfinished_, next_deme_slot_);
}

RunResult Coordinator::run() {
    const double cpu_at_start = thread_cpu_seconds();
    for (auto* observer : observers_) observer->on_start(strategy_, layout_);
    for (const IntermediateValue& mark : restart_marks_) record(mark);
    restart_marks_.clear();
    const auto stop_requested = [this] {
        return settings_.stop_requested && settings_.stop_requested->load();
    };

    while (true) {
        if (stop_requested() || !result_.setup_error.empty()) {
            drain_after_stop();
            break;
        }
        if (!any_live_worker()) {  // every worker was lost: nobody left to evaluate the owed trials
            result_.interrupted = true;
            break;
        }
        dispatch_to_idle_workers();
        if (pending_ == 0) {
            if (strategy_.exhausted() && unfinished_.empty()) break;
            throw std::logic_error("the " + std::string(strategy_.name()) +
                                   " strategy proposed nothing while no trial was pending");
        }
        // A trial's progress before its result (transport.hpp): its values are judged while it runs.
        auto result = transport_.wait_result(settings_.poll_interval);
        take_progress();
        if (result) {
            accept(*result);
            // Results come in bursts: take every one that has arrived before asking again, so
            // that one ask serves every idle worker (a model-based strategy prepares its model
            // once per ask).
            while (!stop_requested() && result_.setup_error.empty()) {
                auto more = transport_.wait_result(std::chrono::milliseconds(0));
                take_progress();
                if (!more) break;
                accept(*more);
            }
        }
        watch_workers();  // after the results and heartbeats that arrived were taken
        for (auto* observer : observers_) observer->on_tick();
    }

    transport_.shutdown();
    for (const std::size_t worker : transport_.unconfirmed_shutdown()) {
        lose(worker, "no answer to the end of the run within " + number_text(answer_margin_seconds) + " s");
    }
    // Before on_finish, so that the report can show it (the final commit is left out).
    result_.coordinator_cpu_seconds = std::max(0.0, thread_cpu_seconds() - cpu_at_start);
    for (auto* observer : observers_) observer->on_finish(result_);
    return result_;
}

// With one deme, the idle workers that are owed nothing share one ask; with several, each worker
// asks for its own demes in turn (dispatch_one).
void Coordinator::dispatch_to_idle_workers() {
    std::vector<std::size_t> asking;
    for (std::size_t worker = 0; worker < running_.size(); ++worker) {
        if (running_[worker] || lost_[worker] || layout_.demes_of_worker[worker].empty()) continue;
        if (strategy_.num_demes() > 1) {
            dispatch_one(worker);
        } else if (auto owed = take_unfinished(layout_.demes_of_worker[worker])) {
            send(worker, std::move(*owed));
        } else {
            asking.push_back(worker);
        }
    }
    if (asking.empty() || strategy_.exhausted()) return;
    std::vector<Proposal> proposals = strategy_.ask(asking.size(), Strategy::any_deme);
    if (proposals.size() > asking.size())
        throw std::logic_error("the " + std::string(strategy_.name()) + " strategy proposed " +
                               std::to_string(proposals.size()) + " trials for " + std::to_string(asking.size()) +
                               " idle workers");
    for (std::size_t i = 0; i < proposals.size(); ++i) send(asking[i], std::move(proposals[i]));
}

// Owed proposals go first; then the worker's demes are tried in rotation so that a worker shared
// by several demes serves them all.
bool Coordinator::dispatch_one(std::size_t worker) {
    const auto& demes = layout_.demes_of_worker[worker];
    if (demes.empty()) return false;  // a worker without an evaluation slot (eval_slots.hpp)
    if (auto owed = take_unfinished(demes)) {
        send(worker, std::move(*owed));
        return true;
    }
    for (std::size_t tried = 0; tried < demes.size(); ++tried) {
        const std::size_t slot = (next_deme_slot_[worker] + tried) % demes.size();
        auto proposals = strategy_.ask(1, strategy_.num_demes() > 1 ? demes[slot] : Strategy::any_deme);
        if (proposals.empty()) continue;
        next_deme_slot_[worker] = slot + 1;
        send(worker, std::move(proposals.front()));
        return true;
    }
    return false;
}

std::optional<Proposal> Coordinator::take_unfinished(const std::vector<int>& demes) {
    for (auto it = unfinished_.begin(); it != unfinished_.end(); ++it) {
        const bool ours = strategy_.num_demes() == 1 || std::find(demes.begin(), demes.end(), it->deme) != demes.end();
        if (!ours) continue;
        Proposal proposal = std::move(*it);
        unfinished_.erase(it);
        return proposal;
    }
    return std::nullopt;
}

void Coordinator::send(std::size_t worker, Proposal proposal) {
    WorkOrder order{proposal.id, proposal.deme, proposal.generation,
                    hyperparameter_args(space_, proposal.values, settings_.arg_style), proposal.parent,
                    proposal.repeat};
    transport_.dispatch(worker, order);
    watch_.dispatched(worker, WorkerWatch::Clock::now());
    running_[worker] = std::move(proposal);
    ++pending_;
}

void Coordinator::accept(const WorkResult& result) {
    const auto worker = static_cast<std::size_t>(result.worker);
    if (worker < lost_.size() && lost_[worker]) return;  // a lost worker woke up: its trial went elsewhere
    if (worker >= running_.size() || !running_[worker] || running_[worker]->id != result.trial_id) {
        throw std::logic_error("worker " + std::to_string(result.worker) + " answered for trial " +
                               std::to_string(result.trial_id) + ", which it was not running");
    }
    const Proposal proposal = std::move(*running_[worker]);
    running_[worker].reset();
    const std::optional<IntermediateValue> pruned_at = std::exchange(pruned_at_[worker], std::nullopt);
    watch_.answered(worker);
    --pending_;
    if (result.stopped) return;  // not a result: the trial is still owed
    if (result.setup_failed) {     // nor is this: the trial stays owed and the run stops
        if (result_.setup_error.empty()) result_.setup_error = result.outcome.message;
        return;
    }

    Trial trial = make_trial(proposal, result);
    if (trial.status == TrialStatus::pruned && pruned_at) {
        // Judged at that step on that value: what it printed while the stop was on its way does
        // not change what it is (and a resumed run records the same).
        trial.message = "pruned at step " + std::to_string(pruned_at->step) + " of " + std::to_string(trial.steps) +
                        " printed; " + trial.message;
        trial.steps = pruned_at->step;
        trial.fom = pruned_at->value;
    }
    if (pruning_) pruning_->finish(trial);
    strategy_.tell(trial);
    if (trial.ok() && (!result_.best || better_trial(trial, *result_.best, settings_.maximize))) result_.best = trial;
    result_.trials.push_back(std::move(trial));
    for (auto* observer : observers_) observer->on_trial(result_.trials.back(), result_);
}

// The intermediate values that arrived, judged in their order; a trial the rule stops is told to
// its worker at once, and its values still in flight are dropped (the pruner records nothing after
// a stop either).
void Coordinator::take_progress() {
    for (const Progress& progress : transport_.take_progress()) {
        const auto worker = static_cast<std::size_t>(progress.worker);
        if (!pruning_ || worker >= running_.size() || lost_[worker] || pruned_at_[worker] || !running_[worker] ||
            running_[worker]->id != progress.trial_id)
            continue;  // a trial that ended, was lost, or was already pruned
        if (running_[worker]->repeat_of) continue;  // a repeat (--confirm-top) confirms a finished configuration: never pruned
        for (const StepValue& value : progress.values) {
            const TrialPruning::Verdict verdict = pruning_->report(progress.trial_id, value, result_.trials.size());
            record(verdict.record);
            if (verdict.stop) {
                transport_.prune(worker, progress.trial_id);
                pruned_at_[worker] = verdict.record;
                break;
            }
        }
    }
}

void Coordinator::record(const IntermediateValue& value) {
    for (auto* observer : observers_) observer->on_intermediate(value);
}

void Coordinator::drain_after_stop() {
    result_.interrupted = true;
    transport_.stop_running();
    const auto now = WorkerWatch::Clock::now();
    for (std::size_t worker = 0; worker < running_.size(); ++worker) {
        if (running_[worker]) watch_.stop_sent(worker, now);
    }
    while (pending_ > 0) {
        transport_.take_progress();  // the run is ending: no decision to make, none to record
        if (auto result = transport_.wait_result(settings_.poll_interval)) {
            accept(*result);
        } else {
            watch_workers();  // a stopped rank never answers: the stop limit ends the wait
        }
    }
}

// Coarse: once per poll interval, a look at each busy worker's clocks.
void Coordinator::watch_workers() {
    if (!settings_.watch.any()) return;
    const auto now = WorkerWatch::Clock::now();
    if (now < next_watch_) return;
    next_watch_ = now + settings_.poll_interval;
    for (std::size_t worker = 0; worker < running_.size(); ++worker) {
        if (!running_[worker]) continue;
        if (auto heard = transport_.last_heard(worker)) watch_.heard(worker, *heard);
        if (auto why = watch_.overdue(worker, now)) lose(worker, std::move(*why));
    }
}

void Coordinator::lose(std::size_t worker, std::string reason) {
    transport_.abandon(worker);
    lost_[worker] = true;
    LostWorker lost{worker, layout_.node_of_worker.at(worker), std::nullopt, std::move(reason)};
    if (running_[worker]) {
        lost.trial = running_[worker]->id;
        if (pruning_) record(pruning_->restart(running_[worker]->id, result_.trials.size()));
        pruned_at_[worker].reset();
        // First in line, with its id and values: the checkpoint knows it as pending under that id.
        unfinished_.insert(unfinished_.begin(), std::move(*running_[worker]));
        running_[worker].reset();
        watch_.answered(worker);
        --pending_;
    }
    // A deme whose last live worker this was goes to the live worker serving the fewest demes.
    for (const int deme : layout_.demes_of_worker[worker]) {
        std::optional<std::size_t> fewest;
        bool served = false;
        for (std::size_t other = 0; other < lost_.size() && !served; ++other) {
            const auto& demes = layout_.demes_of_worker[other];
            if (lost_[other] || demes.empty()) continue;
            served = std::find(demes.begin(), demes.end(), deme) != demes.end();
            if (!fewest || demes.size() < layout_.demes_of_worker[*fewest].size()) fewest = other;
        }
        if (!served && fewest) layout_.demes_of_worker[*fewest].push_back(deme);
    }
    result_.lost_workers.push_back(std::move(lost));
    for (auto* observer : observers_) observer->on_worker_lost(result_.lost_workers.back(), result_);
}

bool Coordinator::any_live_worker() const {
    for (std::size_t worker = 0; worker < lost_.size(); ++worker) {
        if (!lost_[worker] && !layout_.demes_of_worker[worker].empty()) return true;
    }
    return false;
}

}  // namespace hpo
