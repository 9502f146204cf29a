// The limits a busy worker must keep and its clocks (see worker_watch.hpp).
#include "hpo/dist/worker_watch.hpp"

#include <algorithm>
#include <cmath>

#include "hpo/exec/kernel.hpp"
#include "hpo/number_text.hpp"

namespace hpo {

namespace {

std::string seconds_text(WatchLimits::Seconds seconds) { return number_text(std::round(seconds.count() * 10) / 10) + " s"; }

}  // namespace

WatchLimits watch_limits(const KernelConfig& kernel, double worker_timeout_seconds) {
    // An interrupted srun evaluation waits for its job step to end before the worker answers.
    const double margin = answer_margin_seconds + (kernel.launcher == Launcher::srun ? slurm_step_end_patience_seconds : 0);
    WatchLimits limits;
    limits.silence = WatchLimits::Seconds(std::max(worker_timeout_seconds, 0.0));
    if (kernel.timeout_seconds > 0)
        limits.trial_limit = WatchLimits::Seconds(kernel.timeout_seconds + kernel.kill_grace_seconds + margin);
    limits.stop_limit = WatchLimits::Seconds(kernel.kill_grace_seconds + margin);
    return limits;
}

double heartbeat_interval_seconds(double worker_timeout_seconds) {
    if (!(worker_timeout_seconds > 0)) return 0;
    return std::clamp(worker_timeout_seconds / 8, 0.1, 10.0);
}

WorkerWatch::WorkerWatch(std::size_t workers, WatchLimits limits) : limits_(limits), clocks_(workers) {}

void WorkerWatch::dispatched(std::size_t worker, Clock::time_point now) { clocks_.at(worker) = {now, now, std::nullopt}; }

void WorkerWatch::heard(std::size_t worker, Clock::time_point when) {
    auto& clocks = clocks_.at(worker);
    if (clocks.dispatched && (!clocks.heard || when > *clocks.heard)) clocks.heard = when;
}

void WorkerWatch::stop_sent(std::size_t worker, Clock::time_point now) {
    auto& clocks = clocks_.at(worker);
    if (clocks.dispatched && !clocks.stop_sent) clocks.stop_sent = now;
}

void WorkerWatch::answered(std::size_t worker) { clocks_.at(worker) = {}; }

std::optional<std::string> WorkerWatch::overdue(std::size_t worker, Clock::time_point now) const {
    const Clocks& clocks = clocks_.at(worker);
    if (!clocks.dispatched) return std::nullopt;
    const auto past = [&](Clock::time_point since, WatchLimits::Seconds limit) {
        return limit.count() > 0 && now - since > limit;
    };
    if (past(*clocks.heard, limits_.silence)) {
        return "no heartbeat for " + seconds_text(now - *clocks.heard) + " (--worker-timeout " +
               seconds_text(limits_.silence) + ")";
    }
    if (past(*clocks.dispatched, limits_.trial_limit)) {
        return "no result " + seconds_text(now - *clocks.dispatched) + " after its order (the kernel's --timeout, " +
               "its kill grace and a margin: " + seconds_text(limits_.trial_limit) + ")";
    }
    if (clocks.stop_sent && past(*clocks.stop_sent, limits_.stop_limit)) {
        return "no answer " + seconds_text(now - *clocks.stop_sent) + " after the stop (the kill grace and a margin: " +
               seconds_text(limits_.stop_limit) + ")";
    }
    return std::nullopt;
}

}  // namespace hpo
