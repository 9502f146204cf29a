// Thread-backed workers for a run without MPI.
#include "hpo/dist/local_transport.hpp"

#include <stdexcept>
#include <string>

#include "evaluate_order.hpp"
#include "progress_feed.hpp"
#include "hpo/dist/worker_layout.hpp"

namespace hpo {

LocalTransport::LocalTransport(KernelConfig kernel, std::size_t workers, std::vector<std::vector<std::string>> eval_nodes,
                               PruneOptions prune)
    : kernel_(std::move(kernel)), eval_nodes_(std::move(eval_nodes)), slots_(workers), prune_(std::move(prune)) {
    if (workers == 0) throw std::invalid_argument("parallel must be at least 1");
    if (eval_nodes_.empty()) eval_nodes_.assign(workers, {current_node_name()});
    if (eval_nodes_.size() != workers) {
        throw std::invalid_argument("evaluation nodes are given for " + std::to_string(eval_nodes_.size()) +
                                    " workers, not " + std::to_string(workers));
    }
    // A thread that cannot start (no memory for its stack under `ulimit -v`, a process limit)
    // throws here, before the destructor could join the others: join them, or their
    // destruction while joinable would abort the program (std::terminate).
    std::size_t started = 0;
    try {
        for (; started < workers; ++started) slots_[started].thread = std::thread([this, w = started] { work(w); });
    } catch (const std::exception& error) {
        shutdown();
        throw std::runtime_error("cannot start worker thread " + std::to_string(started + 1) + " of " +
                                 std::to_string(workers) + " (" + error.what() + "): lower --parallel");
    }
}

LocalTransport::~LocalTransport() {
    stop_ = true;
    shutdown();
}

void LocalTransport::dispatch(std::size_t worker, const WorkOrder& order) {
    {
        std::lock_guard lock(mutex_);
        if (slots_.at(worker).order) throw std::logic_error("worker " + std::to_string(worker) + " is busy");
        slots_[worker].order = order;
    }
    slots_[worker].order_ready.notify_one();
}

std::optional<WorkResult> LocalTransport::wait_result(std::chrono::milliseconds max_wait) {
    std::unique_lock lock(mutex_);
    // Without a wait, only a look: a wait_for of zero still sleeps for the timer's slack (about
    // 50 us), once per result when the coordinator drains the results that have arrived.
    // Progress wakes the coordinator too (it takes it with take_progress), but is not a result.
    const auto arrived = [this] { return !results_.empty() || !progress_.empty(); };
    if (max_wait > std::chrono::milliseconds(0)) result_ready_.wait_for(lock, max_wait, arrived);
    if (results_.empty()) return std::nullopt;
    WorkResult result = std::move(results_.front());
    results_.pop_front();
    return result;
}

std::vector<Progress> LocalTransport::take_progress() {
    std::vector<Progress> taken;
    std::lock_guard lock(mutex_);
    taken.swap(progress_);
    return taken;
}

void LocalTransport::prune(std::size_t worker, TrialId trial) {
    std::lock_guard lock(mutex_);
    Slot& slot = slots_.at(worker);
    if (slot.order && slot.order->trial_id == trial) slot.prune_requested = true;
}

void LocalTransport::stop_running() { stop_ = true; }

void LocalTransport::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (quit_) return;
        quit_ = true;
    }
    for (auto& slot : slots_) slot.order_ready.notify_one();
    for (auto& slot : slots_) {
        if (slot.thread.joinable()) slot.thread.join();
    }
}

void LocalTransport::work(std::size_t worker) {
    ProgressFeed feed(prune_, static_cast<int>(worker));
    // Every stop poll (50 ms) hands what was kept to the coordinator: one lock per poll, not per line.
    const auto send_progress = [&] {
        if (!feed.has_values()) return;
        {
            std::lock_guard lock(mutex_);
            progress_.push_back(feed.take());
        }
        result_ready_.notify_one();
    };
    KernelHooks hooks;
    hooks.stop_requested = [this] { return stop_.load(); };
    if (feed.active()) {
        hooks.on_step = [&feed](int step, double value) { feed.on_step(step, value); };
        hooks.prune_requested = [&, worker] {
            send_progress();
            std::lock_guard lock(mutex_);
            return slots_[worker].prune_requested;
        };
    }
    while (true) {
        WorkOrder order;
        {
            std::unique_lock lock(mutex_);
            slots_[worker].order_ready.wait(lock, [&] { return quit_ || slots_[worker].order.has_value(); });
            if (!slots_[worker].order) return;  // quit with nothing to do
            order = *slots_[worker].order;
        }
        const WorkerSeat seat{static_cast<int>(worker), eval_nodes_[worker], {}};
        feed.start(order.trial_id);
        WorkResult result = evaluate_order(kernel_, seat, order, hooks);
        {
            std::lock_guard lock(mutex_);
            if (feed.has_values()) progress_.push_back(feed.take());  // before its result
            slots_[worker].order.reset();
            slots_[worker].prune_requested = false;
            results_.push_back(std::move(result));
        }
        result_ready_.notify_one();
    }
}

}  // namespace hpo
