// SIGTERM, SIGINT and SIGUSR1 turned into a stop request for the duration of a run.
#pragma once

#include <atomic>
#include <csignal>

namespace hpo {

// While alive, the three signals set `requested()` instead of killing the process; the previous
// handlers come back on destruction. Slurm sends SIGTERM (or --signal=USR1) before the time limit.
class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    static const std::atomic<bool>& requested();
    static int last_signal();

private:
    struct sigaction previous_[3]{};
};

}  // namespace hpo
