// `hpo resume FILE.h5 [OPTIONS]`: the stored configuration of a checkpoint, with the few options
// a resume may change.
#pragma once

#include <string>
#include <vector>

#include "cli_options.hpp"

namespace hpo::cli {

// Parses the arguments after `hpo resume` and loads the configuration the checkpoint holds, with
// the budget (--generations, --evals), --parallel, --timeout, --log, --run-dir,
// --checkpoint-interval, --quiet and --no-progress replaced where given. The options continue the
// checkpoint (checkpoint_mode resume). Throws UsageError for anything else on the command line
// (a change that needs a new run) and ConfigError for a checkpoint that cannot be read.
RunInvocation parse_resume_arguments(const std::vector<std::string>& args);

}  // namespace hpo::cli
