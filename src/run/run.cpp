// hpo::run: one optimization, alone or as an MPI job, from a finished RunOptions.
#include "hpo/run/run.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <thread>

#include "hpo/dist/mpi_job.hpp"
#include "checkpoint_keeper.hpp"
#include "checkpoint_recorder.hpp"
#include "hpo/dist/coordinator.hpp"
#include "hpo/dist/eval_slots.hpp"
#include "hpo/dist/local_transport.hpp"
#include "hpo/dist/worker_watch.hpp"
#include "hpo/exec/job_environment.hpp"
#include "hpo/store/set_aside.hpp"
#include "hpo/confirmation.hpp"
#include "hpo/strategy/confirming_strategy.hpp"
#include "hpo/strategy/factory.hpp"
#include "kept_run_files.hpp"
#include "launcher_death.hpp"
#include "resume_check.hpp"
#include "run_reporter.hpp"
#include "stop_signals.hpp"

namespace hpo {

bool launched_by_mpi() { return read_job_environment().launched_by_mpi; }

namespace {

// The run's strategy: the chosen one, wrapped in confirmation when --confirm-top asks for it.
std::unique_ptr<Strategy> make_run_strategy(const RunOptions& options) {
    std::unique_ptr<Strategy> strategy = make_strategy(options.strategy, options.space, search_settings(options));
    if (!options.confirm.enabled()) return strategy;
    return std::make_unique<ConfirmingStrategy>(
        std::move(strategy), options.space,
        ConfirmingStrategy::Settings{options.confirm.confirm_top, options.confirm.confirm_repeats, options.maximize});
}

// Everything the coordinator sets up before any worker starts, so that a bad configuration or
// checkpoint is refused (std::invalid_argument) before a kernel runs.
struct Session {
    std::unique_ptr<Strategy> strategy;
    std::optional<CheckpointWriter> writer;
    std::vector<Trial> resumed_trials;
    std::vector<IntermediateValue> resumed_intermediate;  // what the pruner was told (--prune)

    explicit Session(const RunOptions& options) : strategy(make_run_strategy(options)) {
        if (!options.checkpoint_fn.empty()) {
            try {
                open_checkpoint(options);
            } catch (const CheckpointError& error) {
                throw std::invalid_argument(error.what());
            }
        }
        if (options.keep_existing_checkpoint && !resumed) keep_earlier_run_files(options);
        require_writable_log(options.log_fn);
    }

private:
    bool resumed = false;

    // The driver API's way (keep_existing_checkpoint): a new run never writes over what an earlier
    // run left under its names, whether its checkpoint was set aside, had another name or there was
    // none: its trial directories (which the new run's trial ids would reuse, old files and all)
    // and its logs (which the new run would truncate) are kept under new names.
    static void keep_earlier_run_files(const RunOptions& options) {
        std::string note;
        if (const std::string kept_dir = set_aside_directory(options.kernel.run_dir); !kept_dir.empty())
            note += "the trial directories '" + options.kernel.run_dir + "' are kept as '" + kept_dir + "'";
        const std::vector<std::string> kept_logs = set_aside_logs(options.log_fn);
        for (std::size_t i = 0; i < kept_logs.size(); ++i) {
            note += std::string(i ? ", '" : note.empty() ? "the logs are kept as '" : "; the logs as '") + kept_logs[i] + "'";
        }
        if (!note.empty()) std::cerr << "hpo: note: a new run starts: " + note + "\n" << std::flush;
    }

    // Checked while preparing, not when the reporter opens it: under MPI, every rank then raises
    // the same error instead of rank 0 aborting the job.
    static void require_writable_log(const std::string& log_fn) {
        if (log_fn.empty()) return;
        std::ofstream probe(log_fn, std::ios::app);
        if (!probe) throw std::invalid_argument("cannot write the log file '" + log_fn + "': " + std::strerror(errno));
    }

    void open_checkpoint(const RunOptions& options) {
        const std::filesystem::path path = options.checkpoint_fn;
        std::optional<Checkpoint> stored;
        if (std::filesystem::exists(path) && options.keep_existing_checkpoint) stored = continuable(options);
        const bool exists = std::filesystem::exists(path);
        if (options.checkpoint_mode == CheckpointMode::create && exists) {
            throw std::invalid_argument("checkpoint '" + options.checkpoint_fn +
                                        "' already exists: continue it with --resume (or `hpo resume " +
                                        options.checkpoint_fn + "`), or replace it with --force");
        }
        if (options.checkpoint_mode != CheckpointMode::resume || !exists) {
            const auto if_exists = options.checkpoint_mode == CheckpointMode::replace
                                       ? CheckpointWriter::IfExists::replace
                                       : CheckpointWriter::IfExists::fail;
            writer.emplace(CheckpointWriter::create(path, options, if_exists));
            return;
        }
        if (!stored) {
            stored = load_checkpoint(path);
            check_resumable(stored->options, options, options.checkpoint_fn);
        }
        if (!stored->strategy_state.empty()) {
            try {
                strategy->restore(stored->strategy_state, stored->trials);
            } catch (const std::invalid_argument& error) {
                throw std::invalid_argument("checkpoint '" + options.checkpoint_fn +
                                            "': its strategy state cannot be restored: " + error.what());
            }
        }
        resumed_trials = std::move(stored->trials);
        resumed_intermediate = std::move(stored->intermediate);
        resumed = true;
        writer.emplace(CheckpointWriter::open_for_append(path, &options));
    }

    // keep_existing_checkpoint: the stored run if this run continues it; otherwise the file is
    // renamed out of the way (never replaced), and the run starts anew in its place.
    static std::optional<Checkpoint> continuable(const RunOptions& options) {
        std::string why = "this run does not continue it";
        if (options.checkpoint_mode == CheckpointMode::resume) {
            try {
                Checkpoint stored = load_checkpoint(options.checkpoint_fn);
                check_resumable(stored.options, options, options.checkpoint_fn);
                // A smaller budget than the stored run has spent (fewer generations) cannot
                // continue it either: a driver run again with it starts a new run.
                if (!stored.strategy_state.empty()) {
                    make_run_strategy(options)->restore(stored.strategy_state, stored.trials);
                }
                return stored;
            } catch (const std::exception& error) {
                why = error.what();
                why = why.substr(0, why.find("; use --force"));  // the CLI's advice; here it is taken
            }
        }
        // Its trial directories and logs follow in keep_earlier_run_files.
        std::cerr << "hpo: note: " + why + "\nhpo: note: the checkpoint '" + options.checkpoint_fn + "' is kept as '" +
                         set_aside_checkpoint(options.checkpoint_fn).string() + "'\n"
                  << std::flush;
        return std::nullopt;
    }
};

// Sends generation boundaries both to the reporter and to the checkpoint recorder.
class GenerationFanout final : public StrategyObserver {
public:
    GenerationFanout(RunReporter& reporter, CheckpointRecorder* recorder) : reporter_(reporter), recorder_(recorder) {}
    void on_generation_end(const GenerationSummary& summary) override {
        reporter_.on_generation_end(summary);
        if (recorder_) recorder_->commit_at_next_trial();
    }
    void on_migration(const Migration& migration) override { reporter_.on_migration(migration); }

private:
    RunReporter& reporter_;
    CheckpointRecorder* recorder_;
};

std::optional<TrialId> best_trial_id(const std::vector<Trial>& trials, bool maximize) {
    const Trial* best = nullptr;
    for (const Trial& trial : trials) {
        if (trial.ok() && (!best || better_trial(trial, *best, maximize))) best = &trial;
    }
    return best ? std::optional<TrialId>(best->id) : std::nullopt;
}

// The coordinator's whole life on one transport: used alone and on rank 0 of an MPI job alike.
// `watch`: when a silent worker is given up on (an MPI job's ranks; threads never go silent alone).
RunResult coordinate(const RunOptions& options, Session& session, Transport& transport, const WorkerLayout& layout,
                     const WatchLimits& watch = {}) {
    Strategy& strategy = *session.strategy;
    const bool resuming = !session.resumed_trials.empty() || !strategy.pending().empty();
    RunReporter reporter(options, options.progress && !options.quiet ? &std::cerr : nullptr, resuming);
    std::optional<CheckpointRecorder> recorder;
    if (session.writer) recorder.emplace(*session.writer, strategy, options.checkpoint_interval);
    GenerationFanout fanout(reporter, recorder ? &*recorder : nullptr);
    strategy.set_observer(&fanout);

    CoordinatorSettings settings;
    settings.maximize = options.maximize;
    settings.arg_style = options.arg_style;
    settings.stop_requested = &StopSignals::requested();
    settings.watch = watch;
    settings.prune = options.prune;
    // Intermediate values are judged as the coordinator wakes: at least every 50 ms while pruning.
    if (options.prune.prune != PruneRule::none) settings.poll_interval = std::min(settings.poll_interval, std::chrono::milliseconds(50));
    Coordinator coordinator(strategy, options.space, transport, layout, settings);
    std::optional<CheckpointKeeper> keeper;
    if (options.keep_checkpoints == KeepCheckpoints::live && !options.kernel.checkpoint_root.empty()) {
        keeper.emplace(strategy, CheckpointKeeper::Settings{
            options.kernel.checkpoint_root, best_trial_id(session.resumed_trials, options.maximize),
            recorder ? std::function<std::size_t()>([&recorder] { return recorder->commits(); }) : nullptr,
            [&reporter](const std::string& line) { reporter.warning(line); }});
    }
    coordinator.resume_from(std::move(session.resumed_trials), strategy.pending(), session.resumed_intermediate);
    if (recorder) coordinator.add_observer(&*recorder);
    coordinator.add_observer(&reporter);
    if (keeper) coordinator.add_observer(&*keeper);  // after the recorder (it sees each commit at once) and the log
    RunResult result = coordinator.run();
    if (result.interrupted) result.stop_signal = StopSignals::last_signal();
    confirm_best(result, options.maximize);
    strategy.set_observer(nullptr);
    return result;
}

}  // namespace

RunResult run(const RunOptions& given) {
    const RunOptions options = finalize(given);
    StopSignals stop_signals;
    std::optional<Session> session;
    const auto prepare = [&] { session.emplace(options); };

    // MPI is asked its size only when a launcher set it up: started alone, hpo never needs MPI.
    const JobEnvironment env = read_job_environment();
    if (env.launched_by_mpi) die_with_mpi_launcher();
    const int world_size = env.launched_by_mpi ? mpi::world_size() : 1;
    // Before anything is prepared: no task may leave a checkpoint behind.
    if (const std::string problem = slurm_tasks_without_mpi(env, world_size); !problem.empty()) {
        throw std::invalid_argument(problem);
    }
    if (world_size > 1) {
        return mpi::run_job(
            options.kernel, options.prune, heartbeat_interval_seconds(options.worker_timeout_seconds),
            num_demes(options.strategy), prepare,
            [&](Transport& transport, const WorkerLayout& layout) {
                return coordinate(options, *session, transport, layout,
                                  watch_limits(options.kernel, options.worker_timeout_seconds));
            },
            StopSignals::requested());
    }

    if (!launches_remotely(options.kernel.launcher)) {
        prepare();
        LocalTransport transport(options.kernel, options.parallel, {}, options.prune);
        const WorkerLayout layout =
            make_worker_layout(std::vector<std::string>(options.parallel, current_node_name()), num_demes(options.strategy));
        return coordinate(options, *session, transport, layout);
    }
    // Alone with srun/mpirun: one worker thread per slot of the allocation (fewer if --parallel
    // says so), worker i always on slot i, so that running evaluations never share a node. The
    // slots first: a run that cannot have them must not leave a new checkpoint behind.
    std::vector<NodeSlot> slots = cut_into_slots(allocation_nodes(options.kernel.launcher), options.kernel.nodes_per_eval);
    if (options.parallel > 0 && options.parallel < slots.size()) slots.resize(options.parallel);
    const std::vector<std::string> here(slots.size(), current_node_name());
    const WorkerLayout layout = make_worker_layout(here, num_demes(options.strategy), slots);
    prepare();
    LocalTransport transport(options.kernel, slots.size(), slots, options.prune);
    return coordinate(options, *session, transport, layout);
}

}  // namespace hpo
