// `hpo run`: parse, optimize, report.
#pragma once

#include <string>
#include <vector>

namespace hpo::cli {

// Returns the exit code. Throws for usage errors (see parse_run_arguments) and runtime errors;
// main() turns them into messages and exit codes.
int run_command(const std::vector<std::string>& args);

}  // namespace hpo::cli
