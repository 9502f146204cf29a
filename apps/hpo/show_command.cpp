// `hpo show FILE.h5`: the best trial, the status counts (and what pruning saved), the best pbt
// member's schedule (or the best trial's lineage), each deme's best, the configuration, and
// whether the run finished.
#include "show_command.hpp"

#include <iostream>
#include <map>
#include <sstream>

#include <boost/program_options.hpp>

#include "arguments.hpp"
#include "checkpoint_file.hpp"
#include "exit_codes.hpp"
#include "hpo/confirmation.hpp"
#include "hpo/driver/param_values.hpp"
#include "hpo/config/option_table.hpp"
#include "hpo/exec/command_line.hpp"
#include "hpo/prune/prune_options.hpp"
#include "print_lineage.hpp"
#include "print_result.hpp"

namespace hpo::cli {

namespace po = boost::program_options;

namespace {

constexpr const char* usage = "hpo show FILE.h5";

// The strategy as the `hpo run` options that configure it.
std::string strategy_text(const StrategyConfig& strategy) {
    return std::string(strategy_name(strategy)) + " " + describe_options(strategy, OptionStyle::command_line);
}

struct DemeSummary {
    std::size_t trials = 0, repeats = 0;
    const Trial* best = nullptr;
};

// Each deme's trials and its best: what its search found, so repeats (--confirm-top) are counted
// apart and never its best (a lucky repeat is no configuration of the deme's own).
void print_demes(std::ostream& out, const Checkpoint& checkpoint) {
    std::map<int, DemeSummary> demes;
    for (const Trial& trial : checkpoint.trials) {
        DemeSummary& deme = demes[trial.deme];
        if (trial.repeat_of) {
            ++deme.repeats;
            continue;
        }
        ++deme.trials;
        if (trial.ok() && (!deme.best || better_trial(trial, *deme.best, checkpoint.options.maximize))) {
            deme.best = &trial;
        }
    }
    if (demes.empty()) return;
    out << "per deme:\n";
    for (const auto& [id, deme] : demes) {
        out << "  deme " << id << ": " << deme.trials << (deme.trials == 1 ? " trial" : " trials");
        if (deme.repeats > 0) out << " and " << deme.repeats << (deme.repeats == 1 ? " repeat" : " repeats");
        if (deme.best) {
            out << ", best FoM " << fom_text(deme.best->fom) << " (trial " << deme.best->id << ")\n";
        } else {
            out << ", no successful trial\n";
        }
    }
}

// Every configuration evaluated again (--confirm-top), best first, by the ranking the summary's
// best comes from.
void print_confirmed(std::ostream& out, const Checkpoint& checkpoint) {
    const std::vector<Confirmation> ranking = confirmed_ranking(checkpoint.trials, checkpoint.options.maximize);
    if (ranking.empty()) return;
    out << "confirmed configurations (mean over their ok runs, best first):\n";
    for (const Confirmation& c : ranking) {
        out << "  " << c.rank << ". trial " << c.original << ": mean " << fom_text(c.mean) << ", std " << fom_text(c.std)
            << ", min " << fom_text(c.min) << ", max " << fom_text(c.max) << ", n " << c.runs;
        if (c.failed > 0) out << ", " << c.failed << " failed";
        out << "\n";
    }
}

void print_configuration(std::ostream& out, const RunOptions& options) {
    out << "configuration:\n"
        << "  strategy: " << strategy_text(options.strategy) << "\n"
        << "  kernel: " << shell_join(options.kernel.command) << "\n"
        << "  parameters:\n";
    for (const Parameter& parameter : options.space) out << "    " << parameter.describe() << "\n";
    out << "  seed: " << options.seed << "\n"
        << "  direction: " << (options.maximize ? "maximize" : "minimize") << "\n"
        << "  arg style: " << to_string(options.arg_style) << "\n"
        << "  fom prefix: \"" << options.kernel.fom_prefix << "\"\n"
        << "  timeout: ";
    if (options.kernel.timeout_seconds > 0) {
        out << fom_text(options.kernel.timeout_seconds) << " s\n";
    } else {
        out << "none\n";
    }
    out << "  pruning: " << options.prune.text(OptionStyle::command_line) << "\n"
        << "  confirmation: " << options.confirm.text(OptionStyle::command_line) << "\n"
        << "  run dir: " << options.kernel.run_dir << "\n";
    if (!options.kernel.stage_paths.empty()) out << "  staged: " << shell_join(options.kernel.stage_paths) << "\n";
    if (!options.kernel.checkpoint_root.empty()) {
        out << "  checkpoint directories: " << options.kernel.checkpoint_root << "/<trial id> (keep "
            << to_string(options.keep_checkpoints) << ")\n";
    }
    out << "  parallel: " << options.parallel << "\n"
        << "  launcher: " << to_string(options.kernel.launcher);
    if (launches_remotely(options.kernel.launcher)) {
        out << ", " << options.kernel.nodes_per_eval << " node(s) per evaluation";
        if (!options.kernel.launch_args.empty()) out << ", launch args: " << shell_join(options.kernel.launch_args);
    }
    out << "\n"
        << "  log: " << (options.log_fn.empty() ? "none" : options.log_fn) << "\n"
        << "  checkpoint interval: " << fom_text(options.checkpoint_interval) << " s\n";
}

}  // namespace

int show_command(const std::vector<std::string>& args) {
    po::options_description options("Options");
    options.add_options()("help,h", "print this help and exit");
    const SplitArguments split = split_arguments(args, options, /*allow_positionals=*/true);
    po::variables_map vm;
    po::store(parse_split_options(split, options), vm);
    if (vm.count("help")) {
        std::cout << "usage: " << usage << "\n\n"
                  << "Prints what the checkpoint FILE.h5 holds: the best trial, the trials per status,\n"
                     "the schedule of the best member (pbt: its hyperparameters round by round along\n"
                     "the checkpoints it descends from; genetic search with @checkpoint: the best\n"
                     "trial's ancestors), each deme's best, the run's configuration, and whether the\n"
                     "run finished. It can be read while the run is going on.\n\n"
                  << options << "\n"
                  << "Exit status: 0, or 2 for a file that is not a readable hpo checkpoint.\n";
        return exit_success;
    }
    const std::string path = checkpoint_argument(split, usage);
    const Checkpoint checkpoint = load_checkpoint_file(path);
    const RunOptions& run_options = checkpoint.options;

    std::ostream& out = std::cout;
    out << "checkpoint: " << path << " (format version " << checkpoint.format_version << ")\n";
    if (checkpoint.finished) {
        out << "run: finished\n";
    } else {
        out << "run: not finished (stopped, or still running): continue it with `hpo resume " << shell_quote(path)
            << "`\n";
    }
    const RunResult result = result_of(checkpoint);
    print_result(out, run_options, result);
    out << lineage_text(run_options, checkpoint.trials, result.best ? &*result.best : nullptr);
    print_confirmed(out, checkpoint);
    print_demes(out, checkpoint);
    print_configuration(out, run_options);
    out << std::flush;
    return exit_success;
}

}  // namespace hpo::cli
