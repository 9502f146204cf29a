// A worker rank's loop: wait for an order, run the kernel, report, until told to shut down.
// Internal: only src/dist/mpi_*.cpp include it.
#pragma once

#include <boost/mpi/communicator.hpp>

#include <atomic>
#include <string>
#include <vector>

#include "doorbell.hpp"
#include "hpo/exec/kernel.hpp"

namespace hpo::mpi {

// `deme` is the communicator of the workers of this worker's (first) deme; its rank and size
// reach the kernel as HPO_DEME_RANK and HPO_DEME_SIZE. `eval_nodes`: where its kernels run (its
// own node, or its slot's nodes with a remote launcher); empty if it is never sent an order.
// `bell` is rung after each result is sent.
void run_worker(const boost::mpi::communicator& world, const boost::mpi::communicator& deme,
                const KernelConfig& kernel, const std::vector<std::string>& eval_nodes, DoorbellRinger bell,
                const std::atomic<bool>& stop_requested);

}  // namespace hpo::mpi
