// Launcher argv and environment (see launcher.hpp): pure functions, no process is started here.
#include "hpo/exec/launcher.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "hpo/exec/hostlist.hpp"
#include "hpo/exec/job_environment.hpp"

namespace hpo {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Set by srun/sbatch/salloc to describe the step or the task, and read back by srun as defaults.
constexpr std::array slurm_step_prefixes{
    std::string_view("SLURM_STEP_"),  std::string_view("SLURM_NTASKS"),  std::string_view("SLURM_CPU_BIND"),
    std::string_view("SLURM_MEM_BIND"), std::string_view("SLURM_SRUN_COMM_"),
};
constexpr std::array slurm_step_names{
    std::string_view("SLURM_STEPID"),    std::string_view("SLURM_NPROCS"),   std::string_view("SLURM_NNODES"),
    std::string_view("SLURM_DISTRIBUTION"), std::string_view("SLURM_PROCID"), std::string_view("SLURM_LOCALID"),
    std::string_view("SLURM_NODEID"),    std::string_view("SLURM_GTIDS"),    std::string_view("SLURM_TASK_PID"),
    std::string_view("SLURM_LAUNCH_NODE_IPADDR"), std::string_view("SLURM_EXACT"), std::string_view("SLURM_EXCLUSIVE"),
    std::string_view("SLURM_OVERLAP"),   std::string_view("SLURM_CPUS_PER_TASK"), std::string_view("SLURM_PRIO_PROCESS"),
};

// Set by mpirun/orted (or srun's PMI) for the MPI process hpo is: a launcher that inherits them
// takes itself for a rank of that job. The user's own OMPI_MCA_* settings are kept.
constexpr std::array mpi_process_prefixes{
    std::string_view("OMPI_COMM_WORLD_"), std::string_view("OMPI_MCA_ess"), std::string_view("OMPI_MCA_orte_"),
    std::string_view("OMPI_MCA_pmix"),    std::string_view("PMIX_"),        std::string_view("PMI_"),
};
constexpr std::array mpi_process_names{
    std::string_view("OMPI_FILE_LOCATION"), std::string_view("OMPI_FIRST_RANKS"), std::string_view("OMPI_APP_CTX_NUM_PROCS"),
    std::string_view("OMPI_NUM_APP_CTX"),   std::string_view("OMPI_UNIVERSE_SIZE"), std::string_view("OMPI_COMMAND"),
    std::string_view("OMPI_ARGV"),          std::string_view("OMPI_MCA_initial_wdir"),
    std::string_view("OMPI_MCA_mpi_oversubscribe"), std::string_view("OMPI_MCA_shmem_RUNTIME_QUERY_hint"),
};

template <std::size_t P, std::size_t N>
bool listed(std::string_view name, const std::array<std::string_view, P>& prefixes,
            const std::array<std::string_view, N>& names) {
    for (auto prefix : prefixes) {
        if (starts_with(name, prefix)) return true;
    }
    for (auto exact : names) {
        if (name == exact) return true;
    }
    return false;
}

// What makes hpo itself a rank or a task (job_environment.hpp) never reaches a launcher, whatever
// the prefix lists above say.
bool read_by_job_environment(std::string_view name) {
    for (const auto* names : {&mpi_launch_variables, &mpi_rank_variables, &slurm_step_variables}) {
        if (std::find(names->begin(), names->end(), name) != names->end()) return true;
    }
    return false;
}

std::string comma_list(const std::vector<std::string>& nodes) {
    std::string text;
    for (const auto& node : nodes) text += (text.empty() ? "" : ",") + node;
    return text;
}

}  // namespace

std::string_view to_string(Launcher launcher) {
    switch (launcher) {
    case Launcher::local: return "local";
    case Launcher::srun: return "srun";
    case Launcher::mpirun: return "mpirun";
    }
    return "local";
}

Launcher launcher_from_string(std::string_view text) {
    if (text == "local") return Launcher::local;
    if (text == "srun") return Launcher::srun;
    if (text == "mpirun") return Launcher::mpirun;
    throw std::invalid_argument("unknown launcher '" + std::string(text) + "' (expected local, srun or mpirun)");
}

std::string step_name(TrialId trial) { return "hpo-" + std::to_string(trial); }

std::vector<std::string> launch_prefix(Launcher launcher, const std::vector<std::string>& nodes,
                                       const std::vector<std::string>& launch_args, TrialId trial) {
    std::vector<std::string> argv;
    switch (launcher) {
    case Launcher::local: return argv;
    case Launcher::srun:
        if (nodes.empty()) throw std::invalid_argument("the srun launcher needs at least one node");
        argv = {"srun", "--nodes=" + std::to_string(nodes.size()), "--nodelist=" + compress_hostlist(nodes),
                "--overlap", "--kill-on-bad-exit=1", "--job-name=" + step_name(trial)};
        break;
    case Launcher::mpirun:
        if (nodes.empty()) throw std::invalid_argument("the mpirun launcher needs at least one node");
        argv = {"mpirun", "--host", comma_list(nodes)};
        break;
    }
    argv.insert(argv.end(), launch_args.begin(), launch_args.end());
    return argv;
}

void prepare_launch_environment(Launcher launcher, std::map<std::string, std::string>& env) {
    if (!launches_remotely(launcher)) return;
    for (auto it = env.begin(); it != env.end();) {
        const std::string_view name = it->first;
        const bool drop = listed(name, slurm_step_prefixes, slurm_step_names) ||
                          listed(name, mpi_process_prefixes, mpi_process_names) || read_by_job_environment(name);
        it = drop ? env.erase(it) : std::next(it);
    }
    // The whole allocation, as mpirun's Slurm support reads it: slots are the job's CPUs per node.
    if (const auto job_nodes = env.find("SLURM_JOB_NODELIST"); job_nodes != env.end()) {
        env["SLURM_NODELIST"] = job_nodes->second;
    }
    if (const auto job_cpus = env.find("SLURM_JOB_CPUS_PER_NODE"); job_cpus != env.end()) {
        env["SLURM_TASKS_PER_NODE"] = job_cpus->second;
    }
    if (launcher == Launcher::mpirun) env["SLURM_OVERLAP"] = "1";
}

}  // namespace hpo
