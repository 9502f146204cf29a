// `hpo run` options: the table Boost.Program_options parses, and its translation into RunOptions.
#include "cli_options.hpp"

#include <charconv>
#include <sstream>

#include <boost/program_options.hpp>

#include "arguments.hpp"
#include "config_file.hpp"
#include "exit_codes.hpp"
#include "hpo/exec/command_line.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/strategy/factory.hpp"

namespace hpo::cli {

namespace po = boost::program_options;

namespace {

// Raw option values; Boost writes them here, the defaults come from the library's own structs so
// that the help text cannot drift from what actually runs.
struct Values {
    std::string config;
    std::vector<std::string> params;
    std::string strategy = std::string(to_string(StrategyConfig{}.kind));
    std::string seed = "0";
    int generations = GeneticOptions{}.generations;
    int pop_size = GeneticOptions{}.pop_size;
    int demes = GeneticOptions{}.num_demes;
    double mutation_rate = GeneticOptions{}.mutation_rate;
    double crossover_rate = GeneticOptions{}.crossover_rate;
    int migration_interval = GeneticOptions{}.migration_interval;
    int elites = GeneticOptions{}.elites;
    std::string mode = std::string(to_string(GeneticOptions{}.mode));
    long long evals = static_cast<long long>(RandomOptions{}.evals);
    long long grid_size = static_cast<long long>(GridOptions{}.grid_size);
    std::string arg_style = std::string(to_string(RunOptions{}.arg_style));
    std::string fom_prefix = KernelConfig{}.fom_prefix;
    bool maximize = false;
    double timeout = KernelConfig{}.timeout_seconds;
    std::string run_dir = KernelConfig{}.run_dir;
    long long parallel = 0;
    std::string log;
    bool quiet = false;
    bool no_progress = false;
    std::string command;  // config file only
};

template <class T>
po::typed_value<T>* with_default(T* field) {
    return po::value<T>(field)->default_value(*field);
}

// Boost prints a double's default with 17 digits (0.050000000000000003); show the shortest form.
po::typed_value<double>* with_default(double* field) {
    char text[64];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, *field);
    return po::value<double>(field)->default_value(*field, ec == std::errc() ? std::string(text, end) : "");
}

struct Tables {
    po::options_description command_line;
    po::options_description config_file;
    po::options_description help;
};

// Unsigned fields are read as signed: Boost would wrap "-1" into a huge unsigned number.
Tables make_tables(Values& v) {
    po::options_description general("General");
    general.add_options()
        ("help,h", "print this help and exit")
        ("config", po::value(&v.config)->value_name("FILE"),
         "read options from FILE: `key = value` lines with the long option names, `param = SPEC` "
         "repeatable, `command = python3 train.py`; the command line overrides the file");

    po::options_description space("Search space");
    space.add_options()
        ("param", po::value(&v.params)->value_name("SPEC"),
         "one hyperparameter, repeatable: `FLAG [DEFAULT] DOMAIN [log]`, DOMAIN `[lo,hi]` (integer "
         "if both are integers) or `{a,b,c}`; e.g. '--lr 0.001 [1e-5,0.1] log', '--opt adam {adam,sgd}'");

    po::options_description strategy("Strategy");
    strategy.add_options()
        ("strategy", with_default(&v.strategy)->value_name("NAME"), "genetic, random or grid")
        ("seed", with_default(&v.seed)->value_name("N"), "seed of every random choice; same seed, same proposals");

    po::options_description genetic("Genetic strategy (island model)");
    genetic.add_options()
        ("generations", with_default(&v.generations)->value_name("N"), "generations per deme")
        ("pop-size", with_default(&v.pop_size)->value_name("N"), "individuals per deme")
        ("demes", with_default(&v.demes)->value_name("N"), "islands evolving apart")
        ("mutation-rate", with_default(&v.mutation_rate)->value_name("P"), "probability of mutating each gene")
        ("crossover-rate", with_default(&v.crossover_rate)->value_name("P"), "probability of crossing parents")
        ("migration-interval", with_default(&v.migration_interval)->value_name("N"),
         "every N generations each deme sends its best to its neighbour")
        ("elites", with_default(&v.elites)->value_name("N"), "best individuals kept as they are")
        ("mode", with_default(&v.mode)->value_name("MODE"),
         "generational, or steady-state (breed whenever a worker frees up)");

    po::options_description random("Random strategy");
    random.add_options()
        ("evals", with_default(&v.evals)->value_name("N"), "evaluations, the default point first");

    po::options_description grid("Grid strategy");
    grid.add_options()
        ("grid-size", with_default(&v.grid_size)->value_name("N"),
         "points per range, ends included (every option of a choice)");

    po::options_description kernel("Kernel");
    kernel.add_options()
        ("arg-style", with_default(&v.arg_style)->value_name("STYLE"),
         "equals (--lr=0.1) or space (--lr 0.1: two arguments)")
        ("fom-prefix", po::value(&v.fom_prefix)->default_value(v.fom_prefix, "\"" + v.fom_prefix + "\"")->value_name("TEXT"),
         "the kernel prints its figure of merit after TEXT; the last one printed wins")
        ("maximize", po::bool_switch(&v.maximize), "higher FoM is better (default: lower is better)")
        ("timeout", with_default(&v.timeout)->value_name("SECONDS"), "per evaluation, 0 for none")
        ("run-dir", with_default(&v.run_dir)->value_name("DIR"), "each trial runs in DIR/<trial id>/");

    po::options_description output("Execution and output");
    output.add_options()
        ("parallel", with_default(&v.parallel)->value_name("K"),
         "concurrent evaluations when run alone, 0 = the machine's cores (under mpirun: one per worker rank)")
        ("log", po::value(&v.log)->value_name("FILE"), "text log: settings, every generation, migrations, timings")
        ("quiet", po::bool_switch(&v.quiet), "print nothing but errors (no progress, no summary)")
        ("no-progress", po::bool_switch(&v.no_progress), "no progress lines while it runs");

    po::options_description file_only;
    file_only.add_options()("command", po::value(&v.command), "the kernel command (config file only)");

    Tables tables;
    tables.command_line.add(general).add(space).add(strategy).add(genetic).add(random).add(grid).add(kernel).add(output);
    tables.config_file.add(space).add(strategy).add(genetic).add(random).add(grid).add(kernel).add(output).add(file_only);
    tables.help.add(general).add(space).add(strategy).add(genetic).add(random).add(grid).add(kernel).add(output);
    return tables;
}

std::string help_text(const po::options_description& options) {
    std::ostringstream out;
    out << "usage: hpo run [OPTIONS] -- COMMAND [ARGS...]\n"
           "       hpo run --config run.ini [OPTIONS] [-- COMMAND [ARGS...]]\n\n"
           "Optimizes the hyperparameters of COMMAND, a training kernel that receives them as\n"
           "flags (--lr=0.001) and prints its figure of merit as `FoM: <value>`. COMMAND runs\n"
           "without a shell, once per trial, in its own directory <run-dir>/<trial id>/: the\n"
           "program is found from here (PATH, ./kernel.sh), but relative paths among its\n"
           "arguments are taken from the trial's directory (python3 \"$PWD/train.py\"). Alone, hpo\n"
           "runs --parallel evaluations at once; under mpirun or srun, rank 0 coordinates and\n"
           "the other ranks evaluate.\n"
        << options
        << "\nExit status: 0 success, 2 bad usage or configuration (nothing ran), 1 any other error\n"
           "(including a run in which no trial succeeded).\n\n"
           "Example:\n"
           "  hpo run --param '--lr 0.001 [1e-5,0.1] log' --param '--opt adam {adam,sgd}' \\\n"
           "          --generations 5 --pop-size 8 --demes 2 -- python3 \"$PWD/train.py\" --epochs 3\n";
    return out.str();
}

bool given(const po::variables_map& vm, const char* name) { return vm.count(name) && !vm[name].defaulted(); }

template <class Convert>
auto convert(const char* option, const std::string& text, Convert convert_fn) {
    try {
        return convert_fn(text);
    } catch (const std::invalid_argument& error) {
        throw UsageError(std::string("--") + option + ": " + error.what());
    }
}

std::size_t non_negative(const char* option, long long value) {
    if (value < 0) throw UsageError(std::string("--") + option + " must not be negative, got " + std::to_string(value));
    return static_cast<std::size_t>(value);
}

std::uint64_t parse_seed(const std::string& text) {
    std::uint64_t seed = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        throw UsageError("--seed must be an integer from 0 to 2^64-1, got '" + text + "'");
    }
    return seed;
}

std::vector<std::string> ignored_options(const po::variables_map& vm, StrategyKind kind) {
    static const std::vector<std::pair<StrategyKind, std::vector<const char*>>> own = {
        {StrategyKind::genetic,
         {"generations", "pop-size", "demes", "mutation-rate", "crossover-rate", "migration-interval", "elites", "mode"}},
        {StrategyKind::random, {"evals"}},
        {StrategyKind::grid, {"grid-size"}},
    };
    std::vector<std::string> warnings;
    for (const auto& [owner, names] : own) {
        if (owner == kind) continue;
        for (const char* name : names) {
            if (given(vm, name)) {
                warnings.push_back(std::string("--") + name + " is ignored by the " + std::string(to_string(kind)) +
                                   " strategy");
            }
        }
    }
    return warnings;
}

RunOptions to_run_options(const Values& v, std::vector<std::string> param_specs,
                          std::vector<std::string> command) {
    RunOptions options;
    options.space = parse_search_space(param_specs);  // SpecError names the parameter
    options.kernel.command = std::move(command);
    options.kernel.fom_prefix = v.fom_prefix;
    options.kernel.timeout_seconds = v.timeout;
    options.kernel.run_dir = v.run_dir;
    options.arg_style = convert("arg-style", v.arg_style, arg_style_from_string);
    options.maximize = v.maximize;
    options.seed = parse_seed(v.seed);
    options.parallel = non_negative("parallel", v.parallel);
    options.log_file = v.log;
    options.quiet = v.quiet;
    options.progress = !v.quiet && !v.no_progress;

    StrategyConfig& strategy = options.strategy;
    strategy.kind = convert("strategy", v.strategy, strategy_kind_from_string);
    strategy.genetic.generations = v.generations;
    strategy.genetic.pop_size = v.pop_size;
    strategy.genetic.num_demes = v.demes;
    strategy.genetic.mutation_rate = v.mutation_rate;
    strategy.genetic.crossover_rate = v.crossover_rate;
    strategy.genetic.migration_interval = v.migration_interval;
    strategy.genetic.elites = v.elites;
    strategy.genetic.mode = convert("mode", v.mode, genetic_mode_from_string);
    strategy.random.evals = non_negative("evals", v.evals);
    strategy.grid.grid_size = non_negative("grid-size", v.grid_size);
    return options;
}

}  // namespace

RunInvocation parse_run_arguments(const std::vector<std::string>& args) {
    Values values;
    Tables tables = make_tables(values);
    RunInvocation invocation;

    const SplitArguments split = split_arguments(args, tables.command_line);
    const auto style = po::command_line_style::unix_style & ~po::command_line_style::allow_guessing;
    const po::parsed_options from_command_line =
        po::command_line_parser(split.options).options(tables.command_line).style(style).run();

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
    RunOptions options = to_run_options(values, merge_params(file_params, cli_params), std::move(command));
    invocation.warnings = ignored_options(vm, options.strategy.kind);

    // Everything the library would reject once running is rejected here, before anything runs:
    // under mpirun every rank fails the same way instead of the workers waiting for rank 0.
    invocation.options = finalize(std::move(options));
    (void)make_strategy(invocation.options.strategy, invocation.options.space);
    return invocation;
}

}  // namespace hpo::cli
