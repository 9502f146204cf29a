// Reading the launcher's and Slurm's environment variables (see job_environment.hpp).
#include "hpo/exec/job_environment.hpp"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>

namespace hpo {

namespace {

std::optional<std::string> value_of(const EnvironmentLookup& lookup, std::string_view name) {
    const char* value = lookup(std::string(name).c_str());
    if (!value || !*value) return std::nullopt;
    return std::string(value);
}

// A whole non-negative decimal number, or none: a variable that says something else is ignored,
// as if it were not set.
std::optional<int> count_of(const EnvironmentLookup& lookup, std::string_view name) {
    const auto text = value_of(lookup, name);
    if (!text) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const long number = std::strtol(text->c_str(), &end, 10);
    if (errno != 0 || *end != '\0' || number < 0 || number > INT_MAX) return std::nullopt;
    return static_cast<int>(number);
}

std::string host_name() {
    char name[HOST_NAME_MAX + 1] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "localhost";
    return name;
}

}  // namespace

JobEnvironment read_job_environment(const EnvironmentLookup& lookup) {
    JobEnvironment env;
    for (auto name : mpi_launch_variables) {
        if (value_of(lookup, name)) env.launched_by_mpi = true;
    }
    env.launched_by_mpirun = value_of(lookup, "OMPI_COMM_WORLD_SIZE").has_value();
    for (auto name : mpi_rank_variables) {
        if (!env.launched_by_mpi) break;
        if ((env.launch_rank = count_of(lookup, name))) break;
    }
    for (auto name : node_name_variables) {
        if (auto value = value_of(lookup, name)) {
            env.node_name = std::move(*value);
            break;
        }
    }
    if (env.node_name.empty()) env.node_name = host_name();
    env.slurm_job_nodelist = value_of(lookup, "SLURM_JOB_NODELIST").value_or("");
    env.doorbell = value_of(lookup, "HPO_DOORBELL").value_or("1") != "0";
    // A batch script's shell has SLURM_NTASKS but no step id; srun's tasks have both.
    if (value_of(lookup, "SLURM_STEP_ID") || value_of(lookup, "SLURM_STEPID")) {
        env.slurm_step_tasks = count_of(lookup, "SLURM_STEP_NUM_TASKS").value_or(count_of(lookup, "SLURM_NTASKS").value_or(1));
    }
    return env;
}

JobEnvironment read_job_environment() {
    return read_job_environment([](const char* name) { return std::getenv(name); });
}

std::string slurm_tasks_without_mpi(const JobEnvironment& env, int mpi_world_size) {
    if (env.slurm_step_tasks <= 1 || env.launched_by_mpirun || mpi_world_size > 1) return {};
    return "hpo was started as " + std::to_string(env.slurm_step_tasks) +
           " Slurm tasks but MPI sees one process: launch with `srun --mpi=pmix` or mpirun inside the allocation";
}

}  // namespace hpo
