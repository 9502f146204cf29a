// The process that kills the kernels' process groups when the process that started them dies,
// however it dies (kill -9 included): no kernel, nor anything a kernel started, outlives hpo.
#pragma once

#include <sys/types.h>

namespace hpo::exec_detail {

// A kernel's process group is watched from its start (`watch_group`, right after the spawn)
// until it is over (`unwatch_group`, once its leader was reaped and the group killed; a group id
// comes back only after the pid space wrapped around, so that short gap is harmless). If this
// process dies in between,
// a small /bin/sh started once per process (its own process group, every catchable signal
// ignored) sees its end of a socket close, sends SIGTERM to every watched group (srun cancels its
// step, mpirun kills its ranks), waits `grace_seconds` (the largest given), then sends SIGKILL.
// Best effort: if the sentinel cannot be started, kernels run unwatched. Thread-safe.
void watch_group(pid_t group, double grace_seconds);
void unwatch_group(pid_t group);

// watch_group for as long as it lives: an exception on the way cannot leave a group watched.
class WatchedGroup {
public:
    WatchedGroup(pid_t group, double grace_seconds) : group_(group) { watch_group(group, grace_seconds); }
    ~WatchedGroup() { unwatch_group(group_); }
    WatchedGroup(const WatchedGroup&) = delete;
    WatchedGroup& operator=(const WatchedGroup&) = delete;

private:
    pid_t group_;
};

}  // namespace hpo::exec_detail
