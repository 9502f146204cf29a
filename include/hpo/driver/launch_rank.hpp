// Which process of an MPI job this is, read from the launcher's environment (no MPI call needed).
#pragma once

namespace hpo {

// True on the process that should report results: the only process when run alone, rank 0
// under mpirun/srun. Every rank gets the same result; print it once.
bool is_coordinator();

// The world rank the MPI launcher gave this process, 0 when it was not launched by one.
int launch_rank();

}  // namespace hpo
