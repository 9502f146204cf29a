// The worker side of the MPI protocol (hpo/dist/protocol.hpp).
#include "mpi_worker.hpp"

#include <optional>

#include "evaluate_order.hpp"
#include "mpi_channel.hpp"
#include "progress_feed.hpp"

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

// The progress of the running trial (Tag::progress), sent from the kernel's stop polls: one message
// in flight at a time, the values kept meanwhile go with the next. Every one leaves before the
// order's result, so that the coordinator's pruner sees them before the trial's end.
class ProgressSender {
public:
    explicit ProgressSender(const boost::mpi::communicator& world) : world_(world) {}

    void start() { sent_ = 0; }

    void send_if_free(ProgressFeed& feed) {
        if (!feed.has_values() || (in_flight_ && !in_flight_->test())) return;
        in_flight_ = world_.isend(coordinator_rank, tag_number(Tag::progress), feed.take());
        ++sent_;
    }

    // How many messages the running trial sent: no prune can come for it before the first.
    int sent() const { return sent_; }

    // Before the result: whatever is left, and nothing still in flight.
    void finish(ProgressFeed& feed) {
        if (in_flight_) wait_quietly(*in_flight_);
        in_flight_.reset();
        if (feed.has_values()) {
            send_quietly(world_, coordinator_rank, Tag::progress, feed.take());
            ++sent_;
        }
    }

private:
    const boost::mpi::communicator& world_;
    std::optional<boost::mpi::request> in_flight_;
    int sent_ = 0;
};

// A prune for `trial` from the coordinator; one for an earlier trial is dropped.
bool prune_arrived(const boost::mpi::communicator& world, TrialId trial) {
    bool ours = false;
    while (world.iprobe(coordinator_rank, tag_number(Tag::prune))) {
        TrialId pruned = 0;
        world.recv(coordinator_rank, tag_number(Tag::prune), pruned);
        ours = ours || pruned == trial;
    }
    return ours;
}

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
                const KernelConfig& kernel, const PruneOptions& prune, const std::vector<std::string>& eval_nodes,
                DoorbellRinger bell, double heartbeat_seconds, const std::atomic<bool>& stop_requested) {
    const WorkerSeat seat{world.rank() - 1,
                          eval_nodes,
                          {{"HPO_DEME_RANK", std::to_string(deme.rank())}, {"HPO_DEME_SIZE", std::to_string(deme.size())}}};
    Heartbeat heartbeat(world, heartbeat_seconds);
    ProgressFeed feed(prune, world.rank() - 1);
    ProgressSender progress(world);
    TrialId running = 0;
    KernelHooks hooks;
    hooks.stop_requested = [&] {
        heartbeat.beat_if_due();
        return stop_arrived(world, stop_requested);
    };
    if (feed.active()) {
        hooks.on_step = [&feed](int step, double value) { feed.on_step(step, value); };
        hooks.prune_requested = [&] {
            progress.send_if_free(feed);
            // A look costs a yield of the CPU when oversubscribed: none before a value went out.
            return progress.sent() > 0 && prune_arrived(world, running);
        };
    }
    Backoff backoff(std::chrono::milliseconds(5));
    while (true) {
        auto status = world.iprobe(coordinator_rank, boost::mpi::any_tag);
        if (!status) {
            backoff.pause();
            continue;
        }
        backoff.reset();
        const auto tag = tag_from_number(status->tag());
        if (!tag || tag == Tag::result || tag == Tag::heartbeat || tag == Tag::progress) {
            throw std::logic_error("worker rank " + std::to_string(world.rank()) + " got a message it cannot take: " +
                                   tag_name(status->tag()));
        }
        switch (*tag) {
            case Tag::order: {
                WorkOrder order;
                world.recv(coordinator_rank, tag_number(Tag::order), order);
                heartbeat.start();
                running = order.trial_id;
                feed.start(order.trial_id);
                progress.start();
                WorkResult result = evaluate_order(kernel, seat, order, hooks);
                progress.finish(feed);
                result.progress_messages = progress.sent();
                heartbeat.finish();
                boost::mpi::request sending = world.isend(coordinator_rank, tag_number(Tag::result), result);
                bell.ring();  // on its way: the coordinator may stop sleeping
                wait_quietly(sending);
                break;
            }
            case Tag::stop:  // arrived after its kernel had already finished: nothing to stop
                world.recv(coordinator_rank, tag_number(Tag::stop));
                break;
            case Tag::prune: {  // likewise
                TrialId late = 0;
                world.recv(coordinator_rank, tag_number(Tag::prune), late);
                break;
            }
            case Tag::shutdown:
                world.recv(coordinator_rank, tag_number(Tag::shutdown));
                send_quietly(world, coordinator_rank, Tag::shutdown);
                return;
            case Tag::result:
            case Tag::heartbeat:
            case Tag::progress:
                break;  // refused above
        }
    }
}

}  // namespace hpo::mpi
