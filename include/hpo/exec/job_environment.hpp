// What the MPI launcher and Slurm tell this process through its environment, read in one place.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace hpo {

// Set by an MPI launcher for each process it starts: Open MPI's mpirun, a PMI or PMIx (srun
// --mpi=pmix, MPICH's Hydra). Any one of them means "started as a rank of an MPI job".
inline constexpr std::array<std::string_view, 4> mpi_launch_variables{"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                                                      "PMIX_RANK", "PMI_RANK"};
// Where each launcher names the process's rank, in the order they are trusted.
inline constexpr std::array<std::string_view, 4> mpi_rank_variables{"OMPI_COMM_WORLD_RANK", "PMIX_RANK",
                                                                    "PMI_RANK", "SLURM_PROCID"};
// This process's node name: ours first (tests and odd sites), then the Slurm node's name, which
// tells apart the virtual nodes of one machine where the host name cannot.
inline constexpr std::array<std::string_view, 2> node_name_variables{"HPO_NODE_NAME", "SLURMD_NODENAME"};

// Set by srun for each task of a job step (SLURM_STEPID is the older name of SLURM_STEP_ID).
inline constexpr std::array<std::string_view, 4> slurm_step_variables{"SLURM_STEP_ID", "SLURM_STEPID",
                                                                      "SLURM_STEP_NUM_TASKS", "SLURM_NTASKS"};

struct JobEnvironment {
    bool launched_by_mpi = false;     // one of mpi_launch_variables is set
    // Open MPI's mpirun started this process (OMPI_COMM_WORLD_SIZE): if it sits in a Slurm step,
    // that step's tasks are mpirun's daemons, not hpo processes.
    bool launched_by_mpirun = false;
    // Under an MPI launcher, the first of mpi_rank_variables that holds a number (Slurm's
    // SLURM_PROCID alone, as in a batch script, does not make a rank).
    std::optional<int> launch_rank;
    std::string node_name;            // the first of node_name_variables set, else the host name
    std::string slurm_job_nodelist;   // SLURM_JOB_NODELIST: the allocation's nodes; empty outside one
    // Tasks of the Slurm job step this process is one of (srun -n N: SLURM_STEP_NUM_TASKS, else
    // SLURM_NTASKS inside a step); 0 outside a step, in a batch script's own shell too, whose
    // SLURM_NTASKS counts the allocation's tasks, not processes started with hpo.
    int slurm_step_tasks = 0;
    // HPO_DOORBELL=0: the coordinator of an MPI job paces its looks for results instead of being
    // woken by a TCP line from each worker (src/dist/doorbell.hpp). For comparisons and for sites
    // where a connection between nodes hangs rather than fails; anything else leaves it on.
    bool doorbell = true;
};

// A variable's value, or null when it is not set (std::getenv's contract).
using EnvironmentLookup = std::function<const char*(const char* name)>;

// Reads the variables through `lookup` (tests give their own); an empty value counts as unset.
JobEnvironment read_job_environment(const EnvironmentLookup& lookup);

// This process's environment.
JobEnvironment read_job_environment();

// Why this process must not go on as it was started, or empty if it may. Several tasks of one
// Slurm step that MPI does not join into one job (`srun -n 4 hpo run` with no PMI that this MPI
// speaks) would each coordinate a run of their own: every evaluation run N times, the
// checkpoint raced for. `mpi_world_size`: the MPI job's size, 1 when not launched by MPI. Not a
// problem under mpirun, whose daemons may be the step's tasks.
std::string slurm_tasks_without_mpi(const JobEnvironment& env, int mpi_world_size);

}  // namespace hpo
