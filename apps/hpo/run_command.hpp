// `hpo run` and `hpo resume`: parse, optimize, report.
#pragma once

#include <string>
#include <vector>

namespace hpo::cli {

// Each returns the exit code. They throw for usage errors (see parse_run_arguments,
// parse_resume_arguments), ConfigError for a configuration or checkpoint the run refuses, and
// runtime errors; main() turns them into messages and exit codes.
int run_command(const std::vector<std::string>& args);
int resume_command(const std::vector<std::string>& args);

}  // namespace hpo::cli
