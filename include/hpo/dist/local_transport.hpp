// Workers as threads of the coordinator's own process: `hpo run` without mpirun.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "hpo/dist/transport.hpp"
#include "hpo/exec/kernel.hpp"
#include "hpo/prune/prune_options.hpp"

namespace hpo {

// Each worker is a thread that runs one kernel at a time through run_kernel; the kernels are
// separate processes, so the threads only wait on pipes and never compete for a core.
class LocalTransport final : public Transport {
public:
    // `eval_nodes[w]`: the nodes worker w's evaluations run on (its slot, or this node); none
    // given: every worker evaluates on this node. `prune`: which intermediate FoMs the workers send.
    LocalTransport(KernelConfig kernel, std::size_t workers, std::vector<std::vector<std::string>> eval_nodes = {},
                   PruneOptions prune = {});
    ~LocalTransport() override;
    LocalTransport(const LocalTransport&) = delete;
    LocalTransport& operator=(const LocalTransport&) = delete;

    std::size_t worker_count() const override { return slots_.size(); }
    void dispatch(std::size_t worker, const WorkOrder& order) override;
    std::optional<WorkResult> wait_result(std::chrono::milliseconds max_wait) override;
    std::vector<Progress> take_progress() override;
    void prune(std::size_t worker, TrialId trial) override;
    void stop_running() override;
    void shutdown() override;

private:
    struct Slot {
        std::optional<WorkOrder> order;
        bool prune_requested = false;  // for the running order
        std::condition_variable order_ready;  // one per worker: a dispatch wakes only its worker
        std::thread thread;
    };
    void work(std::size_t worker);

    KernelConfig kernel_;
    std::vector<std::vector<std::string>> eval_nodes_;
    std::mutex mutex_;
    std::condition_variable result_ready_;
    std::vector<Slot> slots_;
    std::deque<WorkResult> results_;
    std::vector<Progress> progress_;
    PruneOptions prune_;
    std::atomic<bool> stop_{false};
    bool quit_ = false;
};

}  // namespace hpo
