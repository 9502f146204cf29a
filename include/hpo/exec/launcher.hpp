// Launchers (README: Clusters and Slurm): how one evaluation's kernel is started on the nodes of its slot, as a
// plain process (local), a Slurm job step (srun) or an MPI job (mpirun).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/exec/kernel_config.hpp"
#include "hpo/trial.hpp"

namespace hpo {

// The job step name an evaluation's srun gets, so that a step left behind can be found.
std::string step_name(TrialId trial);

// The argv put before the kernel command to run it on `nodes` (one or more, in slot order):
//   local:  nothing (the kernel runs right here; `nodes` is this node)
//   srun:   srun --nodes=K --nodelist=<hostlist> --overlap --kill-on-bad-exit=1
//                --job-name=hpo-<trial> <launch_args>
//   mpirun: mpirun --host h1,h2 <launch_args>
// srun's --overlap: the slot already makes the nodes the evaluation's own, and without it the
// step would wait for the CPUs that `srun hpo run`'s own step holds. The launch args come last so
// that they can override any of these (srun and mpirun take the last of a repeated option).
std::vector<std::string> launch_prefix(Launcher launcher, const std::vector<std::string>& nodes,
                                       const std::vector<std::string>& launch_args, TrialId trial);

// Edits the environment the launcher process (srun, mpirun) starts with. Removed: the variables
// that describe the job step or MPI process hpo itself runs as (SLURM_NTASKS, SLURM_STEP_*,
// OMPI_COMM_WORLD_*, PMIX_*...): srun and mpirun read them as defaults, so an evaluation would
// inherit the shape of `sbatch -n 8` or of hpo's own MPI job. SLURM_NODELIST and
// SLURM_TASKS_PER_NODE are set to the whole job's nodes and CPUs (mpirun reads the allocation from
// them), and SLURM_OVERLAP=1 lets the steps mpirun starts share CPUs with hpo's own step, as
// srun's --overlap does. Local: nothing changes.
void prepare_launch_environment(Launcher launcher, std::map<std::string, std::string>& env);

}  // namespace hpo
