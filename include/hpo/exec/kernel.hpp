// Running one evaluation of the training kernel: fork/exec, output capture, timeout, FoM, status.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "hpo/exec/launcher.hpp"
#include "hpo/trial.hpp"

namespace hpo {

// How every evaluation of a run is executed; the same on every worker.
struct KernelConfig {
    std::vector<std::string> command;   // argv of the kernel, before the hyperparameters
    std::string fom_prefix = "FoM: ";
    double timeout_seconds = 0;         // 0: no limit
    double kill_grace_seconds = 5;      // between SIGTERM and SIGKILL to the process group
    std::string run_dir = "hpo-runs";   // each trial runs in <run_dir>/<trial id>/
    std::size_t stderr_tail_bytes = 2048;
    std::size_t output_limit_bytes = 64 << 20;  // per stream saved to disk; the rest is read and dropped
    Launcher launcher = Launcher::local;         // how the kernel is started on its nodes (launcher.hpp)
    int nodes_per_eval = 1;                      // nodes in each evaluation's slot
    std::vector<std::string> launch_args;        // the user's extra srun/mpirun arguments

    friend bool operator==(const KernelConfig&, const KernelConfig&) = default;
};

// The one validation of kernel settings, for the command line and the driver API alike: throws
// std::invalid_argument naming the option (NaN and negative durations, an empty prefix or run
// directory, nodes or launch arguments the launcher cannot use).
void check(const KernelConfig& kernel);

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
};

// How it ended. Filled into a Trial by whoever knows the proposal.
struct KernelOutcome {
    TrialStatus status = TrialStatus::ok;
    double fom = std::numeric_limits<double>::quiet_NaN();
    int exit_code = 0;
    int signal = 0;
    double start_time = 0;
    double end_time = 0;
    std::string message;
};

// Asked periodically (at least every 100 ms) while the kernel runs; true stops the kernel (its
// whole process group: SIGTERM, the grace period, SIGKILL) and run_kernel returns with `stopped`.
using StopRequested = std::function<bool()>;

struct KernelRun {
    KernelOutcome outcome;
    bool stopped = false;  // ended by a stop request: not a result, the trial must run again
};

// Runs the kernel to completion, through the configured launcher. After an interrupted srun
// launch it returns only once the evaluation's job step is gone from Slurm, so that the slot's
// next evaluation never shares its nodes with it. Never throws for anything the kernel does; throws
// std::runtime_error only when the trial cannot be started at all (its directory cannot be
// created), and even then the caller records a failed trial.
KernelRun run_kernel(const KernelConfig& config, const KernelInvocation& invocation,
                     const StopRequested& stop_requested = {});

}  // namespace hpo
