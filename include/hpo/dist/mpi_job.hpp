// Running a whole optimization as an MPI job: rank 0 coordinates, every other rank is a worker.
// Free of Boost.MPI: only src/dist/mpi_*.cpp include it.
#pragma once

#include <atomic>
#include <functional>

#include "hpo/dist/transport.hpp"
#include "hpo/dist/worker_layout.hpp"
#include "hpo/exec/kernel.hpp"
#include "hpo/config/run_options.hpp"
#include "hpo/config/run_result.hpp"

namespace hpo::mpi {

// The number of processes in the MPI job; initializes MPI on first use (once per process). Ask
// only when launched by MPI (read_job_environment): alone, hpo does without MPI.
int world_size();

// First rank 0 lays the workers out (an impossible layout, such as more nodes per evaluation than
// the job has, throws std::invalid_argument on every rank). Then rank 0 runs `prepare` (checks
// the configuration and the checkpoint); if it throws
// std::invalid_argument, every rank throws one with the same message, so that a bad
// configuration ends every rank alike. Then rank 0 runs `coordinate` with a transport to the other ranks and the layout of workers by node
// and deme; the other ranks run kernels with rank 0's kernel configuration (and its pruning
// rule: which intermediate FoMs to send) until told to stop.
// `stop_requested` (a signal arrived) stops a worker's running kernel too. A busy worker sends
// rank 0 a heartbeat every `heartbeat_seconds` (rank 0's value; 0: none). Every rank returns
// rank 0's result. If rank 0 fails, it aborts the whole job after printing why.
// If the result names lost workers (the coordinator gave up on them), only rank 0 returns: the
// job cannot end normally, so rank 0 ends it with MPI_Abort when its process exits, with the
// process's exit status (after the program has printed the result); another run_job in this
// process throws std::runtime_error.
using PrepareFn = std::function<void()>;
using CoordinateFn = std::function<RunResult(Transport&, const WorkerLayout&)>;
RunResult run_job(const KernelConfig& kernel, const PruneOptions& prune, double heartbeat_seconds, int num_demes,
                  const PrepareFn& prepare, const CoordinateFn& coordinate, const std::atomic<bool>& stop_requested);

}  // namespace hpo::mpi
