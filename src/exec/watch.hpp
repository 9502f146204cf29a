// Supervising a started kernel until it and its output are done: reading both pipes, the
// timeout and stop requests (SIGTERM, grace, SIGKILL to the group), leftover group members.
#pragma once

#include <sys/types.h>

#include <functional>

#include "hpo/exec/kernel.hpp"
#include "output_capture.hpp"
#include "unique_fd.hpp"

namespace hpo::exec_detail {

enum class Interruption { none, timeout, stop, prune };

// Asked every 50 ms while the kernel runs: none, or stop (not a result) or prune (a result, pruned).
using InterruptionPoll = std::function<Interruption()>;

struct WatchResult {
    int wait_status = 0;
    bool lost = false;            // someone else reaped the child (SIGCHLD ignored?)
    Interruption interruption = Interruption::none;
    bool killed = false;          // SIGKILL after the grace period
    bool drain_cut = false;       // a process outside the group kept the pipes open: reading stopped
};

struct WatchLimits {
    double timeout_seconds = 0;   // 0: none
    double kill_grace_seconds = 5;
};

// Returns once the child is reaped and both pipes are at EOF, or a short drain after the child
// exited has passed. The child's whole process group is killed as soon as the child exits, so
// that no stray process outlives its trial. Blocks in poll(): no busy waiting.
WatchResult watch_kernel(pid_t pid, UniqueFd stdout_pipe, UniqueFd stderr_pipe, OutputCapture& capture,
                         const WatchLimits& limits, const InterruptionPoll& poll);

}  // namespace hpo::exec_detail
