// Running one evaluation of the training kernel: fork/exec, output capture, timeout, FoM, status.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "hpo/exec/kernel_config.hpp"
#include "hpo/exec/launcher.hpp"
#include "hpo/trial.hpp"

namespace hpo {

// One evaluation to run: the trial's identity and its hyperparameter arguments.
struct KernelInvocation {
    TrialId trial_id = 0;
    int deme = 0;
    int generation = 0;
    std::vector<std::string> hyperparameter_args;
    std::map<std::string, std::string> extra_env;  // e.g. HPO_DEME_RANK from an MPI worker
    // The nodes of the evaluation's slot. Given: the kernel gets them as HPO_NODES (a Slurm
    // hostlist) and HPO_NODEFILE (<trial dir>/nodefile, one per line), and a remote launcher
    // starts it there. Empty: a local kernel with neither variable.
    std::vector<std::string> nodes;
    // With KernelConfig::checkpoint_root: the trial whose checkpoint directory this one's starts
    // as a copy of; none: an empty directory.
    std::optional<TrialId> parent;
    // Confirmation (--confirm-top): 0 for an original trial, k for its k-th repeat; the kernel
    // gets it as HPO_REPEAT and in place of `@repeat` in its command (to vary its seed).
    int repeat = 0;
};

// How it ended. Filled into a Trial by whoever knows the proposal.
struct KernelOutcome {
    TrialStatus status = TrialStatus::ok;
    double fom = std::numeric_limits<double>::quiet_NaN();
    int steps = 0;  // FoM lines printed
    int exit_code = 0;
    int signal = 0;
    double start_time = 0;
    double end_time = 0;
    std::string message;
};

// Asked periodically (at least every 100 ms) while the kernel runs; true stops the kernel (its
// whole process group: SIGTERM, the grace period, SIGKILL) and run_kernel returns with `stopped`.
using StopRequested = std::function<bool()>;

// What run_kernel tells and asks its caller while the kernel runs; each may be left empty.
struct KernelHooks {
    StopRequested stop_requested;
    // Asked with stop_requested: true stops the kernel the same way, as pruned (--prune): a result,
    // with status pruned and the last FoM it printed.
    std::function<bool()> prune_requested;
    // Each FoM line as it is read: the n-th is step n; NaN for a value that is not a number. Called
    // on run_kernel's thread, between reads of the kernel's output: keep it quick.
    std::function<void(int step, double value)> on_step;
};

// After an interrupted srun launch, how long run_kernel waits beyond the kill grace for Slurm to
// end the evaluation's job step (slurmctld may be slow to answer). An MPI worker is not heard
// from meanwhile, so the coordinator allows for it too (dist/worker_watch.cpp).
inline constexpr double slurm_step_end_patience_seconds = 30;

struct KernelRun {
    KernelOutcome outcome;
    bool stopped = false;  // ended by a stop request: not a result, the trial must run again
};

// hpo could not start an evaluation for its own reasons: its trial directory or output files
// cannot be created, the directory is gone, no process or descriptor can be had (fork's EAGAIN,
// ENOMEM, EMFILE). Not the kernel's failure: the trial stays pending and the run stops
// (README: The training kernel). The message names the path and the errno text.
class SetupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Runs the kernel to completion, through the configured launcher. After an interrupted srun
// launch it returns only once the evaluation's job step is gone from Slurm, so that the slot's
// next evaluation never shares its nodes with it. Never throws for anything the kernel does (a
// command that is not found or not executable is a failed trial); throws SetupError when hpo
// itself cannot start it. The kernel runs in its own process group, holding its trial
// directory's lock (trial_lock.hpp), and that group is ended if this process dies
// (group_sentinel.hpp).
// With KernelConfig::checkpoint_root, the trial's checkpoint directory is made first
// (checkpoint_dir.hpp): `@checkpoint` in the command and HPO_CHECKPOINT_DIR name it. `@repeat`
// in the command and HPO_REPEAT hold the invocation's repeat number (0 for an original trial).
KernelRun run_kernel(const KernelConfig& config, const KernelInvocation& invocation, const KernelHooks& hooks);

// The kernel's words with every occurrence of repeat_token (kernel_config.hpp), whole word or
// inside one ("--seed=@repeat"), replaced by the repeat number.
std::vector<std::string> with_repeat(std::vector<std::string> words, int repeat);
inline KernelRun run_kernel(const KernelConfig& config, const KernelInvocation& invocation,
                            const StopRequested& stop_requested = {}) {
    return run_kernel(config, invocation, KernelHooks{stop_requested, {}, {}});
}

}  // namespace hpo
