// hpo::run end to end without MPI: real kernel processes, threads as workers, signals.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "hpo/run/run.hpp"
#include "hpo/space/parse.hpp"

namespace fs = std::filesystem;
using namespace hpo;

namespace {

// A kernel printing FoM = (x - 0.3)^2 + (n - 4)^2 after an optional sleep, and recording the
// start and end of its run so that overlap can be checked.
const char* const quadratic_kernel = R"(
x=0; n=0; s=0
for a in "$@"; do case "$a" in --x=*) x=${a#--x=};; --n=*) n=${a#--n=};; --sleep=*) s=${a#--sleep=};; esac; done
date +%s.%N > started
[ "$s" = 0 ] || sleep "$s"
date +%s.%N > ended
awk -v x="$x" -v n="$n" 'BEGIN { printf "FoM: %.12g\n", (x - 0.3) ^ 2 + (n - 4) ^ 2 }'
)";

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("hpo-local-run-" + std::to_string(::getpid()) + "-" +
                                                 std::to_string(std::rand()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

RunOptions quadratic_options(const fs::path& dir) {
    RunOptions options;
    options.space = parse_search_space({"--x 0.9 [0.0,1.0]", "--n 1 [0,8]"});
    options.kernel.command = {"sh", "-c", quadratic_kernel, "kernel"};
    options.kernel.run_dir = (dir / "runs").string();
    options.checkpoint_fn = (dir / "hpo.h5").string();
    options.progress = false;
    options.quiet = true;
    options.seed = 4;
    return options;
}

}  // namespace

TEST_CASE("a local genetic run evaluates its whole budget and improves on the default") {
    TempDir dir;
    RunOptions options = quadratic_options(dir.path);
    options.strategy = GeneticOptions{.generations = 4, .pop_size = 5, .num_demes = 2};
    options.parallel = 3;
    options.log_fn = (dir.path / "run.log").string();
    const RunResult result = run(options);

    REQUIRE(result.best);
    CHECK(result.best->fom <= 0.36 + 9.0);
    CHECK_FALSE(result.interrupted);
    CHECK(result.workers == 3);
    std::set<TrialId> ids;
    for (const auto& trial : result.trials) {
        ids.insert(trial.id);
        CHECK(trial.ok());
        CHECK(fs::exists(fs::path(options.kernel.run_dir) / std::to_string(trial.id) / "stdout"));
        CHECK(trial.values[1] == std::round(trial.values[1]));  // the integer stays an integer
    }
    CHECK(ids.size() == result.trials.size());
    std::ifstream log(options.log_fn);
    std::string text((std::istreambuf_iterator<char>(log)), {});
    CHECK(text.find("generation 3:") != std::string::npos);
    CHECK(text.find("best FoM:") != std::string::npos);
}

TEST_CASE("--parallel K runs K kernels at once") {
    TempDir dir;
    RunOptions options = quadratic_options(dir.path);
    options.space = parse_search_space({"--x 0.9 [0.0,1.0]", "--sleep {0.5}"});
    options.strategy = RandomOptions{.evals = 6};
    options.parallel = 3;
    const RunResult result = run(options);
    REQUIRE(result.trials.size() == 6);

    // Count the largest number of kernels whose [start, end] intervals overlap.
    std::vector<std::pair<double, int>> events;
    for (const auto& trial : result.trials) {
        const auto trial_dir = fs::path(options.kernel.run_dir) / std::to_string(trial.id);
        double start = 0, end = 0;
        std::ifstream(trial_dir / "started") >> start;
        std::ifstream(trial_dir / "ended") >> end;
        REQUIRE(end > start);
        events.emplace_back(start, +1);
        events.emplace_back(end, -1);
    }
    std::sort(events.begin(), events.end());
    int running = 0, most = 0;
    for (const auto& [time, delta] : events) most = std::max(most, running += delta);
    CHECK(most == 3);
}

TEST_CASE("SIGTERM stops a local run: running kernels end, finished trials are kept") {
    TempDir dir;
    RunOptions options = quadratic_options(dir.path);
    options.space = parse_search_space({"--x 0.9 [0.0,1.0]", "--sleep {0.3}"});
    options.strategy = RandomOptions{.evals = 1000};
    options.parallel = 2;
    std::thread killer([] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        std::raise(SIGTERM);
    });
    const auto started = std::chrono::steady_clock::now();
    const RunResult result = run(options);
    killer.join();
    CHECK(result.interrupted);
    CHECK(result.trials.size() >= 2);
    CHECK(result.trials.size() < 1000);
    for (const auto& trial : result.trials) CHECK(trial.ok());
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
}

TEST_CASE("finalize rejects an incomplete configuration") {
    RunOptions options;
    options.space = parse_search_space({"--x [0.0,1.0]"});
    CHECK_THROWS_WITH(finalize(options), Catch::Contains("command"));
    options.kernel.command = {"true"};
    options.space = {};
    CHECK_THROWS_WITH(finalize(options), Catch::Contains("param"));
    options.space = parse_search_space({"--x [0.0,1.0]"});
    options.kernel.timeout_seconds = -1;
    CHECK_THROWS_WITH(finalize(options), Catch::Contains("timeout"));
}

TEST_CASE("relative paths in the kernel command are anchored where hpo starts") {
    TempDir dir;
    const auto previous = fs::current_path();
    fs::current_path(dir.path);
    std::ofstream("train.sh") << "echo 'FoM: 2.5'\n";
    RunOptions options = quadratic_options(dir.path);
    // Only words holding a '/' are paths: the bare `train.sh` and `3` stay as they are.
    options.kernel.command = {"sh", "./train.sh", "--not-a-path", "missing.txt", "train.sh", "3"};
    std::ofstream("3") << "";
    const RunOptions finished = finalize(options);
    fs::current_path(previous);
    CHECK(finished.kernel.command[1] == (dir.path / "train.sh").string());
    CHECK(finished.kernel.command[2] == "--not-a-path");
    CHECK(finished.kernel.command[3] == "missing.txt");
    CHECK(finished.kernel.command[4] == "train.sh");
    CHECK(finished.kernel.command[5] == "3");

    options.kernel.command = finished.kernel.command;
    options.strategy = RandomOptions{.evals = 2};
    options.parallel = 1;
    const RunResult result = run(options);
    REQUIRE(result.best);
    CHECK(result.best->fom == 2.5);
}
