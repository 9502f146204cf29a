// The one reader of the launcher's and Slurm's environment variables: what it makes of each set.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <map>
#include <string>

#include "hpo/exec/job_environment.hpp"
#include "hpo/exec/launcher.hpp"

using namespace hpo;
using Variables = std::map<std::string, std::string>;

namespace {

JobEnvironment read(const Variables& variables) {
    return read_job_environment([&](const char* name) -> const char* {
        const auto it = variables.find(name);
        return it == variables.end() ? nullptr : it->second.c_str();
    });
}

std::string host_name() {
    char name[HOST_NAME_MAX + 1] = {};
    REQUIRE(gethostname(name, sizeof name - 1) == 0);
    return name;
}

}  // namespace

TEST_CASE("no launcher, no Slurm: alone, on this host") {
    const JobEnvironment env = read({});
    CHECK_FALSE(env.launched_by_mpi);
    CHECK_FALSE(env.launched_by_mpirun);
    CHECK_FALSE(env.launch_rank.has_value());
    CHECK(env.node_name == host_name());
    CHECK(env.slurm_job_nodelist.empty());
    CHECK(env.slurm_step_tasks == 0);
}

TEST_CASE("each MPI launcher's variables say MPI; only Open MPI's say mpirun") {
    for (auto name : mpi_launch_variables) {
        INFO(name);
        const JobEnvironment env = read({{std::string(name), "3"}});
        CHECK(env.launched_by_mpi);
        CHECK(env.launched_by_mpirun == (name == "OMPI_COMM_WORLD_SIZE"));
    }
    CHECK_FALSE(read({{"PMI_SIZE", ""}}).launched_by_mpi);  // empty is unset
}

TEST_CASE("the rank: Open MPI's first, then PMIx, PMI, Slurm; only under an MPI launcher") {
    CHECK(read({{"OMPI_COMM_WORLD_SIZE", "4"}, {"OMPI_COMM_WORLD_RANK", "2"}, {"PMIX_RANK", "1"}}).launch_rank == 2);
    CHECK(read({{"PMIX_RANK", "1"}, {"PMI_RANK", "3"}}).launch_rank == 1);
    CHECK(read({{"PMI_SIZE", "4"}, {"SLURM_PROCID", "3"}}).launch_rank == 3);
    CHECK(read({{"PMIX_RANK", "oops"}, {"PMI_RANK", "5"}}).launch_rank == 5);  // not a number: next one
    // A batch script's SLURM_PROCID=0 is no MPI rank.
    CHECK_FALSE(read({{"SLURM_PROCID", "0"}}).launch_rank.has_value());
}

TEST_CASE("the node name: HPO_NODE_NAME, then SLURMD_NODENAME, then the host name") {
    CHECK(read({{"HPO_NODE_NAME", "mine"}, {"SLURMD_NODENAME", "n3"}}).node_name == "mine");
    CHECK(read({{"SLURMD_NODENAME", "n3"}}).node_name == "n3");
    CHECK(read({{"HPO_NODE_NAME", ""}, {"SLURMD_NODENAME", "n3"}}).node_name == "n3");
    CHECK(read({{"SLURMD_NODENAME", ""}}).node_name == host_name());
}

TEST_CASE("the coordinator's doorbell is on unless HPO_DOORBELL=0") {
    CHECK(read({}).doorbell);
    CHECK(read({{"HPO_DOORBELL", "1"}}).doorbell);
    CHECK(read({{"HPO_DOORBELL", ""}}).doorbell);
    CHECK_FALSE(read({{"HPO_DOORBELL", "0"}}).doorbell);
}

TEST_CASE("the allocation's node list") {
    CHECK(read({{"SLURM_JOB_NODELIST", "n[1-4]"}}).slurm_job_nodelist == "n[1-4]");
}

TEST_CASE("the tasks of a Slurm step, never of a batch script's shell") {
    // sbatch -n 3: the batch shell has SLURM_NTASKS but no step id.
    CHECK(read({{"SLURM_NTASKS", "3"}, {"SLURM_JOB_NODELIST", "n[1-2]"}}).slurm_step_tasks == 0);
    // srun -n 2 inside it: the step's own count wins over the allocation's.
    CHECK(read({{"SLURM_STEP_ID", "0"}, {"SLURM_STEP_NUM_TASKS", "2"}, {"SLURM_NTASKS", "3"}}).slurm_step_tasks == 2);
    CHECK(read({{"SLURM_STEP_ID", "0"}, {"SLURM_NTASKS", "2"}}).slurm_step_tasks == 2);
    CHECK(read({{"SLURM_STEPID", "4"}, {"SLURM_NTASKS", "5"}}).slurm_step_tasks == 5);  // the older name
    CHECK(read({{"SLURM_STEP_ID", "0"}}).slurm_step_tasks == 1);
    CHECK(read({{"SLURM_STEP_ID", "0"}, {"SLURM_STEP_NUM_TASKS", "-2"}, {"SLURM_NTASKS", "x"}}).slurm_step_tasks == 1);
}

TEST_CASE("without a lookup given, the process's own environment is read") {
    ::setenv("HPO_NODE_NAME", "from-setenv", 1);
    ::setenv("SLURM_STEP_ID", "7", 1);
    ::setenv("SLURM_STEP_NUM_TASKS", "4", 1);
    const JobEnvironment env = read_job_environment();
    ::unsetenv("HPO_NODE_NAME");
    ::unsetenv("SLURM_STEP_ID");
    ::unsetenv("SLURM_STEP_NUM_TASKS");
    CHECK(env.node_name == "from-setenv");
    CHECK(env.slurm_step_tasks == 4);
}

TEST_CASE("a launched evaluation inherits none of the variables that make hpo a rank or a task") {
    // An srun/mpirun started for an evaluation that kept them would take itself for a rank of
    // hpo's own job, or take the shape of hpo's own step.
    for (auto launcher : {Launcher::srun, Launcher::mpirun}) {
        std::map<std::string, std::string> env{{"SLURMD_NODENAME", "n1"}, {"SLURM_JOB_NODELIST", "n[1-2]"}};
        for (const auto* names : {&mpi_launch_variables, &mpi_rank_variables, &slurm_step_variables}) {
            for (auto name : *names) env[std::string(name)] = "2";
        }
        prepare_launch_environment(launcher, env);
        const JobEnvironment seen = read_job_environment([&](const char* name) -> const char* {
            const auto it = env.find(name);
            return it == env.end() ? nullptr : it->second.c_str();
        });
        INFO("launcher " << to_string(launcher));
        CHECK_FALSE(seen.launched_by_mpi);
        CHECK_FALSE(seen.launch_rank.has_value());
        CHECK(seen.slurm_step_tasks == 0);
        // What describes the node and the allocation stays: the kernel may need it.
        CHECK(seen.node_name == "n1");
        CHECK(seen.slurm_job_nodelist == "n[1-2]");
    }
}

TEST_CASE("several Slurm tasks that MPI does not join are refused, naming the count and the fix") {
    const Variables srun_tasks{{"SLURM_STEP_ID", "0"}, {"SLURM_STEP_NUM_TASKS", "4"}, {"SLURM_NTASKS", "4"}};
    // srun --mpi=none: no launcher variables, each task alone.
    const std::string problem = slurm_tasks_without_mpi(read(srun_tasks), 1);
    CHECK_THAT(problem, Catch::StartsWith("hpo was started as 4 Slurm tasks but MPI sees one process") &&
                            Catch::Contains("srun --mpi=pmix") && Catch::Contains("mpirun"));
    // srun --mpi=pmix whose PMIx this MPI does not join: launched, still a world of one.
    Variables pmix = srun_tasks;
    pmix["PMIX_RANK"] = "2";
    CHECK_FALSE(slurm_tasks_without_mpi(read(pmix), 1).empty());

    CHECK(slurm_tasks_without_mpi(read(pmix), 4).empty());  // MPI joined them: one job
    CHECK(slurm_tasks_without_mpi(read({{"SLURM_STEP_ID", "0"}, {"SLURM_STEP_NUM_TASKS", "1"}}), 1).empty());
    CHECK(slurm_tasks_without_mpi(read({{"SLURM_NTASKS", "8"}}), 1).empty());  // a batch script's shell
    CHECK(slurm_tasks_without_mpi(read({}), 1).empty());
    // mpirun -n 1 in a step of its daemons (one per node): one hpo process, rightly.
    Variables under_mpirun = srun_tasks;
    under_mpirun["OMPI_COMM_WORLD_SIZE"] = "1";
    CHECK(slurm_tasks_without_mpi(read(under_mpirun), 1).empty());
}
