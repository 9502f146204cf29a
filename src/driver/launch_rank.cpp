// Which process of an MPI job this is, from the launcher's environment (before or without MPI_Init).
#include "hpo/driver/launch_rank.hpp"

#include "hpo/exec/job_environment.hpp"

namespace hpo {

int launch_rank() { return read_job_environment().launch_rank.value_or(0); }

bool is_coordinator() { return launch_rank() == 0; }

}  // namespace hpo
