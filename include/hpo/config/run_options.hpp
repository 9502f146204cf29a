// Everything one optimization run is configured by: a plain struct the CLI, the config file and
// the C++ driver API all fill in. The library never parses argv. config/ is the layer of value
// types below dist/, store/ and run/: each of them may include it, it includes none of them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hpo/config/confirm_options.hpp"
#include "hpo/exec/command_line.hpp"
#include "hpo/exec/kernel_config.hpp"
#include "hpo/prune/prune_options.hpp"
#include "hpo/space/search_space.hpp"
#include "hpo/strategy/search_settings.hpp"
#include "hpo/strategy/strategy_config.hpp"

namespace hpo {

// What to do with the checkpoint file: start a new one (an existing file is an error, never
// overwritten silently), continue the run it holds, or replace it with a new run.
enum class CheckpointMode { create, resume, replace };

// Which trials' checkpoint directories (@checkpoint) stay on disk as the run goes: `live`, those a
// future trial can still start from (Strategy::inheritable, the pending trials' parents) and the
// best trial's; `all`, every one.
enum class KeepCheckpoints { live, all };
std::string_view to_string(KeepCheckpoints keep);
KeepCheckpoints keep_checkpoints_from_string(std::string_view text);  // throws std::invalid_argument

struct RunOptions {
    SearchSpace space;
    StrategyConfig strategy;     // the strategy and its own options
    PruneOptions prune;          // stopping hopeless trials early (--prune), with every strategy
    ConfirmOptions confirm;      // evaluating the best configurations again (--confirm-top), with every strategy
    KernelConfig kernel;
    ArgStyle arg_style = ArgStyle::equals;
    bool maximize = false;
    std::uint64_t seed = 0;
    std::size_t parallel = 0;    // local mode: concurrent evaluations, 0 = the machine's cores
    std::string log_fn;          // the text log (`--log`), empty for none
    bool progress = true;        // progress lines on stderr while it runs
    bool quiet = false;          // no summary on stdout at the end either
    // Under MPI: a worker rank that runs an order and is not heard from (heartbeats) for this
    // long is lost: its trial goes to another worker (`--worker-timeout`); 0: no heartbeats.
    double worker_timeout_seconds = 300;
    KeepCheckpoints keep_checkpoints = KeepCheckpoints::live;  // kernel.checkpoint_root's directories

    // The HDF5 checkpoint: every trial, the configuration and the strategy's state.
    std::string checkpoint_fn = "hpo.h5";  // empty: no checkpoint
    double checkpoint_interval = 1.0;     // seconds a result may wait before it is committed
    CheckpointMode checkpoint_mode = CheckpointMode::create;
    // An existing checkpoint that this run does not continue (create, replace, or a resume of a
    // file holding another run) is renamed to the first free NAME.N.h5 instead of being refused
    // or replaced: the driver API's way, so that running a driver program twice in one folder
    // neither fails nor loses the first run's results.
    bool keep_existing_checkpoint = false;

    friend bool operator==(const RunOptions&, const RunOptions&) = default;
};

// Validates what the types alone do not (an empty command, an empty space, a zero budget...)
// and fills in what depends on the machine. Throws std::invalid_argument naming the bad option.
RunOptions finalize(RunOptions options);

// How finalize takes word `position` of the kernel command (which runs in its trial directory):
// `path`, the program or a word holding a '/', is made absolute where hpo starts if it names a
// file there; `bare`, any other word that is not a flag, is passed as it is, even if a file has
// its name (`--epochs 3`); `other`: empty, a flag (`-...`) or already absolute.
enum class CommandWord { path, bare, other };
CommandWord command_word(const std::string& word, std::size_t position);

// Whether the command holds `@checkpoint` in any word.
bool mentions_checkpoint_token(const std::vector<std::string>& command);

// The run-wide settings a strategy is built with.
SearchSettings search_settings(const RunOptions& options);

// Whether two configurations are the same run as the checkpoint stores it: everything but where
// this invocation writes (`checkpoint_fn`) and how (`checkpoint_mode`, `keep_existing_checkpoint`). Doubles compare by value, so
// a NaN option is never the same (which costs one rewrite of the stored configuration).
bool same_stored_config(RunOptions a, RunOptions b);

}  // namespace hpo
