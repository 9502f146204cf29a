// The checkpoint file of a run as a value: its configuration, every committed trial, the strategy's
// own state; and loading it, with a CheckpointError for any file that is not a sound checkpoint.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/config/run_options.hpp"
#include "hpo/config/run_result.hpp"
#include "hpo/trial.hpp"

namespace hpo {

// The `hpo_format` attribute on the file's root group: what tells an hpo checkpoint from any other
// HDF5 file.
inline constexpr std::string_view checkpoint_format_name = "hpo-checkpoint";
// The `hpo_format_version` this build writes and the newest it reads (docs/checkpoint-format.md).
// Version 2 added the trials' steps, the pruned status and /intermediate; version 3 each trial's
// parent (whose checkpoint directory it started from) and member (pbt). Older files load (steps 0,
// no intermediate values, no parents, member 0) and a writer continuing one rewrites it as version 3.
// Version 4 added each trial's repeat_of and repeat (confirmation, --confirm-top); older trials
// are originals (none, 0), and a writer continuing an older file rewrites it as version 4.
inline constexpr int checkpoint_format_version = 4;

// A file that cannot be used as a checkpoint (missing, not HDF5, truncated, another program's
// file, a newer format, missing datasets, in use by another writer...), or a failed write. The
// message names the file and the problem. Reading never modifies the file.
class CheckpointError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Checkpoint {
    // As the run was configured; `checkpoint_fn` is the loaded file and `checkpoint_mode` is resume:
    // the options that continue this run.
    RunOptions options;
    std::vector<Trial> trials;   // in the order they were appended
    // The intermediate FoMs the pruner was given (--prune), in the order it was given them;
    // empty for a run without pruning and for format version 1.
    std::vector<IntermediateValue> intermediate;
    std::string strategy_state;  // opaque bytes, as last saved; empty if never saved
    bool finished = false;
    int format_version = 0;
};

// Reads the last committed state of a checkpoint: also one whose writer is still running or was
// killed (HDF5 SWMR read access). Throws CheckpointError; never modifies the file.
Checkpoint load_checkpoint(const std::filesystem::path& path);

// The checkpoint's trials as a run result: every trial and the best, chosen as the run chooses it.
RunResult result_of(const Checkpoint& checkpoint);

}  // namespace hpo
