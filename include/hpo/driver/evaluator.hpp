// hpo::Evaluator: the training kernel a driver optimizes and how each evaluation of it runs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hpo/exec/command_line.hpp"
#include "hpo/exec/kernel_config.hpp"

namespace hpo {

// How every evaluation runs. Field order is fixed: designated initializers name them in it.
struct EvaluatorOptions {
    std::string fom_prefix = "FoM: ";      // the kernel prints `FoM: <value>`
    double timeout = 0;                    // seconds per evaluation, 0: no limit
    std::string run_dir = "hpo-runs";      // each trial runs in <run_dir>/<trial id>/
    ArgStyle arg_style = ArgStyle::equals; // `--lr=0.1` or `--lr 0.1`
    double kill_grace = 5;                 // seconds between SIGTERM and SIGKILL on timeout
    Launcher launcher = Launcher::local;   // local, srun or mpirun (README: Clusters and Slurm)
    int nodes_per_eval = 1;                // nodes of each evaluation's slot (srun, mpirun)
    std::string launch_args;               // extra srun/mpirun arguments, split like a shell would
    bool echo_output = false;              // each line the kernels print also on stderr, as `[trial N] line`
    std::vector<std::string> stage_paths;  // linked (not copied) into each trial directory by basename
    // The seed's Evaluator `checkpoint`: the root of the trials' checkpoint directories, each
    // <checkpoint_root>/<trial id>, a copy of its parent trial's when it starts (`@checkpoint` in
    // the command and HPO_CHECKPOINT_DIR name it). Empty: <run_dir>/checkpoints when the command
    // names @checkpoint or the strategy is pbt, none otherwise.
    std::string checkpoint_root{};
};

// The seed's Evaluator: `hpo::Evaluator evaluator("python3 train.py")`. The command is split
// with shell-like quoting but never run through a shell.
class Evaluator {
public:
    explicit Evaluator(std::string_view command, EvaluatorOptions options = {});

    // For a command already split into argv elements (kept verbatim).
    static Evaluator from_argv(std::vector<std::string> argv, EvaluatorOptions options = {});

    const KernelConfig& kernel() const { return kernel_; }
    ArgStyle arg_style() const { return arg_style_; }

private:
    Evaluator(std::vector<std::string> argv, const EvaluatorOptions& options);

    KernelConfig kernel_;
    ArgStyle arg_style_ = ArgStyle::equals;
};

}  // namespace hpo
