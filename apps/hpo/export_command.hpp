// `hpo export FILE.h5 [--intermediate] --format csv|json [-o FILE]`: every trial of a checkpoint, one
// row each, or (--intermediate) every intermediate FoM of its trials' last attempts.
#pragma once

#include <string>
#include <vector>

namespace hpo::cli {

// Returns the exit code; throws UsageError for bad arguments, ConfigError for a bad checkpoint,
// std::runtime_error when the output cannot be written.
int export_command(const std::vector<std::string>& args);

}  // namespace hpo::cli
