// Starting a child process the way the kernel needs it: no shell, its own process group, given
// standard streams and working directory, and a reliable report when exec itself fails.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace hpo::exec_detail {

struct SpawnRequest {
    std::string executable;                // handed to execve as is (resolve it beforehand)
    std::vector<std::string> argv;
    std::vector<std::string> environment;  // KEY=VALUE entries, the child's whole environment
    std::string working_dir;
    int stdin_fd = -1;
    int stdout_fd = -1;
    int stderr_fd = -1;
};

enum class SpawnStage { started, fork, streams, working_dir, exec };

struct SpawnResult {
    pid_t pid = -1;                          // the child, leader of its own group (stage == started)
    SpawnStage stage = SpawnStage::started;  // otherwise: the step that failed
    int error = 0;                           // its errno (a child that could not exec is already reaped)
};

// Safe to call from several threads at once: every descriptor this module opens is close-on-exec
// so that a concurrent spawn cannot inherit it, and descriptors the rest of the program leaked
// without close-on-exec are closed in the child too: the kernel gets 0, 1, 2 only.
SpawnResult spawn(const SpawnRequest& request);

}  // namespace hpo::exec_detail
