// `hpo show FILE.h5`: what a checkpoint holds, for people to read.
#pragma once

#include <string>
#include <vector>

namespace hpo::cli {

// Returns the exit code; throws UsageError for bad arguments, ConfigError for a bad checkpoint.
int show_command(const std::vector<std::string>& args);

}  // namespace hpo::cli
