// `hpo resume FILE.h5 [OPTIONS]` (see resume_options.hpp).
#include "resume_options.hpp"

#include <algorithm>
#include <set>
#include <sstream>
#include <string_view>

#include <boost/program_options.hpp>

#include "arguments.hpp"
#include "checkpoint_file.hpp"
#include "exit_codes.hpp"
#include "hpo/strategy/factory.hpp"
#include "option_table.hpp"

namespace hpo::cli {

namespace po = boost::program_options;

namespace {

// What a resume may change: how long the search goes on, and how and where it runs. Everything
// that decides which trials the search proposes is the checkpoint's. --keep-checkpoints may change
// (it is about disk, not the search: the search never reads a directory it removes);
// --checkpoint-root may not (the trials to come start from the directories under the stored one).
// The strategies' budget options (--generations, --evals) come from their option tables.
constexpr std::string_view resume_overrides[] = {"parallel", "timeout", "worker-timeout", "log", "run-dir",
                                                 "checkpoint-interval", "quiet", "no-progress",
                                                 "launcher", "nodes-per-eval", "launch-args", "echo-output",
                                                 "stage", "keep-checkpoints"};

bool may_override(const std::string& name) {
    return name == "help" || is_budget_option(name) || is_confirm_option(name) ||
           std::find(std::begin(resume_overrides), std::end(resume_overrides), name) != std::end(resume_overrides);
}

constexpr const char* new_run_hint =
    "a resume continues the stored run as it was configured; to change the search space, kernel or "
    "strategy, start a new run in the checkpoint's place: `hpo run [OPTIONS] --checkpoint FILE --force -- COMMAND`";

// The budget options of every strategy's table: `  --generations N   generations per deme (genetic)`.
std::string budget_help() {
    std::ostringstream out;
    std::set<std::string_view> listed;
    for_each_strategy([&](const auto& options) {
        for (const auto& field : options.table()) {
            if (!field.budget || !listed.insert(field.flag).second) continue;
            std::string name = "  --" + std::string(field.flag) + " " + std::string(field.value_name);
            name.resize(std::max<std::size_t>(name.size() + 1, 31), ' ');
            out << name << field.help << ": more extend the run\n";
        }
    });
    return out.str();
}

// Written out rather than taken from the run table: there the defaults are a new run's, here
// every option defaults to what the checkpoint holds.
std::string help_text() {
    std::ostringstream out;
    out << "usage: hpo resume FILE.h5 [OPTIONS]\n\n"
           "Continues the run the checkpoint FILE.h5 holds, with its stored configuration (search\n"
           "space, kernel command, strategy, seed): its finished trials are kept, the trials that\n"
           "were running when it stopped are evaluated again (same ids, same parameters), then the\n"
           "search goes on. The same as the original `hpo run` command with --resume.\n\n"
           "Options a resume may change (each defaults to the checkpoint's):\n"
        << budget_help() <<
           "  --confirm-top K, --confirm-repeats R\n"
           "                               confirmation (docs/confirm.md): may be raised, not lowered\n"
           "  --parallel K                 concurrent evaluations when run alone\n"
           "  --timeout SECONDS            per evaluation, 0 for none\n"
           "  --worker-timeout SECONDS     under MPI: a silent worker rank is lost after SECONDS\n"
           "  --launcher NAME, --nodes-per-eval K, --launch-args ARGS\n"
           "                               how and where evaluations run (a new allocation)\n"
           "  --stage PATH                 linked into each trial directory, repeatable: replaces the\n"
           "                               stored paths (the same data in another place)\n"
           "  --echo-output                also print the kernels' output lines on stderr\n"
           "  --keep-checkpoints live|all  which checkpoint directories stay (from now on: those\n"
           "                               already removed stay removed)\n"
           "  --log FILE                   the text log, appended to\n"
           "  --run-dir DIR                new trials run in DIR/<trial id>/\n"
           "  --checkpoint-interval SECONDS\n"
           "                               a finished trial is in the checkpoint within SECONDS\n"
           "  --quiet                      print nothing but errors (default: progress and summary)\n"
           "  --no-progress                no progress lines while it runs\n"
           "  -h [ --help ]                print this help and exit\n"
           "Anything else (search space, kernel, strategy, pruning, seed...) needs a new run:\n"
           "`hpo run [OPTIONS] --checkpoint FILE.h5 --force -- COMMAND`.\n\n"
        << exit_status_help;
    return out.str();
}

}  // namespace

RunInvocation parse_resume_arguments(const std::vector<std::string>& args) {
    OptionValues values;
    OptionTables tables = make_option_tables(values);
    RunInvocation invocation;

    // Every `hpo run` option is recognized, so that one a resume cannot change gets a message
    // saying so rather than "unknown option".
    const SplitArguments split = split_arguments(args, tables.command_line, /*allow_positionals=*/true);
    const po::parsed_options parsed = parse_split_options(split, tables.command_line);
    po::variables_map vm;
    po::store(parsed, vm);
    if (vm.count("help")) {
        invocation.help = true;
        invocation.help_text = help_text();
        return invocation;
    }
    for (const auto& option : parsed.options) {
        if (!may_override(option.string_key)) {
            throw UsageError("hpo resume cannot change --" + option.string_key + ": " + new_run_hint);
        }
    }
    if (split.has_separator) {
        throw UsageError(std::string("hpo resume runs the stored kernel command, nothing goes after `--`: ") +
                         new_run_hint);
    }
    const std::string path = checkpoint_argument(split, "hpo resume FILE.h5 [OPTIONS]");
    po::notify(vm);

    RunOptions options = std::move(load_checkpoint_file(path).options);
    options.checkpoint_fn = path;
    options.checkpoint_mode = CheckpointMode::resume;
    apply_budget_options(options.strategy, vm);
    apply_confirm_options(options.confirm, vm);
    if (given(vm, "parallel")) options.parallel = non_negative("parallel", values.parallel);
    if (given(vm, "timeout")) options.kernel.timeout_seconds = values.timeout;
    if (given(vm, "worker-timeout")) options.worker_timeout_seconds = values.worker_timeout;
    if (given(vm, "launcher") || given(vm, "nodes-per-eval") || given(vm, "launch-args")) {
        apply_cluster_options(values, vm, options.kernel);
    }
    if (given(vm, "log")) options.log_fn = values.log;
    if (given(vm, "run-dir")) options.kernel.run_dir = values.run_dir;
    if (given(vm, "checkpoint-interval")) options.checkpoint_interval = values.checkpoint_interval;
    // What this command prints is its own business, not the stored run's.
    options.quiet = values.quiet;
    options.kernel.echo_output = values.echo_output;
    if (given(vm, "stage")) options.kernel.stage_paths = values.stage;
    if (given(vm, "keep-checkpoints")) options.keep_checkpoints = keep_checkpoints_option(values.keep_checkpoints);
    options.progress = !values.quiet && !values.no_progress;
    invocation.warnings = ignored_options(vm, options.strategy);

    invocation.options = checked_options(std::move(options));
    return invocation;
}

}  // namespace hpo::cli
