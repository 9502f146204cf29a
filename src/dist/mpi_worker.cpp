// The worker side of the MPI protocol (hpo/dist/protocol.hpp).
#include "mpi_worker.hpp"

#include "evaluate_order.hpp"
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

}  // namespace

void run_worker(const boost::mpi::communicator& world, const boost::mpi::communicator& deme,
                const KernelConfig& kernel, const std::vector<std::string>& eval_nodes, DoorbellRinger bell,
                const std::atomic<bool>& stop_requested) {
    const WorkerSeat seat{world.rank() - 1,
                          eval_nodes,
                          {{"HPO_DEME_RANK", std::to_string(deme.rank())}, {"HPO_DEME_SIZE", std::to_string(deme.size())}}};
    const StopRequested stop = [&] { return stop_arrived(world, stop_requested); };
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
                const WorkResult result = evaluate_order(kernel, seat, order, stop);
                boost::mpi::request sending = world.isend(coordinator_rank, tag_number(Tag::result), result);
                bell.ring();  // on its way: the coordinator may stop sleeping
                wait_quietly(sending);
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
