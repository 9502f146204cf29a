// How every evaluation of a run is executed: the kernel command, its FoM prefix and limits, and
// the launcher that starts it on its nodes. A value type, for the driver API and the CLI alike.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hpo {

enum class Launcher { local, srun, mpirun };

// The word of the kernel command that stands for each trial's checkpoint directory (the seed's).
inline constexpr std::string_view checkpoint_token = "@checkpoint";
// The word that stands for the repeat number (0 for an original trial, k for its k-th repeat under
// --confirm-top), so that a kernel can vary its seed: `--seed=@repeat`.
inline constexpr std::string_view repeat_token = "@repeat";

std::string_view to_string(Launcher launcher);
Launcher launcher_from_string(std::string_view text);  // throws std::invalid_argument

// Whether the kernel runs somewhere else than the process that starts it: the srun and mpirun
// launchers place it on the nodes of its slot, whichever node the worker itself is on.
inline bool launches_remotely(Launcher launcher) { return launcher != Launcher::local; }

// How every evaluation of a run is executed; the same on every worker.
struct KernelConfig {
    std::vector<std::string> command;   // argv of the kernel, before the hyperparameters
    std::string fom_prefix = "FoM: ";
    double timeout_seconds = 0;         // 0: no limit
    double kill_grace_seconds = 5;      // between SIGTERM and SIGKILL to the process group
    std::string run_dir = "hpo-runs";   // each trial runs in <run_dir>/<trial id>/
    std::size_t stderr_tail_bytes = 2048;
    std::size_t output_limit_bytes = 64 << 20;  // per stream saved to disk; the rest is read and dropped
    Launcher launcher = Launcher::local;         // how the kernel is started on its nodes (exec/launcher.hpp)
    int nodes_per_eval = 1;                      // nodes in each evaluation's slot
    std::vector<std::string> launch_args;        // the user's extra srun/mpirun arguments
    // Each line the kernel prints (stdout and stderr) also goes to hpo's stderr as
    // `[trial N] line` (output_echo.hpp); the files on disk are the same either way.
    bool echo_output = false;
    // Files or directories each trial directory gets as a symbolic link under their basename
    // (absolute after finalize): the kernel's data and sources, never copied.
    std::vector<std::string> stage_paths;
    // Each trial's checkpoint directory is <checkpoint_root>/<trial id> (absolute after finalize):
    // `@checkpoint` in the command stands for it, HPO_CHECKPOINT_DIR holds it, and it starts as a
    // copy of its parent trial's (KernelInvocation::parent). Empty: no checkpoint directories.
    std::string checkpoint_root;

    friend bool operator==(const KernelConfig&, const KernelConfig&) = default;
};

// The one validation of kernel settings, for the command line and the driver API alike: throws
// std::invalid_argument naming the option (NaN and negative durations, an empty prefix or run
// directory, nodes or launch arguments the launcher cannot use, staged paths whose names clash
// with each other or with hpo's own files in the trial directory). Needs no file system.
void check(const KernelConfig& kernel);

// The name a staged path gets in each trial directory: its last component, trailing slashes
// ignored ("data/" -> "data"); "" for a path without one ("/", "..").
std::string staged_name(const std::string& path);

}  // namespace hpo
