// Thread-backed workers for a run without MPI.
#include "hpo/dist/local_transport.hpp"

#include <stdexcept>
#include <string>

#include "evaluate_order.hpp"
#include "hpo/dist/worker_layout.hpp"

namespace hpo {

LocalTransport::LocalTransport(KernelConfig kernel, std::size_t workers, std::vector<std::vector<std::string>> eval_nodes)
    : kernel_(std::move(kernel)), eval_nodes_(std::move(eval_nodes)), slots_(workers) {
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
    const auto arrived = [this] { return !results_.empty(); };
    if (max_wait <= std::chrono::milliseconds(0) ? !arrived() : !result_ready_.wait_for(lock, max_wait, arrived))
        return std::nullopt;
    WorkResult result = std::move(results_.front());
    results_.pop_front();
    return result;
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
    const StopRequested stop_requested = [this] { return stop_.load(); };
    while (true) {
        WorkOrder order;
        {
            std::unique_lock lock(mutex_);
            slots_[worker].order_ready.wait(lock, [&] { return quit_ || slots_[worker].order.has_value(); });
            if (!slots_[worker].order) return;  // quit with nothing to do
            order = *slots_[worker].order;
        }
        const WorkerSeat seat{static_cast<int>(worker), eval_nodes_[worker], {}};
        WorkResult result = evaluate_order(kernel_, seat, order, stop_requested);
        {
            std::lock_guard lock(mutex_);
            slots_[worker].order.reset();
            results_.push_back(std::move(result));
        }
        result_ready_.notify_one();
    }
}

}  // namespace hpo
