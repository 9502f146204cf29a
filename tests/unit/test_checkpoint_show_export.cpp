// `hpo show` and `hpo export` on checkpoints of pruned runs, written through the library
// (CheckpointWriter) with known trials and intermediate values: the pruned count, the kernel time
// pruning saved, the steps column, `export --intermediate` in CSV and JSON to the byte.
#include <catch2/catch.hpp>

#include "test_checkpoint_support.hpp"

using namespace checkpoint_test;
using hpo::CheckpointWriter;
using hpo::IntermediateValue;
using hpo::TrialStatus;

namespace {

hpo::RunOptions pruned_run_options(int max_steps) {
    hpo::RunOptions o;
    o.space = hpo::SearchSpace({hpo::Parameter::float_range("--x", 0.0, 1.0)});
    o.strategy = hpo::RandomOptions{.evals = 7};
    o.kernel.command = {"./train.sh"};
    o.prune.prune = hpo::PruneRule::asha;
    o.prune.max_steps = max_steps;
    return o;
}

hpo::Trial trial(hpo::TrialId id, TrialStatus status, double fom, int steps, double seconds) {
    hpo::Trial t;
    t.id = id;
    t.values = {static_cast<double>(id) / 10};
    t.status = status;
    t.fom = fom;
    t.steps = steps;
    t.exit_code = status == TrialStatus::ok ? 0 : -1;
    t.signal = status == TrialStatus::pruned ? 15 : 0;
    t.start_time = 1000;
    t.end_time = 1000 + seconds;
    t.host = "node1";
    return t;
}

// Three completed trials (27, 27 and 9 steps: median 27), three pruned at steps 1, 3 and 9 after
// 2, 6 and 18 seconds, one failed. Saved, to 27 steps each: 2 x 26 + 6 x 8 + 18 x 2 = 136 s; to
// 30 steps: 2 x 29 + 6 x 9 + 18 x 7/3 = 154 s.
std::vector<hpo::Trial> pruned_run_trials() {
    return {trial(0, TrialStatus::ok, 0.5, 27, 54),       trial(1, TrialStatus::ok, 0.25, 27, 54),
            trial(3, TrialStatus::pruned, 0.9, 1, 2),     trial(2, TrialStatus::ok, 0.75, 9, 18),
            trial(4, TrialStatus::pruned, 0.8, 3, 6),     trial(5, TrialStatus::pruned, 0.7, 9, 18),
            trial(6, TrialStatus::failed, std::numeric_limits<double>::quiet_NaN(), 0, 1)};
}

// In the coordinator's order; trial 4 ran twice (its first attempt's step 1 and 3 are dropped).
std::vector<IntermediateValue> pruned_run_values() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {{0, 1, 0.9, 1001, 0},     {4, 1, 0.95, 1001.5, 0}, {3, 1, 0.9, 1002, 0},  {4, 3, 0.85, 1003, 0},
            {0, 3, 0.625, 1003.25, 1}, {4, 1, 0.8, 1004, 1},   {4, 3, nan, 1006, 1},  {0, 9, 0.5, 1009, 2}};
}

fs::path write_pruned_run(const TempDir& dir, int max_steps) {
    const auto path = dir / ("pruned-" + std::to_string(max_steps) + ".h5");
    auto writer = CheckpointWriter::create(path, pruned_run_options(max_steps));
    writer.append(pruned_run_trials());
    writer.append_intermediate(pruned_run_values());
    writer.set_finished(true);
    writer.close();
    return path;
}

std::string line_with(const std::string& text, const std::string& start) {
    std::size_t at = text.find("\n" + start);
    if (at == std::string::npos) return text.rfind(start, 0) == 0 ? text.substr(0, text.find('\n')) : "";
    ++at;
    return text.substr(at, text.find('\n', at) - at);
}

}  // namespace

TEST_CASE("hpo show counts pruned trials and the kernel time they saved, estimated without --max-steps") {
    const auto bin = hpo_bin();
    if (!bin) {
        WARN("HPO_BIN is not set (run through ctest); skipped");
        return;
    }
    TempDir dir;
    const auto path = write_pruned_run(dir, 0);
    const auto shown = run_command(shell_quote(*bin) + " show " + shell_quote(path.string()));
    INFO(shown.output);
    REQUIRE(shown.exit_code == 0);
    CHECK(line_with(shown.output, "trials: ") == "trials: 7 (3 ok, 1 failed, 3 pruned)");
    CHECK(line_with(shown.output, "pruned: ") ==
          "pruned: 3 trials stopped early, about 136 kernel-seconds saved (estimated: as if run to 27 steps each, "
          "the median of the trials that completed)");
    CHECK(line_with(shown.output, "best trial: ") == "best trial: 1");  // pruned 0.9... never the best
    CHECK_THAT(shown.output, Catch::Contains("(format version " + std::to_string(hpo::checkpoint_format_version) + ")"));
}

TEST_CASE("hpo show computes the saved time to --max-steps when the run gave it") {
    const auto bin = hpo_bin();
    if (!bin) {
        WARN("HPO_BIN is not set (run through ctest); skipped");
        return;
    }
    TempDir dir;
    const auto path = write_pruned_run(dir, 30);
    if (hpo::load_checkpoint(path).options.prune.max_steps != 30) {
        WARN("this build's checkpoint does not store --max-steps (src/store/config_io.cpp); skipped");
        return;
    }
    const auto shown = run_command(shell_quote(*bin) + " show " + shell_quote(path.string()));
    INFO(shown.output);
    REQUIRE(shown.exit_code == 0);
    CHECK(line_with(shown.output, "pruned: ") ==
          "pruned: 3 trials stopped early, 154 kernel-seconds saved (as if run to 30 steps each, --max-steps)");
    CHECK_THAT(line_with(shown.output, "  pruning: "), Catch::StartsWith("  pruning: --prune asha --max-steps 30 "));
}

TEST_CASE("hpo show says nothing of pruning for a run without pruned trials") {
    const auto bin = hpo_bin();
    if (!bin) {
        WARN("HPO_BIN is not set (run through ctest); skipped");
        return;
    }
    TempDir dir;
    const auto path = dir / "plain.h5";
    {
        auto options = pruned_run_options(0);
        options.prune.prune = hpo::PruneRule::none;
        auto writer = CheckpointWriter::create(path, options);
        auto trials = pruned_run_trials();
        std::erase_if(trials, [](const hpo::Trial& t) { return t.status == TrialStatus::pruned; });
        writer.append(trials);
        writer.close();
    }
    const auto shown = run_command(shell_quote(*bin) + " show " + shell_quote(path.string()));
    INFO(shown.output);
    REQUIRE(shown.exit_code == 0);
    CHECK_THAT(shown.output, !Catch::Contains("pruned"));
    CHECK(line_with(shown.output, "  pruning: ") == "  pruning: none");
}

TEST_CASE("hpo show of pruned trials with no completed trial and no --max-steps: the saving is unknown") {
    const auto bin = hpo_bin();
    if (!bin) {
        WARN("HPO_BIN is not set (run through ctest); skipped");
        return;
    }
    TempDir dir;
    const auto path = dir / "all-pruned.h5";
    {
        auto writer = CheckpointWriter::create(path, pruned_run_options(0));
        writer.append(trial(0, TrialStatus::pruned, 0.5, 2, 4));
        writer.close();
    }
    const auto shown = run_command(shell_quote(*bin) + " show " + shell_quote(path.string()));
    INFO(shown.output);
    REQUIRE(shown.exit_code == 0);
    CHECK(line_with(shown.output, "pruned: ") ==
          "pruned: 1 trial stopped early (the kernel time saved is unknown: no --max-steps, and no trial "
          "completed to compare)");
}

TEST_CASE("hpo export has the steps column and --intermediate writes each trial's last attempt") {
    const auto bin = hpo_bin();
    if (!bin) {
        WARN("HPO_BIN is not set (run through ctest); skipped");
        return;
    }
    TempDir dir;
    const auto path = write_pruned_run(dir, 0);
    const std::string file = shell_quote(path.string());

    const auto trials = run_command(shell_quote(*bin) + " export " + file + " --format csv");
    INFO(trials.output);
    REQUIRE(trials.exit_code == 0);
    CHECK(line_with(trials.output, "id,") ==
          "id,deme,generation,member,parent,repeat_of,repeat,--x,fom,steps,status,exit_code,signal,start_time,end_time,"
          "host,worker,message,confirm_rank,confirm_mean,confirm_std,confirm_min,confirm_max,confirm_runs,confirm_failed");
    CHECK(line_with(trials.output, "4,") == "4,0,0,0,,,0,0.4,0.8,3,pruned,-1,15,1000,1006,node1,0,,,,,,,,");

    const auto csv = run_command(shell_quote(*bin) + " export " + file + " --intermediate --format csv");
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.output ==
          "trial,step,value,time\n"
          "0,1,0.9,1001\n"
          "0,3,0.625,1003.25\n"
          "0,9,0.5,1009\n"
          "3,1,0.9,1002\n"
          "4,1,0.8,1004\n"
          "4,3,nan,1006\n");

    const auto out = dir / "values.json";
    const auto json = run_command(shell_quote(*bin) + " export " + file + " --intermediate -o " +
                                  shell_quote(out.string()));
    INFO(json.output);
    REQUIRE(json.exit_code == 0);
    CHECK(file_bytes(out) ==
          "[\n"
          " {\"trial\": 0, \"step\": 1, \"value\": 0.9, \"time\": 1001},\n"
          " {\"trial\": 0, \"step\": 3, \"value\": 0.625, \"time\": 1003.25},\n"
          " {\"trial\": 0, \"step\": 9, \"value\": 0.5, \"time\": 1009},\n"
          " {\"trial\": 3, \"step\": 1, \"value\": 0.9, \"time\": 1002},\n"
          " {\"trial\": 4, \"step\": 1, \"value\": 0.8, \"time\": 1004},\n"
          " {\"trial\": 4, \"step\": 3, \"value\": null, \"time\": 1006}\n"
          "]\n");
}

TEST_CASE("hpo export --intermediate of a format 1 checkpoint writes no rows") {
    const auto bin = hpo_bin();
    if (!bin) {
        WARN("HPO_BIN is not set (run through ctest); skipped");
        return;
    }
    const std::string file =
        shell_quote((fs::path(HPO_TEST_FIXTURE_DIR) / "format1-genetic-before-option-tables.h5").string());
    const auto csv = run_command(shell_quote(*bin) + " export " + file + " --intermediate --format csv");
    CHECK(csv.exit_code == 0);
    CHECK(csv.output == "trial,step,value,time\n");
    const auto json = run_command(shell_quote(*bin) + " export " + file + " --intermediate --format json");
    CHECK(json.exit_code == 0);
    CHECK(json.output == "[]\n");
    const auto shown = run_command(shell_quote(*bin) + " show " + file);
    CHECK(shown.exit_code == 0);
    CHECK_THAT(shown.output, Catch::Contains("(format version 1)") && !Catch::Contains("pruned"));
}
