// Setting up an MPI job: MPI itself, the node layout, deme communicators, roles, the final result.
#include "mpi_job.hpp"

#include <iostream>
#include <memory>

#include "mpi_messages.hpp"
#include "mpi_transport.hpp"
#include "mpi_worker.hpp"

namespace hpo::mpi {

namespace {

boost::mpi::environment& environment() {
    // Once per process: MPI cannot be initialized again after it is finalized, and a driver
    // program may run several optimizations.
    static auto env = std::make_unique<boost::mpi::environment>(boost::mpi::threading::single, true);
    return *env;
}

// Gathers every worker's node name on rank 0, which lays the demes out and tells each rank.
WorkerLayout agree_on_layout(const boost::mpi::communicator& world, int num_demes) {
    std::vector<std::string> nodes;
    boost::mpi::gather(world, current_node_name(), nodes, coordinator_rank);
    WorkerLayout layout;
    if (world.rank() == coordinator_rank) {
        layout = make_worker_layout(std::vector<std::string>(nodes.begin() + 1, nodes.end()), num_demes);
    }
    boost::mpi::broadcast(world, layout.node_of_worker, coordinator_rank);
    boost::mpi::broadcast(world, layout.demes_of_worker, coordinator_rank);
    boost::mpi::broadcast(world, layout.demes_share_workers, coordinator_rank);
    return layout;
}

// One communicator per deme, holding the workers whose first deme it is (rank 0 sits alone).
boost::mpi::communicator deme_communicator(const boost::mpi::communicator& world, const WorkerLayout& layout) {
    const int color = world.rank() == coordinator_rank
                          ? 0
                          : 1 + layout.demes_of_worker[static_cast<std::size_t>(world.rank() - 1)].front();
    return world.split(color);
}

[[noreturn]] void abort_job(const boost::mpi::communicator& world, const char* role, const std::exception& error) {
    std::cerr << "hpo: error on " << role << " rank " << world.rank() << ": " << error.what()
              << "\nhpo: aborting the MPI job" << std::endl;
    world.abort(1);
    std::abort();
}

// Rank 0's verdict on the configuration, shared so that every rank fails alike.
void prepare_everywhere(const boost::mpi::communicator& world, const PrepareFn& prepare) {
    std::string problem;
    if (world.rank() == coordinator_rank) {
        try {
            prepare();
        } catch (const std::invalid_argument& error) {
            problem = error.what();
            if (problem.empty()) problem = "invalid configuration";
        }
    }
    boost::mpi::broadcast(world, problem, coordinator_rank);
    if (!problem.empty()) throw std::invalid_argument(problem);
}

}  // namespace

int world_size() {
    environment();
    return boost::mpi::communicator().size();
}

int world_rank() {
    environment();
    return boost::mpi::communicator().rank();
}

RunResult run_job(const KernelConfig& kernel, int num_demes, const PrepareFn& prepare, const CoordinateFn& coordinate,
                  const std::atomic<bool>& stop_requested) {
    environment();
    boost::mpi::communicator world;
    prepare_everywhere(world, prepare);
    KernelConfig shared_kernel = kernel;  // rank 0's configuration is the one every worker uses
    boost::mpi::broadcast(world, shared_kernel, coordinator_rank);
    const WorkerLayout layout = agree_on_layout(world, num_demes);
    const boost::mpi::communicator deme = deme_communicator(world, layout);

    RunResult result;
    if (world.rank() == coordinator_rank) {
        try {
            MpiTransport transport(world);
            result = coordinate(transport, layout);
        } catch (const std::exception& error) {
            abort_job(world, "coordinator", error);
        }
    } else {
        try {
            run_worker(world, deme, shared_kernel, current_node_name(), stop_requested);
        } catch (const std::exception& error) {
            abort_job(world, "worker", error);
        }
    }
    boost::mpi::broadcast(world, result, coordinator_rank);
    return result;
}

}  // namespace hpo::mpi
