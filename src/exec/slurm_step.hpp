// Making sure an interrupted evaluation's Slurm job step is gone before its nodes are reused.
#pragma once

#include <map>
#include <string>

namespace hpo::exec_detail {

// Called after an srun launcher was interrupted (timeout or stop). Killing srun normally ends its
// step (srun cancels it on SIGTERM, slurmstepd on losing srun), but a killed srun, a busy
// slurmctld or tasks that ignore SIGTERM can leave it running past srun; and the slot's next
// evaluation, started with --overlap, would share the nodes with it. So: polls `squeue -s` for
// steps named `step` in the job of `env` (SLURM_JOB_ID), `scancel`s them (again every few
// seconds), and returns once none is left. Returns a note for the trial's message if the step was
// still there after `patience_seconds`, or if Slurm could not be asked; an empty string otherwise.
std::string end_job_step(const std::string& step, const std::map<std::string, std::string>& env,
                         double patience_seconds);

}  // namespace hpo::exec_detail
