// Running an optimization: alone (local evaluations) or as one rank of an MPI job.
#pragma once

#include "hpo/config/run_options.hpp"
#include "hpo/config/run_result.hpp"

namespace hpo {

// Alone, the process coordinates and runs `parallel` evaluations at once. Launched by mpirun or
// srun with more than one rank, rank 0 coordinates and the others are workers; every rank calls
// run() and every rank gets the same RunResult back (the best and the trials are broadcast).
RunResult run(const RunOptions& options);

// True when this process was started by an MPI launcher (mpirun, srun with a PMI).
bool launched_by_mpi();

}  // namespace hpo
