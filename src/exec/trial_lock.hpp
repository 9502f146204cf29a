// The lock a kernel holds on its trial directory for as long as it, or anything it started, runs:
// a trial directory is never shared with a live process left over from an earlier run.
#pragma once

#include <filesystem>
#include <string>

#include "unique_fd.hpp"

namespace hpo::exec_detail {

struct TrialLock {
    UniqueFd fd;     // <trial_dir>/.hpo-lock, read-only, flock'ed: the kernel's standard input
    std::string note;  // what was done about a leftover process, "" if nothing was there
};

// Takes the lock of `trial_dir` (which exists). The lock file is empty, so the kernel reads end of
// file from its standard input as from /dev/null; every process it starts inherits the descriptor,
// and with it the lock. Held already: processes of an earlier run still work there (their hpo was
// killed along with their watcher). They are found by the descriptor they hold (/proc/PID/fd) and
// their process groups are ended (SIGTERM, `grace_seconds`, SIGKILL); if the lock still cannot be
// had, the directory is renamed <trial_dir>.orphaned.N and a fresh one takes its place. Throws
// SetupError (kernel.hpp) when a file cannot be created or renamed.
TrialLock lock_trial_dir(const std::filesystem::path& trial_dir, double grace_seconds);

}  // namespace hpo::exec_detail
