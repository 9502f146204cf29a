// The options of `hpo run` and `hpo resume` (see option_table.hpp).
#include "option_table.hpp"

#include <cctype>
#include <map>
#include <set>
#include <variant>
#include <string_view>

#include <boost/program_options.hpp>

#include "exit_codes.hpp"
#include "hpo/exec/command_line.hpp"
#include "hpo/number_text.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/strategy/factory.hpp"

namespace hpo::cli {

namespace po = boost::program_options;

namespace {

template <class T>
po::typed_value<T>* with_default(T* field) {
    return po::value<T>(field)->default_value(*field);
}

// Boost prints a double's default with 17 digits (0.050000000000000003); show the shortest form.
po::typed_value<double>* with_default(double* field) {
    return po::value<double>(field)->default_value(*field, number_text(*field));
}

// One option of a table as a Boost option taking its text: `--max-steps R`, with the default the
// table's getter gives.
template <class Options>
void add_field(po::options_description& group, const OptionField<Options>& field, const Options& defaults,
               const std::string& help) {
    auto* value = po::value<std::string>()->value_name(std::string(field.value_name));
    const OptionValue got = field.get(defaults);
    // A value that means "not given" is no default to show: the help says what follows instead.
    if (!field.unset(got)) value->default_value(option_text(got));
    group.add_options()(std::string(field.flag).c_str(), value, help.c_str());
}

std::string strategy_list_help() {
    std::string text;
    const auto names = strategy_names();
    for (std::size_t i = 0; i < names.size(); ++i)
        text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
    return text;
}

}  // namespace

// Unsigned fields are read as signed: Boost would wrap "-1" into a huge unsigned number.
OptionTables make_option_tables(OptionValues& v) {
    po::options_description general("General");
    general.add_options()
        ("help,h", "print this help and exit")
        ("config", po::value(&v.config)->value_name("FILE"),
         "read options from FILE: `key = value` lines with the long option names, `param = SPEC` "
         "repeatable, `command = python3 ./train.py`; the command line overrides the file");

    po::options_description space("Search space");
    space.add_options()
        ("param", po::value(&v.params)->value_name("SPEC"),
         "one hyperparameter, repeatable: `FLAG [DEFAULT] DOMAIN [log]`, DOMAIN `[lo,hi]` (integer "
         "if both are integers) or `{a,b,c}`; e.g. '--lr 0.001 [1e-5,0.1] log', '--opt adam {adam,sgd}'");

    po::options_description strategy("Strategy");
    strategy.add_options()
        ("strategy", with_default(&v.strategy)->value_name("NAME"), strategy_list_help().c_str())
        ("seed", with_default(&v.seed)->value_name("N"), "seed of every random choice; same seed, same proposals");

    // Each strategy's own options, from its table. An option several strategies share (--evals) is
    // listed once, under the first, and its help names all of them.
    std::vector<po::options_description> strategy_groups;
    std::map<std::string_view, std::vector<std::string_view>> users_of_flag;
    for_each_strategy([&](const auto& options) {
        for (const auto& field : options.table()) users_of_flag[field.flag].push_back(options.strategy_name);
    });
    std::set<std::string_view> listed;
    for_each_strategy([&](const auto& defaults) {
        po::options_description group{std::string(defaults.title)};
        for (const auto& field : defaults.table()) {
            if (!listed.insert(field.flag).second) continue;
            std::string help(field.help);
            if (const auto& users = users_of_flag[field.flag]; users.size() > 1) {
                help += " (";
                for (std::size_t i = 0; i < users.size(); ++i) help += (i ? ", " : "") + std::string(users[i]);
                help += ")";
            }
            add_field(group, field, defaults, help);
        }
        strategy_groups.push_back(std::move(group));
    });

    // The pruning options, from their table: with every strategy.
    po::options_description prune{std::string(PruneOptions::title)};
    for (const auto& field : PruneOptions::table()) add_field(prune, field, PruneOptions{}, std::string(field.help));

    // The confirmation options, from their table: with every strategy.
    po::options_description confirm{std::string(ConfirmOptions::title)};
    for (const auto& field : ConfirmOptions::table()) add_field(confirm, field, ConfirmOptions{}, std::string(field.help));

    po::options_description kernel("Kernel");
    kernel.add_options()
        ("arg-style", with_default(&v.arg_style)->value_name("STYLE"),
         "equals (--lr=0.1) or space (--lr 0.1: two arguments)")
        ("fom-prefix", po::value(&v.fom_prefix)->default_value(v.fom_prefix, "\"" + v.fom_prefix + "\"")->value_name("TEXT"),
         "the kernel prints its figure of merit after TEXT; the last one printed wins")
        ("maximize", po::bool_switch(&v.maximize), "higher FoM is better (default: lower is better)")
        ("timeout", with_default(&v.timeout)->value_name("SECONDS"), "per evaluation, 0 for none")
        ("run-dir", with_default(&v.run_dir)->value_name("DIR"), "each trial runs in DIR/<trial id>/")
        ("stage", po::value(&v.stage)->value_name("PATH"),
         "a file or directory the kernel needs, repeatable: each trial directory gets a symbolic link "
         "to it under its name (not a copy: what a kernel writes there changes the original)")
        ("echo-output", po::bool_switch(&v.echo_output),
         "also print each line the kernels print (stdout and stderr) on stderr, as `[trial N] line`");

    po::options_description checkpoint_dirs("Checkpoint directories (@checkpoint, pbt)");
    checkpoint_dirs.add_options()
        ("checkpoint-root", po::value(&v.checkpoint_root)->value_name("DIR"),
         "root of the trials' checkpoint directories (@checkpoint, HPO_CHECKPOINT_DIR); default "
         "<run-dir>/checkpoints when the command names @checkpoint or the strategy is pbt")
        ("keep-checkpoints", with_default(&v.keep_checkpoints)->value_name("live|all"),
         "live (remove the directories no future trial can start from as the run goes, keep the "
         "best trial's) or all");

    po::options_description checkpoint("Checkpoint");
    checkpoint.add_options()
        ("checkpoint", with_default(&v.checkpoint)->value_name("FILE"),
         "HDF5 file with every finished trial, the configuration and the strategy's state; an existing "
         "one is never overwritten without --resume or --force")
        ("no-checkpoint", po::bool_switch(&v.no_checkpoint), "write no checkpoint")
        ("checkpoint-interval", with_default(&v.checkpoint_interval)->value_name("SECONDS"),
         "a finished trial is in the checkpoint within SECONDS, and at every generation's end")
        ("resume", po::bool_switch(&v.resume),
         "continue the run the checkpoint holds (same search space, kernel and strategy; --generations "
         "and --evals may extend the budget), or start a new run if there is no checkpoint yet")
        ("force", po::bool_switch(&v.force), "replace an existing checkpoint with a new run");

    po::options_description output("Execution and output");
    output.add_options()
        ("parallel", with_default(&v.parallel)->value_name("K"),
         "concurrent evaluations when run alone, 0 = the machine's cores (under mpirun: one per worker rank)")
        ("worker-timeout", with_default(&v.worker_timeout)->value_name("SECONDS"),
         "under MPI: a worker rank running a trial that is not heard from (heartbeats) for SECONDS is "
         "lost: its trial runs again on another worker, the run ends without it; 0 = no heartbeats")
        ("log", po::value(&v.log)->value_name("FILE"), "text log: settings, every generation, migrations, timings")
        ("quiet", po::bool_switch(&v.quiet), "print nothing but errors (no progress, no summary)")
        ("no-progress", po::bool_switch(&v.no_progress), "no progress lines while it runs");

    po::options_description cluster("Clusters (each evaluation on its own nodes)");
    cluster.add_options()
        ("launcher", with_default(&v.launcher)->value_name("NAME"),
         "local (the kernel runs on its worker's node), srun (a job step on its nodes) or mpirun "
         "(an MPI job on its nodes)")
        ("nodes-per-eval", with_default(&v.nodes_per_eval)->value_name("K"),
         "nodes of each evaluation (srun, mpirun): the allocation is cut into slots of K nodes and "
         "running evaluations never share one; alone, --parallel defaults to the number of slots")
        ("launch-args", po::value(&v.launch_args)->value_name("ARGS"),
         "extra srun/mpirun arguments, split like a shell would, e.g. '--ntasks-per-node=4'");

    po::options_description file_only;
    file_only.add_options()("command", po::value(&v.command), "the kernel command (config file only)");

    OptionTables tables;
    tables.command_line.add(general).add(space).add(strategy);
    tables.config_file.add(space).add(strategy);
    tables.help.add(general).add(space).add(strategy);
    for (const auto& group : strategy_groups) {
        tables.command_line.add(group);
        tables.config_file.add(group);
        tables.help.add(group);
    }
    tables.command_line.add(prune).add(confirm);
    tables.config_file.add(prune).add(confirm);
    tables.help.add(prune).add(confirm);
    tables.command_line.add(kernel).add(checkpoint_dirs).add(checkpoint).add(output).add(cluster);
    tables.config_file.add(kernel).add(checkpoint_dirs).add(checkpoint).add(output).add(cluster).add(file_only);
    tables.help.add(kernel).add(checkpoint_dirs).add(checkpoint).add(output).add(cluster);
    return tables;
}

KeepCheckpoints keep_checkpoints_option(const std::string& text) {
    try {
        return keep_checkpoints_from_string(text);
    } catch (const std::invalid_argument& error) {
        throw UsageError(error.what());  // names the option
    }
}

bool given(const po::variables_map& vm, const char* name) { return vm.count(name) && !vm[name].defaulted(); }

std::size_t non_negative(const char* option, long long value) {
    if (value < 0) throw UsageError(std::string("--") + option + " must not be negative, got " + std::to_string(value));
    return static_cast<std::size_t>(value);
}

void apply_cluster_options(const OptionValues& v, const po::variables_map& vm, KernelConfig& kernel) {
    try {
        if (given(vm, "launcher")) kernel.launcher = launcher_from_string(v.launcher);
    } catch (const std::invalid_argument& error) {
        throw UsageError(std::string("--launcher: ") + error.what());
    }
    if (given(vm, "nodes-per-eval")) kernel.nodes_per_eval = v.nodes_per_eval;
    if (given(vm, "launch-args")) {
        try {
            kernel.launch_args.clear();
            if (v.launch_args.find_first_not_of(" \t\n") != std::string::npos) kernel.launch_args = split_command(v.launch_args);
        } catch (const std::invalid_argument& error) {
            throw UsageError(std::string("--launch-args: ") + error.what());
        }
    }
}

namespace {

// Calls f(field) for each option of `strategy`'s table.
template <class F>
void for_each_field(StrategyConfig& strategy, F&& f) {
    std::visit([&](auto& options) {
        for (const auto& field : options.table()) f(options, field);
    }, strategy);
}

template <class Options, class Field>
void set_given(Options& options, const Field& field, const po::variables_map& vm) {
    const std::string flag(field.flag);
    if (!given(vm, flag.c_str())) return;
    try {
        field.set_text(options, vm[flag].as<std::string>());
    } catch (const std::invalid_argument& error) {
        throw UsageError("--" + flag + ": " + error.what());
    }
}

}  // namespace

StrategyConfig strategy_options(const std::string& name, const po::variables_map& vm) {
    StrategyConfig strategy;
    try {
        strategy = strategy_config_from_name(name);
    } catch (const std::invalid_argument& error) {
        throw UsageError(std::string("--strategy: ") + error.what());
    }
    for_each_field(strategy, [&](auto& options, const auto& field) { set_given(options, field, vm); });
    return strategy;
}

PruneOptions prune_options(const po::variables_map& vm) {
    PruneOptions prune;
    for (const auto& field : PruneOptions::table()) set_given(prune, field, vm);
    return prune;
}

ConfirmOptions confirm_options(const po::variables_map& vm) {
    ConfirmOptions confirm;
    for (const auto& field : ConfirmOptions::table()) set_given(confirm, field, vm);
    return confirm;
}

void apply_confirm_options(ConfirmOptions& confirm, const po::variables_map& vm) {
    for (const auto& field : ConfirmOptions::table()) set_given(confirm, field, vm);
}

bool is_confirm_option(const std::string& flag) {
    for (const auto& field : ConfirmOptions::table())
        if (field.flag == flag) return true;
    return false;
}

void apply_budget_options(StrategyConfig& strategy, const po::variables_map& vm) {
    for_each_field(strategy, [&](auto& options, const auto& field) {
        if (field.budget) set_given(options, field, vm);
    });
}

bool is_budget_option(const std::string& flag) {
    bool budget = false;
    for_each_strategy([&](const auto& options) {
        for (const auto& field : options.table()) budget = budget || (field.budget && field.flag == flag);
    });
    return budget;
}

std::vector<std::string> ignored_options(const po::variables_map& vm, const StrategyConfig& strategy) {
    std::set<std::string_view> used;
    std::visit([&](const auto& options) {
        for (const auto& field : options.table()) used.insert(field.flag);
    }, strategy);
    std::vector<std::string> warnings;
    for_each_strategy([&](const auto& options) {
        for (const auto& field : options.table()) {
            if (!given(vm, std::string(field.flag).c_str()) || !used.insert(field.flag).second) continue;
            warnings.push_back("--" + std::string(field.flag) + " is ignored by the " +
                               std::string(strategy_name(strategy)) + " strategy");
        }
    });
    return warnings;
}

std::vector<std::string> ignored_prune_options(const po::variables_map& vm, const PruneOptions& prune) {
    std::vector<std::string> warnings;
    if (prune.prune != PruneRule::none) return warnings;
    for (const auto& field : PruneOptions::table()) {
        const std::string flag(field.flag);
        if (field.keyword == "prune" || !given(vm, flag.c_str())) continue;
        warnings.push_back("--" + flag + " is ignored without a pruning rule (--prune median, asha or hyperband)");
    }
    return warnings;
}

namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Each whole-word keyword of `table` as its flag: "pop_size must be >= 1" becomes
// "--pop-size must be >= 1".
template <class Options>
std::string with_flag_names(std::string message, const OptionTable<Options>& table) {
    for (const auto& field : table) {
        const std::string keyword(field.keyword), flag = "--" + std::string(field.flag);
        for (std::size_t at = message.find(keyword); at != std::string::npos; at = message.find(keyword, at)) {
            const std::size_t end = at + keyword.size();
            if ((at > 0 && is_word_char(message[at - 1])) || (end < message.size() && is_word_char(message[end]))) {
                at = end;
                continue;
            }
            message.replace(at, keyword.size(), flag);
            at += flag.size();
        }
    }
    return message;
}

std::string with_flag_names(const std::string& message, const StrategyConfig& strategy) {
    return std::visit([&](const auto& options) { return with_flag_names(message, options.table()); }, strategy);
}

}  // namespace

RunOptions checked_options(RunOptions options) {
    const StrategyConfig strategy = options.strategy;
    // Checked first and on its own, so that only its messages get its flags: "prune: hyperband
    // needs max_steps" becomes "--prune: hyperband needs --max-steps".
    try {
        options.prune.check();
    } catch (const std::invalid_argument& error) {
        throw UsageError(with_flag_names(error.what(), PruneOptions::table()));
    }
    try {
        options.confirm.check();
    } catch (const std::invalid_argument& error) {
        throw UsageError(with_flag_names(error.what(), ConfirmOptions::table()));
    }
    try {
        RunOptions checked = finalize(std::move(options));
        (void)make_strategy(checked.strategy, checked.space, search_settings(checked));
        return checked;
    } catch (const SpecError&) {
        throw;  // names a parameter, whose flag may look like a keyword
    } catch (const std::invalid_argument& error) {
        throw UsageError(with_flag_names(error.what(), strategy));
    }
}

}  // namespace hpo::cli
