// The exit codes of `hpo` (SPEC §5) and the error that means "bad usage".
#pragma once

#include <stdexcept>

namespace hpo::cli {

enum ExitCode : int {
    exit_success = 0,
    exit_failure = 1,  // the run could not be carried out, or no trial succeeded
    exit_usage = 2,    // bad usage or configuration: nothing was run
};

// A mistake in the command line or the config file; reported with exit_usage.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace hpo::cli
