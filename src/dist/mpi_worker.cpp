// The worker side of the MPI protocol (hpo/dist/protocol.hpp).
#include "mpi_worker.hpp"

#include "hpo/exec/hostlist.hpp"
#include "mpi_channel.hpp"

namespace hpo::mpi {

namespace {

// Polled by run_kernel while the kernel runs: a stop from the coordinator, or a signal to this
// rank (mpirun forwards SIGTERM to every rank), ends the kernel.
bool stop_arrived(const boost::mpi::communicator& world, const std::atomic<bool>& stop_requested) {
    if (stop_requested.load()) return true;
    if (world.iprobe(coordinator_rank, tag_number(Tag::stop))) {
        world.recv(coordinator_rank, tag_number(Tag::stop));
        return true;
    }
    return false;
}

WorkResult evaluate(const boost::mpi::communicator& world, const KernelConfig& kernel, const WorkOrder& order,
                    const std::map<std::string, std::string>& env, const std::vector<std::string>& eval_nodes,
                    const std::atomic<bool>& stop_requested) {
    // The trial's host: where the kernel ran, as a hostlist when that is a slot of nodes.
    WorkResult result{order.trial_id, world.rank() - 1, compress_hostlist(eval_nodes), false, {}};
    KernelInvocation invocation{order.trial_id, order.deme, order.generation, order.hyperparameter_args, env, eval_nodes};
    try {
        KernelRun run = run_kernel(kernel, invocation, [&] { return stop_arrived(world, stop_requested); });
        result.outcome = std::move(run.outcome);
        result.stopped = run.stopped;
    } catch (const std::exception& error) {
        result.outcome.status = TrialStatus::failed;
        result.outcome.exit_code = -1;
        result.outcome.message = std::string("could not start the kernel: ") + error.what();
    }
    return result;
}

}  // namespace

void run_worker(const boost::mpi::communicator& world, const boost::mpi::communicator& deme,
                const KernelConfig& kernel, const std::vector<std::string>& eval_nodes,
                const std::atomic<bool>& stop_requested) {
    const std::map<std::string, std::string> env{{"HPO_DEME_RANK", std::to_string(deme.rank())},
                                                 {"HPO_DEME_SIZE", std::to_string(deme.size())}};
    Backoff backoff(std::chrono::milliseconds(5));
    while (true) {
        auto status = world.iprobe(coordinator_rank, boost::mpi::any_tag);
        if (!status) {
            backoff.pause();
            continue;
        }
        backoff.reset();
        const auto tag = tag_from_number(status->tag());
        if (!tag || tag == Tag::result) {
            throw std::logic_error("worker rank " + std::to_string(world.rank()) + " got a message it cannot take: " +
                                   tag_name(status->tag()));
        }
        switch (*tag) {
            case Tag::order: {
                WorkOrder order;
                world.recv(coordinator_rank, tag_number(Tag::order), order);
                send_quietly(world, coordinator_rank, Tag::result,
                             evaluate(world, kernel, order, env, eval_nodes, stop_requested));
                break;
            }
            case Tag::stop:  // arrived after its kernel had already finished: nothing to stop
                world.recv(coordinator_rank, tag_number(Tag::stop));
                break;
            case Tag::shutdown:
                world.recv(coordinator_rank, tag_number(Tag::shutdown));
                return;
            case Tag::result:
                break;  // refused above
        }
    }
}

}  // namespace hpo::mpi
