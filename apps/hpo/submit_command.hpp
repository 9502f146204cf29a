// `hpo submit [SUBMIT AND SBATCH OPTIONS] -- <hpo run options> -- COMMAND...`: an sbatch script
// from a template of scripts/slurm/, submitted; prints the job id.
#pragma once

#include <string>
#include <vector>

namespace hpo::cli {

// Returns the exit code; throws UsageError / ConfigError like the other subcommands.
int submit_command(const std::vector<std::string>& args);

}  // namespace hpo::cli
