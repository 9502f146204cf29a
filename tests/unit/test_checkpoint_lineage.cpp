// Format version 3 (issue 15): each trial's parent (whose checkpoint directory it started from) and
// member (pbt) in the checkpoint, the checkpoint root and --keep-checkpoints in its configuration;
// older files load without them; the lineage of a trial (lineage_of); `hpo export`'s member and
// parent columns and `hpo show`'s lineage of the best, on checkpoints written through the library.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "hpo/store/lineage.hpp"
#include "hpo/store/trial_table.hpp"
#include "hpo/strategy/factory.hpp"
#include "test_checkpoint_support.hpp"

using namespace checkpoint_test;
using hpo::CheckpointWriter;
using hpo::load_checkpoint;
using hpo::Trial;
using hpo::TrialId;
using hpo::TrialStatus;

namespace {

// A trial of a one-parameter space (--lr): its round (generation), member, parent and FoM.
Trial trial(TrialId id, int round, int member, std::optional<TrialId> parent, double fom,
            TrialStatus status = TrialStatus::ok) {
    Trial t;
    t.id = id;
    t.generation = round;
    t.member = member;
    t.parent = parent;
    t.values = {0.01 * static_cast<double>(id + 1)};
    t.status = status;
    t.fom = fom;
    t.exit_code = status == TrialStatus::ok ? 0 : 1;
    t.start_time = 1000 + static_cast<double>(id);
    t.end_time = t.start_time + 1;
    t.host = "n1";
    return t;
}

// Two members, three rounds, in the order results arrived. Member 1 exploits member 0 after round
// 0 (trial 3 starts from trial 0's checkpoint); member 0's round 1 (trial 2) crashes, so its round
// 2 (trial 4) goes on from its last good checkpoint, trial 0's. Best: trial 5 (0.1), member 1,
// whose lineage is trials 0, 3, 5.
std::vector<Trial> pbt_trials() {
    return {trial(0, 0, 0, std::nullopt, 0.5),  trial(1, 0, 1, std::nullopt, 0.9),
            trial(3, 1, 1, TrialId{0}, 0.4),    trial(2, 1, 0, TrialId{0}, 0.3, TrialStatus::crashed),
            trial(4, 2, 0, TrialId{0}, 0.35),   trial(5, 2, 1, TrialId{3}, 0.1)};
}

hpo::RunOptions one_parameter_run(hpo::StrategyConfig strategy) {
    hpo::RunOptions o;
    o.space = hpo::SearchSpace({hpo::Parameter::float_range("--lr", 0.001, 1.0, true)});
    o.strategy = std::move(strategy);
    o.kernel.command = {"./train.sh", "--ckpt=@checkpoint"};
    o.kernel.checkpoint_root = "/runs/checkpoints";
    return o;
}

fs::path write_run(const TempDir& dir, const std::string& name, const hpo::RunOptions& options,
                   const std::vector<Trial>& trials) {
    const auto path = dir / name;
    auto writer = CheckpointWriter::create(path, options);
    writer.append(trials);
    writer.set_finished(true);
    writer.close();
    return path;
}

std::vector<TrialId> ids(const hpo::Lineage& lineage) {
    std::vector<TrialId> out;
    for (const Trial& t : lineage.trials) out.push_back(t.id);
    return out;
}

// The lines of `text` from the one that starts with `first` to the next that does not start with
// two spaces.
std::string section(const std::string& text, const std::string& first) {
    const std::size_t at = text.find(first);
    if (at == std::string::npos) return {};
    std::size_t end = text.find('\n', at);
    while (end != std::string::npos && text.compare(end + 1, 2, "  ") == 0) end = text.find('\n', end + 1);
    return text.substr(at, end == std::string::npos ? std::string::npos : end + 1 - at);
}

}  // namespace

TEST_CASE("parents and members round-trip: none, trial 0, large ids, any member") {
    TempDir dir;
    const auto options = one_parameter_run(hpo::RandomOptions{.evals = 10});
    std::vector<Trial> trials = pbt_trials();
    trials.push_back(trial(6, 3, 7, TrialId{0}, 0.2));                       // parent 0 is not none
    trials.push_back(trial(1ull << 40, 9, 123456, TrialId{(1ull << 40) - 1}, 0.6));
    const auto path = write_run(dir, "run.h5", options, trials);
    const auto c = load_checkpoint(path);
    CHECK(c.format_version == hpo::checkpoint_format_version);
    check_same_trials(c.trials, trials);
    CHECK_FALSE(c.trials[0].parent.has_value());
    CHECK(c.trials[6].parent == TrialId{0});
    CHECK(c.trials[7].member == 123456);
    // Appended in place by a resume with the same options, they go on round-tripping.
    {
        auto writer = CheckpointWriter::open_for_append(path);
        writer.append(trial(8, 4, 1, TrialId{5}, 0.05));
        writer.close();
    }
    trials.push_back(trial(8, 4, 1, TrialId{5}, 0.05));
    check_same_trials(load_checkpoint(path).trials, trials);
}

TEST_CASE("the checkpoint root and --keep-checkpoints are stored; a resume may change what it keeps") {
    TempDir dir;
    auto options = one_parameter_run(hpo::RandomOptions{.evals = 10});
    options.keep_checkpoints = hpo::KeepCheckpoints::all;
    const auto path = write_run(dir, "run.h5", options, {trial(0, 0, 0, std::nullopt, 0.5)});
    auto stored = load_checkpoint(path).options;
    CHECK(stored.kernel.checkpoint_root == "/runs/checkpoints");
    CHECK(stored.keep_checkpoints == hpo::KeepCheckpoints::all);

    stored.keep_checkpoints = hpo::KeepCheckpoints::live;
    CheckpointWriter::open_for_append(path, &stored).close();
    const auto resumed = load_checkpoint(path);
    CHECK(resumed.options.keep_checkpoints == hpo::KeepCheckpoints::live);
    CHECK(resumed.options.kernel.checkpoint_root == "/runs/checkpoints");
    CHECK(resumed.trials.size() == 1);
}

TEST_CASE("format 2 checkpoints load with no parents and member 0; continuing one makes it format 3") {
    // Written by the format 2 hpo (tests/fixtures): genetic, 2 demes, 10 trials of 2 steps each.
    TempDir dir;
    const auto path = dir / "old.h5";
    fs::copy_file(fs::path(HPO_TEST_FIXTURE_DIR) / "format2-genetic-before-lineage.h5", path);
    const auto old = load_checkpoint(path);
    CHECK(old.format_version == 2);
    REQUIRE(old.trials.size() == 10);
    for (const auto& t : old.trials) {
        CHECK_FALSE(t.parent.has_value());
        CHECK(t.member == 0);
        CHECK(t.steps == 2);  // what format 2 added is still read
    }
    CHECK(old.options.kernel.checkpoint_root.empty());
    CHECK(old.options.keep_checkpoints == hpo::KeepCheckpoints::live);

    auto next = trial(10, 2, 0, TrialId{8}, 0.05);
    next.values = old.trials.back().values;
    {
        auto writer = CheckpointWriter::open_for_append(path);
        writer.append(next);
        writer.close();
    }
    const auto now = load_checkpoint(path);
    CHECK(now.format_version == hpo::checkpoint_format_version);
    auto expected = old.trials;
    expected.push_back(next);
    check_same_trials(now.trials, expected);
    CHECK(now.strategy_state == old.strategy_state);
    check_same_options(now.options, old.options);
}

TEST_CASE("a trial's lineage follows its parents back to a trial without one") {
    const auto trials = pbt_trials();
    CHECK(ids(hpo::lineage_of(trials, 5)) == std::vector<TrialId>{0, 3, 5});
    CHECK(ids(hpo::lineage_of(trials, 4)) == std::vector<TrialId>{0, 4});
    CHECK(ids(hpo::lineage_of(trials, 1)) == std::vector<TrialId>{1});
    CHECK_FALSE(hpo::lineage_of(trials, 5).missing_parent);
    CHECK(hpo::lineage_of(trials, 5).trials.back() == trials[5]);
    CHECK_THROWS_AS(hpo::lineage_of(trials, 99), std::invalid_argument);

    // A parent the table does not hold cuts the chain, and says where.
    auto cut = trials;
    cut.erase(cut.begin());  // trial 0
    const auto from_3 = hpo::lineage_of(cut, 5);
    CHECK(ids(from_3) == std::vector<TrialId>{3, 5});
    CHECK(from_3.missing_parent == TrialId{0});
    // Parents in a loop (only a damaged file holds one) end too.
    auto loop = trials;
    loop[0].parent = 5;
    const auto looped = hpo::lineage_of(loop, 5);
    CHECK(ids(looped) == std::vector<TrialId>{0, 3, 5});
    CHECK(looped.missing_parent == TrialId{5});
}

TEST_CASE("the trial table has member and parent after generation, none for no parent") {
    const auto options = one_parameter_run(hpo::RandomOptions{});
    const auto table = hpo::make_trial_table(options.space, pbt_trials());
    REQUIRE(table.columns.size() > 5);
    CHECK(std::vector<std::string>(table.columns.begin(), table.columns.begin() + 8) ==
          std::vector<std::string>{"id", "deme", "generation", "member", "parent", "repeat_of", "repeat", "--lr"});
    CHECK(table.rows[0][4].kind == hpo::Cell::Kind::none);   // trial 0
    CHECK(table.rows[3][3].text == "1");                    // trial 3: member 1
    CHECK(table.rows[3][4].kind == hpo::Cell::Kind::integer);
    CHECK(table.rows[3][4].text == "0");                    // its parent, trial 0
    // A flag called like the new columns keeps its own column.
    const hpo::SearchSpace clash({hpo::Parameter::int_range("member", 0, 3), hpo::Parameter::int_range("parent", 0, 3)});
    const auto clashing = hpo::make_trial_table(clash, {});
    CHECK(std::count(clashing.columns.begin(), clashing.columns.end(), "param:member") == 1);
    CHECK(std::count(clashing.columns.begin(), clashing.columns.end(), "param:parent") == 1);
}

TEST_CASE("hpo export writes member and parent: empty in CSV, null in JSON for no parent") {
    const auto bin = hpo_bin();
    if (!bin) {
        WARN("HPO_BIN is not set (run through ctest); skipped");
        return;
    }
    TempDir dir;
    const auto path = write_run(dir, "run.h5", one_parameter_run(hpo::RandomOptions{.evals = 6}), pbt_trials());
    const auto csv = run_command(shell_quote(*bin) + " export " + shell_quote(path.string()) + " --format csv");
    INFO(csv.output);
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.output.substr(0, csv.output.find('\n')) ==
          "id,deme,generation,member,parent,repeat_of,repeat,--lr,fom,steps,status,exit_code,signal,start_time,end_time,"
          "host,worker,message,confirm_rank,confirm_mean,confirm_std,confirm_min,confirm_max,confirm_runs,confirm_failed");
    CHECK_THAT(csv.output, Catch::Contains("\n0,0,0,0,,,0,0.01,0.5,0,ok,0,0,1000,1001,n1,0,,,,,,,,\n"));
    CHECK_THAT(csv.output, Catch::Contains("\n5,0,2,1,3,,0,0.06,0.1,0,ok,0,0,1005,1006,n1,0,,,,,,,,\n"));

    const auto json = run_command(shell_quote(*bin) + " export " + shell_quote(path.string()) + " --format json");
    REQUIRE(json.exit_code == 0);
    CHECK_THAT(json.output, Catch::StartsWith("[\n {\"id\": 0, \"deme\": 0, \"generation\": 0, \"member\": 0, "
                                              "\"parent\": null, \"repeat_of\": null, \"repeat\": 0, \"--lr\": 0.01,"));
    CHECK_THAT(json.output, Catch::Contains("{\"id\": 5, \"deme\": 0, \"generation\": 2, \"member\": 1, "
                                            "\"parent\": 3, \"repeat_of\": null, \"repeat\": 0, \"--lr\": 0.06,"));
}

TEST_CASE("hpo show prints the best genetic trial's lineage, generation by generation") {
    const auto bin = hpo_bin();
    if (!bin) {
        WARN("HPO_BIN is not set (run through ctest); skipped");
        return;
    }
    TempDir dir;
    auto options = one_parameter_run(hpo::GeneticOptions{.generations = 3, .pop_size = 2});
    options.keep_checkpoints = hpo::KeepCheckpoints::all;
    const auto path = write_run(dir, "genetic.h5", options, pbt_trials());
    const auto shown = run_command(shell_quote(*bin) + " show " + shell_quote(path.string()));
    INFO(shown.output);
    REQUIRE(shown.exit_code == 0);
    CHECK(section(shown.output, "Lineage of the best trial") ==
          "Lineage of the best trial (trial 5): generation by generation\n"
          "  generation 0: trial 0, FoM 0.5, --lr=0.01\n"
          "  generation 1: trial 3, FoM 0.4, --lr=0.04\n"
          "  generation 2: trial 5, FoM 0.1, --lr=0.06\n");
    CHECK_THAT(shown.output, !Catch::Contains("Schedule"));
    CHECK_THAT(shown.output, Catch::Contains("\n  checkpoint directories: /runs/checkpoints/<trial id> (keep all)\n"));
    CHECK_THAT(shown.output, Catch::Contains("(format version " + std::to_string(hpo::checkpoint_format_version) + ")"));

    // A best trial that started from an empty directory has no lineage to show.
    auto first_best = pbt_trials();
    first_best[0].fom = 0.01;
    const auto plain = write_run(dir, "plain.h5", options, first_best);
    const auto plain_shown = run_command(shell_quote(*bin) + " show " + shell_quote(plain.string()));
    REQUIRE(plain_shown.exit_code == 0);
    CHECK_THAT(plain_shown.output, !Catch::Contains("Lineage") && !Catch::Contains("Schedule"));
}

TEST_CASE("hpo show prints the best pbt member's schedule, round by round") {
    const auto bin = hpo_bin();
    if (!bin) {
        WARN("HPO_BIN is not set (run through ctest); skipped");
        return;
    }
    const hpo::StrategyConfig pbt = hpo::strategy_config_from_name("pbt");
    TempDir dir;
    // Member 1's best round descends from member 0's round 0 (an exploit).
    const auto path = write_run(dir, "pbt.h5", one_parameter_run(pbt), pbt_trials());
    const auto shown = run_command(shell_quote(*bin) + " show " + shell_quote(path.string()));
    INFO(shown.output);
    REQUIRE(shown.exit_code == 0);
    CHECK(section(shown.output, "Schedule of the best member") ==
          "Schedule of the best member (member 1): round by round\n"
          "  round 0: trial 0, member 0, FoM 0.5, --lr=0.01\n"
          "  round 1: trial 3, member 1, FoM 0.4, --lr=0.04\n"
          "  round 2: trial 5, member 1, FoM 0.1, --lr=0.06\n");

    // The rounds are the best model's: member 0's round 2 (trial 4) went on from its round 0 (its
    // round 1 crashed), so its model trained two rounds.
    auto trials = pbt_trials();
    trials[4].fom = 0.01;
    const auto crashed = write_run(dir, "crashed.h5", one_parameter_run(pbt), trials);
    const auto shown_crashed = run_command(shell_quote(*bin) + " show " + shell_quote(crashed.string()));
    INFO(shown_crashed.output);
    REQUIRE(shown_crashed.exit_code == 0);
    CHECK(section(shown_crashed.output, "Schedule of the best member") ==
          "Schedule of the best member (member 0): round by round\n"
          "  round 0: trial 0, member 0, FoM 0.5, --lr=0.01\n"
          "  round 1: trial 4, member 0, FoM 0.01, --lr=0.05\n");
}
