// Opening a checkpoint read-only and reading its parts: shared by load_checkpoint and the writer.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "checkpoint_schema.hpp"
#include "hpo/config/run_options.hpp"
#include "hpo/store/checkpoint.hpp"
#include "hpo/trial.hpp"

namespace hpo::store {

struct OpenedCheckpoint {
    Handle file;
    int format_version = 0;
    RunOptions options;
    CommitRecord commit;
    std::string strategy_state;  // read right after the commit record, see open_checkpoint
    bool swmr = false;   // opened with SWMR read access: its writer is running or was killed
    bool tidy = false;   // closed cleanly and holds nothing beyond its last commit
};

// Opens and validates a checkpoint read-only: format marker and version, configuration, commit
// record, the strategy state (checked against its hash), presence of every dataset the commit
// refers to. Throws StoreFailure naming the problem.
OpenedCheckpoint open_checkpoint(const std::filesystem::path& path);

std::vector<Trial> read_trials(const OpenedCheckpoint& checkpoint);
// The committed intermediate values in append order; none in a format 1 file.
std::vector<IntermediateValue> read_intermediate(const OpenedCheckpoint& checkpoint);

struct LoadedCheckpoint {
    Checkpoint checkpoint;  // options.checkpoint_fn is the path read, checkpoint_mode resume
    bool tidy = false;  // as OpenedCheckpoint::tidy
};

// open_checkpoint and read everything (the trials and intermediate values only if `with_trials`). A live writer may
// rewrite the state slot or the commit record while they are read (docs/checkpoint-format.md):
// a file whose writer has it open is read again until a consistent state is seen.
LoadedCheckpoint load_consistent(const std::filesystem::path& path, bool with_trials);

// "checkpoint 'path': "
std::string checkpoint_prefix(const std::filesystem::path& path);

}  // namespace hpo::store
