// When the coordinator gives up on a busy worker that went silent (an MPI rank stopped by a hung
// filesystem or a swapping node): the limits, and each worker's clocks. Free of MPI.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hpo/exec/kernel_config.hpp"

namespace hpo {

// A busy worker is lost when it passes any of these; a zero limit is off. A live worker sends a
// heartbeat while it runs an order (heartbeat_interval_seconds), so that only `silence` needs the
// heartbeats: the other two hold when they are off, and only bound a worker's whole answer.
struct WatchLimits {
    using Seconds = std::chrono::duration<double>;
    Seconds silence{0};      // neither a heartbeat nor a result for this long (--worker-timeout)
    Seconds trial_limit{0};  // dispatch to result: the kernel's --timeout, its kill grace, a margin
    Seconds stop_limit{0};   // a stop to its answer: the kill grace and a margin

    bool any() const { return silence.count() > 0 || trial_limit.count() > 0 || stop_limit.count() > 0; }
};

// Beyond a kernel's timeout and kill grace, the time a worker may take to start it and to answer
// (a slow filesystem, a loaded node); with the srun launcher also the wait for its job step to end.
inline constexpr double answer_margin_seconds = 10;

// The limits of an MPI job's coordinator: `worker_timeout_seconds` (0: no heartbeats) and, from the
// kernel, its timeout (0: no trial limit) and kill grace.
WatchLimits watch_limits(const KernelConfig& kernel, double worker_timeout_seconds);

// How often a busy worker sends a heartbeat: an eighth of the worker timeout, between 0.1 s (the
// worker looks every 50 ms) and 10 s; 0 (none) when the worker timeout is 0.
double heartbeat_interval_seconds(double worker_timeout_seconds);

// Each worker's clocks, on the coordinator: since its order was dispatched, since it was last
// heard from, since it was asked to stop.
class WorkerWatch {
public:
    using Clock = std::chrono::steady_clock;

    WorkerWatch(std::size_t workers, WatchLimits limits);

    const WatchLimits& limits() const { return limits_; }
    void dispatched(std::size_t worker, Clock::time_point now);
    void heard(std::size_t worker, Clock::time_point when);  // a heartbeat (earlier ones are ignored)
    void stop_sent(std::size_t worker, Clock::time_point now);
    void answered(std::size_t worker);  // idle again: no limit applies

    // Why the busy `worker` counts as lost at `now` ("no heartbeat for 31 s..."); none if it does
    // not, or if it is idle.
    std::optional<std::string> overdue(std::size_t worker, Clock::time_point now) const;

private:
    struct Clocks {
        std::optional<Clock::time_point> dispatched, heard, stop_sent;
    };
    WatchLimits limits_;
    std::vector<Clocks> clocks_;
};

}  // namespace hpo
