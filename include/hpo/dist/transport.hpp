// How the coordinator reaches its workers: MPI ranks, or threads in the same process.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "hpo/dist/protocol.hpp"

namespace hpo {

class Transport {
public:
    virtual ~Transport() = default;

    virtual std::size_t worker_count() const = 0;

    // Hands an order to an idle worker; the coordinator never gives a worker two at once.
    virtual void dispatch(std::size_t worker, const WorkOrder& order) = 0;

    // The next result in arrival order, or none after `max_wait`. Sleeps while it waits: an idle
    // coordinator must not burn a core the kernels need. A `max_wait` of zero only looks (the
    // coordinator drains the results that have arrived so), without sleeping at all.
    virtual std::optional<WorkResult> wait_result(std::chrono::milliseconds max_wait) = 0;

    // The intermediate FoMs that arrived since the last call (--prune), in arrival order. Every
    // progress of a trial is here before its result: once wait_result has returned a result,
    // a call to take_progress returns whatever that trial sent before it.
    virtual std::vector<Progress> take_progress() { return {}; }

    // Stops `trial` on `worker` as pruned: the worker answers with the trial's result, status
    // pruned (or its real one, if the kernel finished first); a worker that no longer runs it
    // ignores it. Transports that never carry progress throw std::logic_error.
    virtual void prune(std::size_t worker, TrialId trial) {
        throw std::logic_error("worker " + std::to_string(worker) + " cannot prune trial " + std::to_string(trial) +
                               ": its transport carries no progress");
    }

    // Asks every busy worker to stop its kernel; each answers with a result marked `stopped`
    // (or a real result, if the kernel finished first).
    virtual void stop_running() = 0;

    // Ends every worker. Called once, with no order outstanding but those of abandoned workers.
    virtual void shutdown() = 0;

    // When `worker` was last heard from (its last heartbeat or result arrived), as far as the
    // results and heartbeats taken so far tell; none if never, or if the transport's workers
    // cannot go silent on their own (threads of this process: a stopped process stops them all).
    virtual std::optional<std::chrono::steady_clock::time_point> last_heard(std::size_t /*worker*/) const {
        return std::nullopt;
    }

    // After shutdown: the workers that did not confirm it in time (an MPI rank stopped while idle):
    // the job's end would wait for them, so the coordinator gives up on them too.
    virtual std::vector<std::size_t> unconfirmed_shutdown() const { return {}; }

    // The coordinator gave up on `worker` (worker_watch.hpp): it is sent nothing more, and what it
    // may still send (a late result, heartbeats) is dropped. Only transports whose workers can go
    // silent support it; the others throw std::logic_error.
    virtual void abandon(std::size_t worker) {
        throw std::logic_error("worker " + std::to_string(worker) + " cannot be abandoned: its transport's workers never go silent");
    }
};

}  // namespace hpo
