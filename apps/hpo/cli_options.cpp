// `hpo run` options: their translation into RunOptions, the config file, the help text.
#include "cli_options.hpp"

#include <charconv>
#include <filesystem>
#include <sstream>

#include <boost/program_options.hpp>

#include "arguments.hpp"
#include "config_file.hpp"
#include "exit_codes.hpp"
#include "hpo/exec/command_line.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/store/checkpoint.hpp"
#include "hpo/store/checkpoint_path.hpp"
#include "hpo/strategy/factory.hpp"
#include "option_table.hpp"

namespace hpo::cli {

namespace po = boost::program_options;

namespace {

std::string help_text(const po::options_description& options) {
    std::ostringstream out;
    out << "usage: hpo run [OPTIONS] -- COMMAND [ARGS...]\n"
           "       hpo run --config run.ini [OPTIONS] [-- COMMAND [ARGS...]]\n\n"
           "Optimizes the hyperparameters of COMMAND, a training kernel that receives them as\n"
           "flags (--lr=0.001) and prints its figure of merit as `FoM: <value>`. COMMAND runs\n"
           "without a shell, once per trial, in its own directory <run-dir>/<trial id>/: the\n"
           "program is found from here (PATH, ./kernel.sh), and so are the arguments that hold a\n"
           "'/' and name a file here (./train.py, data/); bare words (train.py, 3) are passed as\n"
           "they are, relative to the trial's directory. Alone, hpo runs --parallel evaluations\n"
           "at once; under mpirun or srun, rank 0 coordinates and the other ranks evaluate.\n"
           "Every finished trial goes to the checkpoint (hpo.h5): after a crash, a time limit or\n"
           "a signal, `hpo resume hpo.h5` (or the same command with --resume) continues the run;\n"
           "`hpo show` and `hpo export` read it.\n"
        << options << "\n"
        << exit_status_help
        << "\nExample:\n"
           "  hpo run --param '--lr 0.001 [1e-5,0.1] log' --param '--opt adam {adam,sgd}' \\\n"
           "          --generations 5 --pop-size 8 --demes 2 -- python3 \"$PWD/train.py\" --epochs 3\n";
    return out.str();
}

template <class Convert>
auto convert(const char* option, const std::string& text, Convert convert_fn) {
    try {
        return convert_fn(text);
    } catch (const std::invalid_argument& error) {
        throw UsageError(std::string("--") + option + ": " + error.what());
    }
}

std::uint64_t parse_seed(const std::string& text) {
    std::uint64_t seed = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        throw UsageError("--seed must be an integer from 0 to 2^64-1, got '" + text + "'");
    }
    return seed;
}

// Where an option was given: the command line wins over the config file.
enum class Source { none, config_file, command_line };

Source source_of(const char* name, const po::variables_map& vm, const po::parsed_options& from_command_line) {
    for (const auto& option : from_command_line.options) {
        if (option.string_key == name) return Source::command_line;
    }
    return given(vm, name) ? Source::config_file : Source::none;
}

// --checkpoint/--no-checkpoint/--resume/--force: the checkpoint file and what to do with it. Of
// two options that exclude each other, the command line's wins over the config file's (a switch
// set in the file cannot be unset otherwise); both in the same place is a usage error.
void set_checkpoint(const OptionValues& v, const po::variables_map& vm, const po::parsed_options& from_command_line,
                    RunOptions& options) {
    const auto source = [&](const char* name) { return source_of(name, vm, from_command_line); };
    bool resume = v.resume, force = v.force, none = v.no_checkpoint;
    if (resume && force) {
        if (source("resume") == source("force")) {
            throw UsageError("--resume and --force exclude each other: --resume continues the checkpoint, "
                             "--force replaces it with a new run");
        }
        (source("resume") > source("force") ? force : resume) = false;
    }
    if (none) {
        const std::pair<const char*, bool> needing_a_file[] = {
            {"checkpoint", given(vm, "checkpoint")}, {"resume", resume}, {"force", force}};
        const Source none_source = source("no-checkpoint");
        for (const auto& [name, set] : needing_a_file) {
            if (!set) continue;
            if (source(name) == none_source) {
                throw UsageError(std::string("--no-checkpoint and --") + name + " exclude each other");
            }
            if (source(name) > none_source) none = false;
        }
    }
    options.checkpoint_interval = v.checkpoint_interval;  // checked even when unused: a typo is a typo
    if (none) {
        options.checkpoint_fn.clear();
        return;
    }
    if (v.checkpoint.empty()) throw UsageError("--checkpoint needs a file name (--no-checkpoint writes none)");
    options.checkpoint_fn = v.checkpoint;
    // A directory or a device is no checkpoint, whether it would be created, replaced or resumed:
    // said before the run, and never offered to --force.
    try {
        check_checkpoint_path(options.checkpoint_fn);
    } catch (const CheckpointError& error) {
        throw ConfigError(error.what());
    }
    options.checkpoint_mode = resume  ? CheckpointMode::resume
                              : force ? CheckpointMode::replace
                                      : CheckpointMode::create;
}

// Bare words of the command that name a file here: passed as they are (command_word), so the
// kernel, in its trial directory, will not find them.
std::vector<std::string> unanchored_file_warnings(const std::vector<std::string>& command) {
    std::vector<std::string> warnings;
    for (std::size_t i = 0; i < command.size(); ++i) {
        const std::string& word = command[i];
        if (command_word(word, i) != CommandWord::bare) continue;
        std::error_code error;
        if (!std::filesystem::exists(word, error)) continue;
        warnings.push_back("'" + word + "' in the kernel command names a file here but is passed as it is (the "
                           "kernel runs in its trial directory); if it is that file, write ./" + word);
    }
    return warnings;
}

RunOptions to_run_options(const OptionValues& v, const po::variables_map& vm, std::vector<std::string> param_specs,
                          std::vector<std::string> command) {
    RunOptions options;
    options.space = parse_search_space(param_specs);  // SpecError names the parameter
    options.kernel.command = std::move(command);
    options.kernel.fom_prefix = v.fom_prefix;
    options.kernel.timeout_seconds = v.timeout;
    options.kernel.run_dir = v.run_dir;
    options.kernel.echo_output = v.echo_output;
    options.kernel.stage_paths = v.stage;
    options.kernel.checkpoint_root = v.checkpoint_root;
    options.keep_checkpoints = keep_checkpoints_option(v.keep_checkpoints);
    options.arg_style = convert("arg-style", v.arg_style, arg_style_from_string);
    options.maximize = v.maximize;
    options.seed = parse_seed(v.seed);
    options.parallel = non_negative("parallel", v.parallel);
    options.worker_timeout_seconds = v.worker_timeout;
    options.log_fn = v.log;
    options.quiet = v.quiet;
    options.progress = !v.quiet && !v.no_progress;

    options.strategy = strategy_options(v.strategy, vm);
    options.prune = prune_options(vm);
    options.confirm = confirm_options(vm);
    return options;
}

}  // namespace

RunInvocation parse_run_arguments(const std::vector<std::string>& args) {
    OptionValues values;
    OptionTables tables = make_option_tables(values);
    RunInvocation invocation;

    const SplitArguments split = split_arguments(args, tables.command_line);
    const po::parsed_options from_command_line = parse_split_options(split, tables.command_line);

    po::variables_map vm;
    po::store(from_command_line, vm);  // stored first: the file only fills what the command line left
    if (vm.count("help")) {
        invocation.help = true;
        invocation.help_text = help_text(tables.help);
        return invocation;
    }
    std::vector<std::string> file_params;
    if (vm.count("config")) {
        const po::parsed_options from_file = read_config_file(vm["config"].as<std::string>(), tables.config_file);
        file_params = values_of(from_file, "param");
        po::store(from_file, vm);
    }
    po::notify(vm);

    std::vector<std::string> command = split.command;
    if (command.empty() && !values.command.empty()) command = split_command(values.command);
    if (command.empty()) {
        throw UsageError(std::string(split.has_separator ? "the kernel command after `--` is empty"
                                                         : "no kernel command") +
                         ": hpo run [OPTIONS] -- COMMAND [ARGS...], or `command = ...` in the --config file");
    }
    if (values.params.empty() && file_params.empty()) {
        throw UsageError("no parameter to search: give at least one --param 'FLAG [DEFAULT] DOMAIN [log]'");
    }

    const std::vector<std::string> cli_params = values_of(from_command_line, "param");
    RunOptions options = to_run_options(values, vm, merge_params(file_params, cli_params), std::move(command));
    set_checkpoint(values, vm, from_command_line, options);
    apply_cluster_options(values, vm, options.kernel);
    invocation.warnings = ignored_options(vm, options.strategy);
    for (auto& warning : ignored_prune_options(vm, options.prune)) invocation.warnings.push_back(std::move(warning));
    for (auto& warning : unanchored_file_warnings(options.kernel.command)) invocation.warnings.push_back(std::move(warning));

    // Everything the library would reject once running is rejected here, before anything runs:
    // under mpirun every rank fails the same way instead of the workers waiting for rank 0.
    invocation.options = checked_options(std::move(options));
    return invocation;
}

}  // namespace hpo::cli
