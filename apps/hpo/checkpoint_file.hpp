// Reading a checkpoint for `hpo resume`, `hpo show` and `hpo export`.
#pragma once

#include <string>

#include "hpo/config/run_options.hpp"
#include "hpo/config/run_result.hpp"
#include "hpo/store/checkpoint.hpp"

namespace hpo::cli {

// load_checkpoint, with a file that is not a sound checkpoint (missing, not HDF5, truncated,
// another program's, a newer format...) reported as a ConfigError (exit 2) naming the file and
// the problem. Never modifies the file.
Checkpoint load_checkpoint_file(const std::string& path);

}  // namespace hpo::cli
