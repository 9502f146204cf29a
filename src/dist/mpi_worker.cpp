// The worker side of the MPI protocol (hpo/dist/protocol.hpp).
#include "mpi_worker.hpp"

#include <optional>

#include "evaluate_order.hpp"
#include "mpi_channel.hpp"

namespace hpo::mpi {

namespace {

// A busy worker's sign of life (Tag::heartbeat), sent from the kernel's stop polls (every 50 ms)
// once an interval has passed: the coordinator gives up on a worker silent for its worker
// timeout. Never waits for the coordinator: a beat still in flight makes the next one wait.
class Heartbeat {
public:
    using Clock = std::chrono::steady_clock;

    Heartbeat(const boost::mpi::communicator& world, double interval_seconds)
        : world_(world), interval_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval_seconds))) {}

    void start() { next_ = Clock::now() + interval_; }

    void beat_if_due() {
        if (interval_ <= Clock::duration::zero() || Clock::now() < next_) return;
        if (in_flight_ && !in_flight_->test()) return;
        in_flight_ = world_.isend(coordinator_rank, tag_number(Tag::heartbeat));
        next_ = Clock::now() + interval_;
    }

    // Before the result: the last beat must have left (a request is not left behind at the end).
    void finish() {
        if (in_flight_) wait_quietly(*in_flight_);
        in_flight_.reset();
    }

private:
    const boost::mpi::communicator& world_;
    Clock::duration interval_;
    Clock::time_point next_{};
    std::optional<boost::mpi::request> in_flight_;
};

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
                double heartbeat_seconds, const std::atomic<bool>& stop_requested) {
    const WorkerSeat seat{world.rank() - 1,
                          eval_nodes,
                          {{"HPO_DEME_RANK", std::to_string(deme.rank())}, {"HPO_DEME_SIZE", std::to_string(deme.size())}}};
    Heartbeat heartbeat(world, heartbeat_seconds);
    const StopRequested stop = [&] {
        heartbeat.beat_if_due();
        return stop_arrived(world, stop_requested);
    };
    Backoff backoff(std::chrono::milliseconds(5));
    while (true) {
        auto status = world.iprobe(coordinator_rank, boost::mpi::any_tag);
        if (!status) {
            backoff.pause();
            continue;
        }
        backoff.reset();
        const auto tag = tag_from_number(status->tag());
        if (!tag || tag == Tag::result || tag == Tag::heartbeat) {
            throw std::logic_error("worker rank " + std::to_string(world.rank()) + " got a message it cannot take: " +
                                   tag_name(status->tag()));
        }
        switch (*tag) {
            case Tag::order: {
                WorkOrder order;
                world.recv(coordinator_rank, tag_number(Tag::order), order);
                heartbeat.start();
                const WorkResult result = evaluate_order(kernel, seat, order, stop);
                heartbeat.finish();
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
                send_quietly(world, coordinator_rank, Tag::shutdown);
                return;
            case Tag::result:
            case Tag::heartbeat:
                break;  // refused above
        }
    }
}

}  // namespace hpo::mpi
