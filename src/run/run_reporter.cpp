// Progress lines and the text log, in the spirit of the seed's genetic.log.
#include "run_reporter.hpp"

#include "log_text.hpp"

#include "hpo/confirmation.hpp"
#include "hpo/exec/command_line.hpp"
#include "hpo/exec/hostlist.hpp"
#include "hpo/number_text.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <optional>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace hpo {

namespace {

// Progress lines share stderr with the other ranks under mpirun (and with stdout's summary in
// one terminal): a line written in pieces can be cut by another process's line, so each line
// goes out in one insertion, which std::cerr passes to one write(2).
void write_line(std::ostream& out, std::string line) {
    line += '\n';
    out << line << std::flush;
}

std::string fixed_text(double value, int decimals) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << value;
    return out.str();
}

// Deme and generation mean something only to the genetic strategy; for the others every trial
// is in deme 0, generation 0, and saying so would suggest otherwise.
bool has_demes_or_generations(const std::vector<Trial>& trials) {
    return std::any_of(trials.begin(), trials.end(), [](const Trial& t) { return t.deme > 0 || t.generation > 0; });
}

// `0.412 s (0.322 ms per evaluation)`: what the coordinator's loop cost, over the evaluations of
// this run (a resumed run's earlier trials cost it nothing). Three significant digits, so that
// the few microseconds of an instant kernel's evaluation still show.
std::string coordinator_cpu_text(const RunResult& result) {
    std::ostringstream out;
    out << std::setprecision(3) << result.coordinator_cpu_seconds << " s";
    const std::size_t evaluated = result.trials.size() - std::min(result.resumed_trials, result.trials.size());
    if (evaluated > 0) {
        out << " (" << 1e3 * result.coordinator_cpu_seconds / static_cast<double>(evaluated) << " ms per evaluation)";
    }
    return out.str();
}

}  // namespace

RunReporter::RunReporter(const RunOptions& options, std::ostream* progress, bool resuming)
    : options_(options), progress_(progress), resuming_(resuming), deme_logs_(options, resuming) {
    if (!options.log_fn.empty()) {
        log_.open(options.log_fn, std::ios::out | (resuming ? std::ios::app : std::ios::trunc));
        if (!log_) throw std::runtime_error("cannot write the log file '" + options.log_fn + "'");
    }
}

double RunReporter::elapsed_seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

void RunReporter::on_start(const Strategy& strategy, const WorkerLayout& layout) {
    planned_ = strategy.planned_evaluations();
    // Only the workers with demes evaluate: with srun/mpirun, one per slot of nodes.
    const auto workers = static_cast<std::size_t>(std::count_if(
        layout.demes_of_worker.begin(), layout.demes_of_worker.end(), [](const auto& demes) { return !demes.empty(); }));
    const KernelConfig& kernel = options_.kernel;
    if (progress_) {
        std::ostringstream line;
        line << "hpo: " << strategy.name() << " search, " << planned_ << " evaluations planned on " << workers;
        if (launches_remotely(kernel.launcher)) {
            line << " slot" << (workers == 1 ? "" : "s") << " of " << kernel.nodes_per_eval << " node"
                 << (kernel.nodes_per_eval == 1 ? "" : "s") << " (" << to_string(kernel.launcher) << ")";
        } else {
            line << " worker" << (workers == 1 ? "" : "s");
        }
        write_line(*progress_, line.str());
        if (layout.demes_share_workers) {
            write_line(*progress_, "hpo: note: " + std::to_string(strategy.num_demes()) + " demes share " +
                                       std::to_string(workers) + " workers; each worker serves several demes");
        }
    }
    if (log_.is_open()) log_settings(strategy, layout);
    deme_logs_.on_start(strategy, layout);
}

void RunReporter::log_settings(const Strategy& strategy, const WorkerLayout& layout) {
    log_ << (resuming_ ? "# hpo run log, resumed from the checkpoint\nresumed: " : "# hpo run log\nstarted: ")
         << timestamp() << "\nstrategy: " << strategy_name(options_.strategy) << " ("
         << describe_options(options_.strategy, OptionStyle::keywords) << " seed=" << options_.seed << ")"
         << "\nkernel: " << shell_join(options_.kernel.command)
         << "\nfom prefix: " << shell_quote(options_.kernel.fom_prefix)
         << "  direction: " << (options_.maximize ? "maximize" : "minimize") << "  arg style: "
         << to_string(options_.arg_style) << "\ntimeout: "
         << (options_.kernel.timeout_seconds > 0 ? number_text(options_.kernel.timeout_seconds) + " s" : "none")
         << "  run dir: " << options_.kernel.run_dir << "\n";
    if (options_.prune.prune != PruneRule::none) log_ << "pruning: " << options_.prune.text(OptionStyle::keywords) << "\n";
    if (options_.confirm.enabled()) log_ << "confirmation: " << options_.confirm.text(OptionStyle::keywords) << "\n";
    if (!options_.kernel.stage_paths.empty()) log_ << "staged: " << shell_join(options_.kernel.stage_paths) << "\n";
    log_ << "parameters:\n";
    for (const auto& parameter : options_.space) log_ << "  " << parameter.describe() << "\n";
    log_ << "workers: " << layout.demes_of_worker.size() << "\n";
    if (launches_remotely(options_.kernel.launcher)) {
        log_ << "launcher: " << to_string(options_.kernel.launcher) << ", " << options_.kernel.nodes_per_eval
             << " node(s) per evaluation; slots:";
        for (const auto& nodes : layout.eval_nodes_of_worker) {
            if (!nodes.empty()) log_ << " " << compress_hostlist(nodes);
        }
        log_ << "\n";
    }
    for (int deme = 0; deme < strategy.num_demes(); ++deme) {
        log_ << "  deme " << deme << ":" << deme_workers_text(layout, deme) << "\n";
    }
    log_ << "planned evaluations: " << planned_;
    if (const std::string plan = strategy.plan(); !plan.empty()) log_ << " (" << plan << ")";
    log_ << "\n" << std::flush;
}

void RunReporter::on_trial(const Trial& trial, const RunResult& so_far) {
    deme_logs_.on_trial(trial);
    if (!trial.ok()) {
        ++(trial.status == TrialStatus::pruned ? pruned_ : failed_);
        if (log_.is_open()) {
            std::string message = trial.message.substr(0, 200);
            for (char& c : message) if (c == '\n') c = ' ';
            log_ << "trial " << trial.id << " (deme " << trial.deme << ", generation " << trial.generation
                 << ") " << to_string(trial.status) << ": " << message << "\n";
        }
    }
    const auto now = std::chrono::steady_clock::now();
    if (progress_ && now - last_progress_ >= std::chrono::seconds(1)) progress_line(so_far);
}

void RunReporter::progress_line(const RunResult& so_far) {
    last_progress_ = std::chrono::steady_clock::now();
    reported_ = so_far.trials.size();
    std::string line = "hpo: " + std::to_string(so_far.trials.size());
    if (planned_) line += "/" + std::to_string(planned_);
    line += " evaluations, best " + (so_far.best ? fom_text(so_far.best->fom) : std::string("none yet")) + ", " +
            std::to_string(failed_) + " failed, " + (pruned_ ? std::to_string(pruned_) + " pruned, " : "") +
            fixed_text(elapsed_seconds(), 1) + " s";
    write_line(*progress_, std::move(line));
}

void RunReporter::on_generation_end(const GenerationSummary& summary) {
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - generation_started_).count();
    generation_started_ = now;
    deme_logs_.on_generation_end(summary);
    if (log_.is_open()) {
        log_ << "generation " << summary.generation << ": global best " << fom_text(summary.global_best_fom)
             << ", " << std::fixed << std::setprecision(2) << seconds << " s" << std::defaultfloat << "\n";
        for (const auto& deme : summary.demes) {
            log_ << "  deme " << deme.deme << ": best " << fom_text(deme.best_fom) << ", average "
                 << fom_text(deme.mean_fom) << ", " << deme.evaluated << " evaluated, " << deme.failed << " failed"
                 << (deme.pruned ? ", " + std::to_string(deme.pruned) + " pruned" : "") << "\n";
        }
        log_ << std::flush;
    }
    if (progress_) {
        write_line(*progress_, "hpo: generation " + std::to_string(summary.generation) + " done, global best " +
                                   fom_text(summary.global_best_fom));
    }
}

void RunReporter::on_migration(const Migration& migration) {
    deme_logs_.on_migration(migration);
    if (!log_.is_open()) return;
    log_ << "migration after generation " << migration.generation << ": deme " << migration.from_deme << " -> deme "
         << migration.to_deme << ", trial " << migration.individual << " (FoM " << fom_text(migration.fom) << ")\n";
}

// A warning on stderr even without progress lines (the run goes on with fewer workers, and its
// MPI job will end with MPI_Abort), and a line in the log.
void RunReporter::on_worker_lost(const LostWorker& lost, const RunResult& so_far) {
    std::string line = "lost worker rank " + std::to_string(lost.worker + 1) + " (node " + lost.node + "): " + lost.reason;
    if (lost.trial) {
        line += so_far.interrupted ? "; its trial " + std::to_string(*lost.trial) + " stays pending for the resume"
                                   : "; its trial " + std::to_string(*lost.trial) + " runs again on another worker";
    }
    if (!options_.quiet) write_line(std::cerr, "hpo: warning: " + line);
    if (log_.is_open()) log_ << timestamp() << " " << line << "\n" << std::flush;
}

void RunReporter::warning(const std::string& line) {
    if (!options_.quiet) write_line(std::cerr, "hpo: warning: " + line);
    if (log_.is_open()) log_ << timestamp() << " warning: " << line << "\n" << std::flush;
}

void RunReporter::on_finish(const RunResult& result) {
    deme_logs_.on_finish();
    if (progress_) {
        if (reported_ != result.trials.size()) progress_line(result);
        write_line(*progress_, "hpo: coordinator CPU: " + coordinator_cpu_text(result));
    }
    if (!log_.is_open()) return;
    std::map<TrialStatus, std::size_t> counts;
    for (const auto& trial : result.trials) ++counts[trial.status];
    // A resumed run's earlier trials ran before this session's clock started: counting them
    // against its wall time gave utilizations above 100 %.
    const std::size_t resumed = std::min(result.resumed_trials, result.trials.size());
    double busy = 0;
    for (std::size_t i = resumed; i < result.trials.size(); ++i) {
        busy += result.trials[i].end_time - result.trials[i].start_time;
    }
    const std::size_t evaluated = result.trials.size() - resumed;
    const double wall = elapsed_seconds();
    log_ << (result.interrupted ? "interrupted" : "finished") << ": " << timestamp() << "\nevaluations: "
         << result.trials.size();
    for (const auto& [status, count] : counts) log_ << "  " << to_string(status) << "=" << count;
    if (resumed > 0) log_ << "  (" << evaluated << " in this session)";
    log_ << "\nwall time: " << fixed_text(wall, 2) << " s";
    if (evaluated > 0) {
        log_ << "  mean evaluation: " << fixed_text(busy / static_cast<double>(evaluated), 2) << " s";
        if (wall > 0 && result.workers) {
            log_ << "  worker utilization: "
                 << fixed_text(100.0 * busy / (wall * static_cast<double>(result.workers)), 1) << " %";
        }
    }
    log_ << "\ncoordinator CPU: " << coordinator_cpu_text(result) << "\n";
    // With confirmation, the best configuration by its mean (the summary's: confirmed_best).
    const std::optional<Confirmation> confirmed = confirmed_best(result.trials, options_.maximize);
    const Trial* confirmed_trial = nullptr;
    if (confirmed)
        for (const Trial& trial : result.trials)
            if (trial.id == confirmed->original) confirmed_trial = &trial;
    if (confirmed && confirmed_trial) {
        const Trial& best = *confirmed_trial;
        log_ << "best FoM (mean of " << confirmed->runs << " runs): " << fom_text(confirmed->mean) << " (std "
             << fom_text(confirmed->std) << ", min " << fom_text(confirmed->min) << ", max " << fom_text(confirmed->max)
             << ", n " << confirmed->runs << "; trial " << best.id << " and " << confirmed->repeats << " repeats)\n"
             << "best parameters: " << shell_join(hyperparameter_args(options_.space, best.values, options_.arg_style))
             << "\n";
    } else if (result.best) {
        const Trial& best = *result.best;
        log_ << "best FoM: " << fom_text(best.fom) << " (trial " << best.id;
        if (has_demes_or_generations(result.trials)) {
            log_ << ", deme " << best.deme << ", generation " << best.generation;
        }
        log_ << ")\nbest parameters: "
             << shell_join(hyperparameter_args(options_.space, best.values, options_.arg_style)) << "\n";
    } else {
        log_ << "no successful trial\n";
    }
    for (const auto& lost : result.lost_workers) {
        log_ << "lost worker: rank " << lost.worker + 1 << " (node " << lost.node << ")";
        if (lost.trial) log_ << ", trial " << *lost.trial;
        log_ << ": " << lost.reason << "\n";
    }
    log_ << std::flush;
}

}  // namespace hpo
