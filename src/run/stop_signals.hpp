// SIGTERM, SIGINT, SIGUSR1 and SIGHUP turned into a stop request for the duration of a run.
#pragma once

#include <atomic>
#include <csignal>

namespace hpo {

// While alive, the four signals set `requested()` instead of killing the process; the previous
// handlers come back on destruction. Slurm sends SIGTERM (or --signal=USR1) before the time limit;
// a closed terminal or ssh session sends SIGHUP (ignored still if hpo was started under nohup).
class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    static const std::atomic<bool>& requested();
    static int last_signal();

    static constexpr int count = 4;

private:
    struct sigaction previous_[count]{};
};

}  // namespace hpo
