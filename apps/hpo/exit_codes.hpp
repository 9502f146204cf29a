// The exit codes of `hpo` (README: Exit codes) and the errors that mean "bad usage" and "bad configuration".
#pragma once

#include <stdexcept>

namespace hpo::cli {

enum ExitCode : int {
    exit_success = 0,
    exit_failure = 1,      // the run could not be carried out, or no trial succeeded
    exit_usage = 2,        // bad usage, configuration or checkpoint: nothing was run
    exit_interrupted = 3,  // stopped by SIGTERM/SIGINT/SIGUSR1/SIGHUP: the checkpoint holds every finished trial
};

// A mistake in the command line or the config file; reported with exit_usage and a usage line.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A configuration or checkpoint that cannot be used (the checkpoint exists, cannot be resumed
// with these options, is not a checkpoint...); reported with exit_usage, without a usage line:
// the command was well formed.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace hpo::cli

namespace hpo::cli {

// For the help texts: the exit codes, one per line.
inline constexpr const char* exit_status_help =
    "Exit status:\n"
    "  0  success: the run finished and at least one trial succeeded\n"
    "  1  any other error, including a run in which no trial succeeded\n"
    "  2  bad usage, configuration or checkpoint (an existing checkpoint without --resume or\n"
    "     --force, a resume with another search space/kernel/strategy, a damaged file): nothing ran\n"
    "  3  interrupted by SIGTERM, SIGINT, SIGUSR1 or SIGHUP: the checkpoint holds every finished trial;\n"
    "     continue with `hpo resume FILE.h5`\n";

}  // namespace hpo::cli
