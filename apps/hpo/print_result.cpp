// The summary `hpo run` prints at the end: best FoM, best parameters, status counts, pruning.
#include "print_result.hpp"

#include <algorithm>
#include <csignal>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "hpo/exec/command_line.hpp"
#include "hpo/number_text.hpp"
#include "print_result_pruning.hpp"

namespace hpo::cli {

namespace {

// The trial's message (why it failed, then the tail of its stderr), indented under the error
// line and cut to its first line and last lines: enough to see e.g. a script path that does not
// exist from the trial's directory.
std::string indented_excerpt(const std::string& message) {
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin <= message.size()) {
        const std::size_t end = std::min(message.find('\n', begin), message.size());
        std::string line = message.substr(begin, end - begin);
        if (line.size() > 300) line = line.substr(0, 300) + "...";
        lines.push_back(std::move(line));
        begin = end + 1;
    }
    constexpr std::size_t keep_last = 10;
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i == 0 || i + keep_last >= lines.size()) {
            text += "\n  " + lines[i];
        } else if (i == 1) {
            text += "\n  ...";
        }
    }
    return text;
}

// Deme and generation mean something only to the genetic strategy; random, grid and bayes put
// every trial in deme 0, generation 0, and printing that would suggest a structure they lack.
// Decided from the trials, so that it needs no strategy type.
bool has_demes_or_generations(const std::vector<Trial>& trials) {
    return std::any_of(trials.begin(), trials.end(), [](const Trial& t) { return t.deme > 0 || t.generation > 0; });
}

}  // namespace

std::string fom_text(double fom) { return number_text(fom); }

std::string confirmed_text(const RunOptions& options, const RunResult& result) {
    if (!result.confirmed || !result.best) return {};
    const Confirmation& c = *result.confirmed;
    const Trial& best = *result.best;
    std::string text = "best FoM (mean of " + std::to_string(c.runs) + " runs): " + fom_text(c.mean) +
                       " (std " + fom_text(c.std) + ", min " + fom_text(c.min) + ", max " + fom_text(c.max) +
                       ", n " + std::to_string(c.runs);
    if (c.failed > 0) text += ", " + std::to_string(c.failed) + " failed";
    text += ")\n";
    text += "best parameters: " + shell_join(hyperparameter_args(options.space, best.values, options.arg_style)) + "\n";
    text += "best trial: " + std::to_string(best.id) + " and its " + std::to_string(c.repeats) +
            (c.repeats == 1 ? " repeat" : " repeats");
    std::vector<std::string> repeat_ids;
    for (const Trial& trial : result.trials)
        if (trial.repeat_of == best.id) repeat_ids.push_back(std::to_string(trial.id));
    std::sort(repeat_ids.begin(), repeat_ids.end(), [](const std::string& a, const std::string& b) {
        return std::stoull(a) < std::stoull(b);
    });
    for (std::size_t i = 0; i < repeat_ids.size(); ++i) text += (i ? ", " : " (trials ") + repeat_ids[i];
    if (!repeat_ids.empty()) text += ")";
    if (has_demes_or_generations(result.trials)) {
        text += " (deme " + std::to_string(best.deme) + ", generation " + std::to_string(best.generation) + ")";
    }
    text += "\n";
    // The single luckiest run, when it is another configuration: what confirmation guarded against.
    const Trial* luckiest = nullptr;
    for (const Trial& trial : result.trials)
        if (trial.ok() && (!luckiest || better_trial(trial, *luckiest, options.maximize))) luckiest = &trial;
    if (luckiest) {
        const TrialId configuration = luckiest->repeat_of.value_or(luckiest->id);
        if (configuration != best.id) {
            text += "best single run: FoM " + fom_text(luckiest->fom) + " (trial " + std::to_string(luckiest->id) +
                    "), not the best configuration on average\n";
        }
    }
    return text;
}

std::string status_details(const std::vector<Trial>& trials) {
    std::map<TrialStatus, std::size_t> counts;
    for (const auto& trial : trials) ++counts[trial.status];
    std::string details;
    for (const auto& [status, count] : counts) {
        details += (details.empty() ? "" : ", ") + std::to_string(count) + " " + std::string(to_string(status));
    }
    return details;
}

void print_result(std::ostream& out, const RunOptions& options, const RunResult& result) {
    // Built whole and written at once, so that no other process's line lands inside it.
    std::string text = "trials: " + std::to_string(result.trials.size());
    if (!result.trials.empty()) text += " (" + status_details(result.trials) + ")";
    text += result.interrupted ? ", interrupted\n" : "\n";
    if (!result.best) {
        text += "no successful trial\n";
    } else if (result.confirmed) {
        text += confirmed_text(options, result);
    } else {
        const Trial& best = *result.best;
        text += "best FoM: " + fom_text(best.fom) + "\n" +
                "best parameters: " + shell_join(hyperparameter_args(options.space, best.values, options.arg_style)) +
                "\n" + "best trial: " + std::to_string(best.id);
        if (has_demes_or_generations(result.trials)) {
            text += " (deme " + std::to_string(best.deme) + ", generation " + std::to_string(best.generation) + ")";
        }
        text += "\n";
    }
    text += pruning_text(options, result.trials);
    text += lost_workers_text(result);
    out << text << std::flush;
}

std::string lost_workers_text(const RunResult& result) {
    if (result.lost_workers.empty()) return {};
    std::string text = "lost workers:";
    for (std::size_t i = 0; i < result.lost_workers.size(); ++i) {
        const LostWorker& lost = result.lost_workers[i];
        text += std::string(i ? "," : "") + " rank " + std::to_string(lost.worker + 1) + " (node " + lost.node + ")";
        if (!lost.trial) continue;
        const TrialId id = *lost.trial;
        const bool finished = std::any_of(result.trials.begin(), result.trials.end(), [id](const Trial& t) { return t.id == id; });
        text += ", trial " + std::to_string(id) + (finished ? " re-run" : " pending");
    }
    return text + "\n";
}

std::string failure_reason(const RunOptions& options, const RunResult& result) {
    if (!result.best) {
        std::string reason = "no trial succeeded";
        if (!result.trials.empty()) {
            const Trial& first = result.trials.front();
            reason += " (" + status_details(result.trials) + "); the first to end, trial " + std::to_string(first.id) +
                      ", ended " + std::string(to_string(first.status)) + ":";
            reason += indented_excerpt(first.message.empty() ? std::string("(no message)") : first.message);
            reason += "\n  its stdout and stderr: " + options.kernel.run_dir + "/" + std::to_string(first.id) + "/";
        }
        return reason;
    }
    return {};
}

std::string interruption_notice(const RunOptions& options, const RunResult& result) {
    const int signal = result.stop_signal;
    const char* name = signal == SIGTERM ? "SIGTERM"
                       : signal == SIGINT ? "SIGINT"
                       : signal == SIGUSR1 ? "SIGUSR1"
                       : signal == SIGHUP  ? "SIGHUP"
                                           : nullptr;
    std::string notice = signal == 0 && !result.lost_workers.empty() ? std::string("every worker was lost before the planned evaluations were done; ")
                                     : std::string("interrupted by ") + (name ? name : "a signal") +
                                           " before the planned evaluations were done; ";
    if (options.checkpoint_fn.empty()) {
        return notice + "no checkpoint was written (--no-checkpoint): a new run starts from the beginning";
    }
    return notice + "the checkpoint " + shell_quote(options.checkpoint_fn) +
           " holds every finished trial: continue with `hpo resume " + shell_quote(options.checkpoint_fn) + "`";
}

std::string setup_error_notice(const RunOptions& options, const std::string& error) {
    std::string notice = error + "\nhpo: the run stopped: hpo could not start a trial (its own trouble, not the kernel's); ";
    if (options.checkpoint_fn.empty()) return notice + "no checkpoint was written (--no-checkpoint)";
    return notice + "the trial is still pending: fix the cause (or pass another --run-dir) and continue with `hpo resume " +
           shell_quote(options.checkpoint_fn) + "`";
}

}  // namespace hpo::cli
