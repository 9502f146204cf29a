// The options of `hpo run` (and the subset `hpo resume` accepts): the table Boost.Program_options
// parses, the raw values it writes, and small checks shared by both subcommands.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include "hpo/config/run_options.hpp"

namespace hpo::cli {

// Raw option values; Boost writes them here. The defaults come from the library's own structs so
// that the help text cannot drift from what actually runs. The strategies' own options are not
// here: they come from each strategy's option table and stay in the variables_map as text, as do
// the pruning options (PruneOptions' table).
struct OptionValues {
    std::string config;
    std::vector<std::string> params;
    std::string strategy = std::string(strategy_name(StrategyConfig{}));
    std::string seed = "0";
    std::string arg_style = std::string(to_string(RunOptions{}.arg_style));
    std::string fom_prefix = KernelConfig{}.fom_prefix;
    bool maximize = false;
    double timeout = KernelConfig{}.timeout_seconds;
    double worker_timeout = RunOptions{}.worker_timeout_seconds;
    std::string run_dir = KernelConfig{}.run_dir;
    bool echo_output = KernelConfig{}.echo_output;
    std::vector<std::string> stage;
    std::string checkpoint_root;  // empty: finalize's default
    std::string keep_checkpoints = std::string(to_string(RunOptions{}.keep_checkpoints));
    long long parallel = 0;
    std::string launcher = std::string(to_string(KernelConfig{}.launcher));
    int nodes_per_eval = KernelConfig{}.nodes_per_eval;
    std::string launch_args;
    std::string log;
    bool quiet = false;
    bool no_progress = false;
    std::string checkpoint = RunOptions{}.checkpoint_fn;
    bool no_checkpoint = false;
    double checkpoint_interval = RunOptions{}.checkpoint_interval;
    bool resume = false;
    bool force = false;
    std::string command;  // config file only
};

struct OptionTables {
    boost::program_options::options_description command_line;  // everything `hpo run` accepts
    boost::program_options::options_description config_file;   // the keys of --config files
    boost::program_options::options_description help;          // what `hpo run --help` shows
};

// The tables write into `values`, which must outlive them.
OptionTables make_option_tables(OptionValues& values);

// True if the option was given (on the command line or in a config file), not just defaulted.
bool given(const boost::program_options::variables_map& vm, const char* name);

// --keep-checkpoints' value; throws UsageError for another word than live or all.
KeepCheckpoints keep_checkpoints_option(const std::string& text);

// Throws UsageError for a negative count.
std::size_t non_negative(const char* option, long long value);

// --launcher, --nodes-per-eval and --launch-args, those given, into `kernel`. Throws UsageError
// for an unknown launcher or unbalanced quotes in the launch args.
void apply_cluster_options(const OptionValues& values, const boost::program_options::variables_map& vm,
                           KernelConfig& kernel);

// The options of the strategy called `name`: its defaults, then each option of its table that
// was given. Throws UsageError naming the option for a value that does not parse.
StrategyConfig strategy_options(const std::string& name, const boost::program_options::variables_map& vm);

// The pruning options (--prune, --max-steps...): their defaults, then each option of
// PruneOptions' table that was given. Throws UsageError naming the option for a value that does
// not parse (checked by checked_options).
PruneOptions prune_options(const boost::program_options::variables_map& vm);

// The confirmation options (--confirm-top, --confirm-repeats): their defaults, then each option of
// ConfirmOptions' table that was given; apply_confirm_options sets those given over `confirm` (a
// resume's). Throw UsageError naming the option for a value that does not parse.
ConfirmOptions confirm_options(const boost::program_options::variables_map& vm);
void apply_confirm_options(ConfirmOptions& confirm, const boost::program_options::variables_map& vm);
// Whether `flag` is one of ConfirmOptions' table (a resume may raise them).
bool is_confirm_option(const std::string& flag);

// Sets the options of `strategy`'s table that are a budget (how long the search goes on) and
// were given: what a resume may change.
void apply_budget_options(StrategyConfig& strategy, const boost::program_options::variables_map& vm);

// Whether `flag` is a budget option of some strategy (--generations, --evals).
bool is_budget_option(const std::string& flag);

// Warnings for the pruning options given (--max-steps...) when no rule is chosen (--prune none).
std::vector<std::string> ignored_prune_options(const boost::program_options::variables_map& vm,
                                               const PruneOptions& prune);

// finalize(options), and the strategy built once to be sure it accepts them: everything the run
// would refuse, refused before it starts. The strategies' and the pruning rule's checks name their
// options by keyword (pop_size, max_steps: the driver's words); here they are named by their flags
// (--pop-size, --max-steps).
RunOptions checked_options(RunOptions options);

// Warnings for the strategy options given that `strategy` does not use.
std::vector<std::string> ignored_options(const boost::program_options::variables_map& vm,
                                         const StrategyConfig& strategy);

}  // namespace hpo::cli
