// The process that kills the kernels' process groups when the process that started them dies,
// however it dies (kill -9 included): no kernel, nor anything a kernel started, outlives hpo.
#pragma once

#include <sys/types.h>

namespace hpo::exec_detail {

// A kernel's process group is watched from its start (`watch_group`, right after the spawn)
// until it is empty (`unwatch_group`, once its leader has exited and the group was killed, before
// the leader is reaped: the group id cannot have been reused). If this process dies in between,
// a small /bin/sh started once per process (its own process group, every catchable signal
// ignored) sees its end of a socket close, sends SIGTERM to every watched group (srun cancels its
// step, mpirun kills its ranks), waits `grace_seconds` (the largest given), then sends SIGKILL.
// Best effort: if the sentinel cannot be started, kernels run unwatched. Thread-safe.
void watch_group(pid_t group, double grace_seconds);
void unwatch_group(pid_t group);

}  // namespace hpo::exec_detail
