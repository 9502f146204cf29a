// A worker rank's loop: wait for an order, run the kernel, report, until told to shut down.
// Internal: only src/dist/mpi_*.cpp include it.
#pragma once

#include <boost/mpi/communicator.hpp>

#include <atomic>
#include <string>
#include <vector>

#include "doorbell.hpp"
#include "hpo/exec/kernel.hpp"
#include "hpo/prune/prune_options.hpp"

namespace hpo::mpi {

// `deme` is the communicator of the workers of this worker's (first) deme; its rank and size
// reach the kernel as HPO_DEME_RANK and HPO_DEME_SIZE. `eval_nodes`: where its kernels run (its
// own node, or its slot's nodes with a remote launcher); empty if it is never sent an order.
// `bell` is rung after each result is sent. While it runs an order, it sends a heartbeat every
// `heartbeat_seconds` (0: none). With a pruning rule, it sends the intermediate FoMs the rule can
// use (progress_feed.hpp) at most every 50 ms, and stops a trial the coordinator prunes.
void run_worker(const boost::mpi::communicator& world, const boost::mpi::communicator& deme,
                const KernelConfig& kernel, const PruneOptions& prune, const std::vector<std::string>& eval_nodes,
                DoorbellRinger bell, double heartbeat_seconds, const std::atomic<bool>& stop_requested);

}  // namespace hpo::mpi
