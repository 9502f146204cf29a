// Launchers: the argv each builds for a slot, the environment its process gets, and run_kernel
// going through one (a stand-in `mpirun` on PATH records how it was called).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hpo/exec/kernel.hpp"
#include "hpo/exec/launcher.hpp"

namespace fs = std::filesystem;
using namespace hpo;
using Argv = std::vector<std::string>;

TEST_CASE("launcher names round-trip and unknown ones are refused") {
    for (auto launcher : {Launcher::local, Launcher::srun, Launcher::mpirun}) {
        CHECK(launcher_from_string(to_string(launcher)) == launcher);
    }
    CHECK_THROWS_WITH(launcher_from_string("ssh"), Catch::Contains("'ssh'") && Catch::Contains("srun"));
    CHECK_FALSE(launches_remotely(Launcher::local));
    CHECK(launches_remotely(Launcher::srun));
}

TEST_CASE("the local launcher adds nothing") {
    CHECK(launch_prefix(Launcher::local, {"n1"}, {}, 3).empty());
}

TEST_CASE("srun: a step on exactly the slot's nodes, named after the trial, user arguments last") {
    CHECK(launch_prefix(Launcher::srun, {"n3", "n4"}, {}, 17) ==
          Argv{"srun", "--nodes=2", "--nodelist=n[3-4]", "--overlap", "--kill-on-bad-exit=1", "--job-name=hpo-17"});
    CHECK(launch_prefix(Launcher::srun, {"gpu01"}, {"--ntasks-per-node=4", "--cpu-bind=cores"}, 2) ==
          Argv{"srun", "--nodes=1", "--nodelist=gpu01", "--overlap", "--kill-on-bad-exit=1", "--job-name=hpo-2",
               "--ntasks-per-node=4", "--cpu-bind=cores"});
    CHECK(step_name(17) == "hpo-17");
    CHECK_THROWS_AS(launch_prefix(Launcher::srun, {}, {}, 1), std::invalid_argument);
}

TEST_CASE("mpirun: the slot's hosts, user arguments last") {
    CHECK(launch_prefix(Launcher::mpirun, {"n1", "n2"}, {"-n", "4"}, 5) == Argv{"mpirun", "--host", "n1,n2", "-n", "4"});
    CHECK_THROWS_AS(launch_prefix(Launcher::mpirun, {}, {}, 1), std::invalid_argument);
}

TEST_CASE("a remote launcher does not inherit the shape of hpo's own step or MPI process") {
    const std::map<std::string, std::string> inherited = {
        {"PATH", "/usr/bin"},
        {"SLURM_JOB_ID", "12"},
        {"SLURM_JOB_NODELIST", "n[1-4]"},
        {"SLURM_JOB_CPUS_PER_NODE", "2(x4)"},
        {"SLURM_NODELIST", "n[2-3]"},
        {"SLURM_TASKS_PER_NODE", "1(x2)"},
        {"SLURM_NTASKS", "8"},
        {"SLURM_NTASKS_PER_NODE", "2"},
        {"SLURM_NPROCS", "8"},
        {"SLURM_STEP_ID", "0"},
        {"SLURM_STEP_NODELIST", "n[2-3]"},
        {"SLURM_CPU_BIND", "quiet,none"},
        {"SLURM_CONF", "/etc/slurm.conf"},
        {"OMPI_COMM_WORLD_RANK", "3"},
        {"OMPI_MCA_orte_hnp_uri", "x"},
        {"OMPI_MCA_ess", "^singleton"},
        {"OMPI_MCA_btl", "self,tcp"},
        {"OMPI_ALLOW_RUN_AS_ROOT", "1"},
        {"PMIX_RANK", "3"},
        {"HPO_NODES", "n[1-2]"},
    };
    SECTION("local: untouched") {
        auto env = inherited;
        prepare_launch_environment(Launcher::local, env);
        CHECK(env == inherited);
    }
    SECTION("srun and mpirun") {
        for (auto launcher : {Launcher::srun, Launcher::mpirun}) {
            auto env = inherited;
            prepare_launch_environment(launcher, env);
            for (const char* gone : {"SLURM_NTASKS", "SLURM_NTASKS_PER_NODE", "SLURM_NPROCS", "SLURM_STEP_ID",
                                     "SLURM_STEP_NODELIST", "SLURM_CPU_BIND", "OMPI_COMM_WORLD_RANK",
                                     "OMPI_MCA_orte_hnp_uri", "OMPI_MCA_ess", "PMIX_RANK"}) {
                INFO(gone);
                CHECK(env.count(gone) == 0);
            }
            for (const char* kept : {"PATH", "SLURM_JOB_ID", "SLURM_CONF", "OMPI_MCA_btl", "OMPI_ALLOW_RUN_AS_ROOT",
                                     "HPO_NODES"}) {
                INFO(kept);
                CHECK(env.at(kept) == inherited.at(kept));
            }
            CHECK(env.at("SLURM_NODELIST") == "n[1-4]");
            CHECK(env.at("SLURM_TASKS_PER_NODE") == "2(x4)");
            CHECK(env.count("SLURM_OVERLAP") == (launcher == Launcher::mpirun ? 1u : 0u));
        }
    }
}

namespace {

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("hpo-launcher-test-" + std::to_string(::getpid()));
    TempDir() {
        fs::remove_all(path);
        fs::create_directories(path / "bin");
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string read_file(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("run_kernel starts the kernel through the launcher, with its nodes in the environment") {
    TempDir dir;
    // A stand-in mpirun: records its arguments, drops `--host H -n 2`, runs the rest.
    const fs::path fake = dir.path / "bin" / "mpirun";
    {
        std::ofstream script(fake);
        script << "#!/bin/sh\necho \"$@\" > launcher-argv\nshift 4\nexec \"$@\"\n";
    }
    fs::permissions(fake, fs::perms::owner_all);
    const std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
    ::setenv("PATH", ((dir.path / "bin").string() + ":" + old_path).c_str(), 1);

    KernelConfig config;
    config.command = {"/bin/sh", "-c", "echo \"FoM: 1.5\"; echo \"$HPO_NODES\" > nodes; cat \"$HPO_NODEFILE\" > nodefile-copy", "sh"};
    config.run_dir = (dir.path / "runs").string();
    config.launcher = Launcher::mpirun;
    config.launch_args = {"-n", "2"};
    KernelInvocation invocation;
    invocation.trial_id = 9;
    invocation.hyperparameter_args = {"--lr=0.1"};
    invocation.nodes = {"n3", "n4"};
    const KernelRun run = run_kernel(config, invocation);
    ::setenv("PATH", old_path.c_str(), 1);

    const fs::path trial = dir.path / "runs" / "9";
    INFO(run.outcome.message);
    CHECK(run.outcome.status == TrialStatus::ok);
    CHECK(run.outcome.fom == 1.5);
    CHECK(read_file(trial / "launcher-argv") == "--host n3,n4 -n 2 /bin/sh -c " + config.command[2] + " sh --lr=0.1\n");
    CHECK(read_file(trial / "nodes") == "n[3-4]\n");
    CHECK(read_file(trial / "nodefile") == "n3\nn4\n");
    CHECK(read_file(trial / "nodefile-copy") == "n3\nn4\n");
}

TEST_CASE("a remote launcher without nodes fails the trial, it does not throw") {
    TempDir dir;
    KernelConfig config;
    config.command = {"/bin/true"};
    config.run_dir = (dir.path / "runs").string();
    config.launcher = Launcher::srun;
    KernelInvocation invocation;
    invocation.trial_id = 1;
    const KernelRun run = run_kernel(config, invocation);
    CHECK(run.outcome.status == TrialStatus::failed);
    CHECK_THAT(run.outcome.message, Catch::Contains("no nodes"));
}
