// Setting up an MPI job: MPI itself, the node layout, deme communicators, roles, the final result.
#include "hpo/dist/mpi_job.hpp"

#include <stdlib.h>

#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <stdexcept>

#include "hpo/dist/eval_slots.hpp"
#include "hpo/exec/job_environment.hpp"
#include "mpi_channel.hpp"
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

// The layout on rank 0 from every rank's node name (the Slurm node name under Slurm, so that
// virtual nodes sharing one host still count apart): with a remote launcher, evaluation slots over
// those nodes (eval_slots.hpp); otherwise each worker evaluates on its own node.
WorkerLayout lay_out(const std::vector<std::string>& nodes, const KernelConfig& kernel, int num_demes) {
    const std::vector<std::string> workers(nodes.begin() + 1, nodes.end());
    if (!launches_remotely(kernel.launcher)) return make_worker_layout(workers, num_demes);
    return make_worker_layout(workers, num_demes, assign_slots(nodes.front(), workers, kernel.nodes_per_eval));
}

// Gathers every rank's node name on rank 0, which lays the demes out and tells each rank. A
// layout that cannot be made (more nodes per evaluation than the job has) fails every rank alike.
WorkerLayout agree_on_layout(const boost::mpi::communicator& world, const KernelConfig& kernel, int num_demes) {
    std::vector<std::string> nodes;
    boost::mpi::gather(world, current_node_name(), nodes, coordinator_rank);
    WorkerLayout layout;
    std::string problem;
    if (world.rank() == coordinator_rank) {
        try {
            layout = lay_out(nodes, kernel, num_demes);
        } catch (const std::invalid_argument& error) {
            problem = error.what();
        }
    }
    boost::mpi::broadcast(world, problem, coordinator_rank);
    if (!problem.empty()) throw std::invalid_argument(problem);
    boost::mpi::broadcast(world, layout.node_of_worker, coordinator_rank);
    boost::mpi::broadcast(world, layout.demes_of_worker, coordinator_rank);
    boost::mpi::broadcast(world, layout.demes_share_workers, coordinator_rank);
    boost::mpi::broadcast(world, layout.eval_nodes_of_worker, coordinator_rank);
    return layout;
}

// One communicator per deme, holding the workers whose first deme it is (rank 0 sits alone, and
// so do the workers without an evaluation slot, together).
boost::mpi::communicator deme_communicator(const boost::mpi::communicator& world, const WorkerLayout& layout) {
    if (world.rank() == coordinator_rank) return world.split(0);
    const auto& demes = layout.demes_of_worker[static_cast<std::size_t>(world.rank() - 1)];
    return world.split(demes.empty() ? std::numeric_limits<int>::max() : 1 + demes.front());
}

// Opens the coordinator's doorbell (doorbell.hpp) and connects every worker to it. Without one
// (no socket could be opened, a worker could not connect), the coordinator paces its looks.
constexpr auto bell_patience = std::chrono::seconds(5);         // the coordinator's, for every worker
constexpr auto address_patience = std::chrono::milliseconds(1500);  // a worker's, per address

std::optional<DoorbellListener> open_bell(const boost::mpi::communicator& world) {
    std::optional<DoorbellListener> bell;
    std::string address, why;
    if (world.rank() == coordinator_rank && read_job_environment().doorbell && (bell = DoorbellListener::open(why))) {
        address = bell->address().text();
    }
    boost::mpi::broadcast(world, address, coordinator_rank);
    if (bell) bell->accept_workers(static_cast<std::size_t>(world.size() - 1), bell_patience);
    return bell;
}

DoorbellRinger connect_bell(const boost::mpi::communicator& world) {
    std::string text;
    boost::mpi::broadcast(world, text, coordinator_rank);
    const auto address = DoorbellAddress::parse(text);
    if (!address) return {};
    return DoorbellRinger::connect(*address, static_cast<std::size_t>(world.rank() - 1), address_patience);
}

[[noreturn]] void abort_job(const boost::mpi::communicator& world, const char* role, const std::exception& error) {
    std::cerr << "hpo: error on " + std::string(role) + " rank " + std::to_string(world.rank()) + ": " + error.what() +
                     "\nhpo: aborting the MPI job\n"
              << std::flush;
    world.abort(1);
    std::abort();
}

// Set once a run of this process's job lost workers: they are in no state to take part in
// anything else, another run included.
std::string lost_ranks_text;

// The exit handler of rank 0 after a run that lost workers. MPI_Finalize (and the final broadcast)
// would wait for the lost ranks forever; MPI_Abort ends the job instead, with the status the
// program exits with, which mpirun passes on (Open MPI: errorcode N gives exit status N, 0
// included). on_exit (glibc) is the one exit hook that sees that status; it runs before the
// static destructors, so after main's own output and the checkpoint's close.
extern "C" void abort_job_at_exit(int status, void* /*unused*/) {
    std::cout.flush();
    std::cerr << "hpo: ending the MPI job with MPI_Abort (exit status " + std::to_string(status) +
                     "): the lost " + lost_ranks_text + " cannot take part in its normal end\n"
              << std::flush;
    std::fflush(nullptr);
    boost::mpi::communicator().abort(status);
}

std::string ranks_text(const std::vector<LostWorker>& lost) {
    std::string text = lost.size() == 1 ? "rank" : "ranks";
    for (std::size_t i = 0; i < lost.size(); ++i) text += (i ? ", " : " ") + std::to_string(lost[i].worker + 1);
    return text;
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

RunResult run_job(const KernelConfig& kernel, const PruneOptions& prune, double heartbeat_seconds, int num_demes,
                  const PrepareFn& prepare, const CoordinateFn& coordinate, const std::atomic<bool>& stop_requested) {
    environment();
    if (!lost_ranks_text.empty()) {
        throw std::runtime_error("this MPI job lost its " + lost_ranks_text +
                                 " in an earlier run: it cannot run another optimization");
    }
    boost::mpi::communicator world;
    KernelConfig shared_kernel = kernel;  // rank 0's configuration is the one every worker uses
    boost::mpi::broadcast(world, shared_kernel, coordinator_rank);
    boost::mpi::broadcast(world, heartbeat_seconds, coordinator_rank);
    PruneOptions shared_prune = prune;
    boost::mpi::broadcast(world, shared_prune, coordinator_rank);
    // The layout before `prepare`: a job that cannot have one must not leave a new checkpoint.
    const WorkerLayout layout = agree_on_layout(world, shared_kernel, num_demes);
    prepare_everywhere(world, prepare);
    const boost::mpi::communicator deme = deme_communicator(world, layout);

    RunResult result;
    if (world.rank() == coordinator_rank) {
        try {
            MpiTransport transport(world, open_bell(world), heartbeat_seconds, shared_prune.prune != PruneRule::none);
            result = coordinate(transport, layout);
        } catch (const std::exception& error) {
            abort_job(world, "coordinator", error);
        }
        if (!result.lost_workers.empty()) {
            // The live workers wait in their loop (never shut down); the lost ones may never answer.
            lost_ranks_text = ranks_text(result.lost_workers);
            ::on_exit(abort_job_at_exit, nullptr);
            return result;
        }
    } else {
        try {
            run_worker(world, deme, shared_kernel, shared_prune,
                       layout.eval_nodes_of_worker[static_cast<std::size_t>(world.rank() - 1)],
                       connect_bell(world), heartbeat_seconds, stop_requested);
        } catch (const std::exception& error) {
            abort_job(world, "worker", error);
        }
    }
    boost::mpi::broadcast(world, result, coordinator_rank);
    return result;
}

}  // namespace hpo::mpi
