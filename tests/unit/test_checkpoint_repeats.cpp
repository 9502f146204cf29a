// Checkpoint format 4 (confirmation, --confirm-top): each trial's repeat_of and repeat, and the
// confirmation options in /config/confirm, round-trip; older files load as originals only with no
// confirmation, and continuing one makes it format 4; the trial table's repeat and confirm_* columns.
#include <catch2/catch.hpp>

#include "hpo/store/trial_table.hpp"
#include "test_checkpoint_support.hpp"

using namespace checkpoint_test;
using hpo::CheckpointWriter;
using hpo::load_checkpoint;
using hpo::Trial;
using hpo::TrialId;

namespace {

// Originals 0..5 of sample_trials, then repeats: 6 and 7 of trial 0, 8 of 3, large ids.
std::vector<Trial> with_repeats() {
    std::vector<Trial> trials = sample_trials(0, 6);
    for (auto [id, of, repeat] : {std::tuple<TrialId, TrialId, int>{6, 0, 1}, {7, 0, 2}, {8, 3, 1},
                                  {(1ull << 40) + 1, 1ull << 40, 123456}}) {
        Trial t = sample_trial(id);
        t.repeat_of = of;
        t.repeat = repeat;
        trials.push_back(t);
    }
    return trials;
}

}  // namespace

TEST_CASE("repeat_of, repeat and the confirmation options round-trip") {
    TempDir dir;
    hpo::RunOptions options = sample_options();
    options.confirm = {.confirm_top = 4, .confirm_repeats = 3};
    const std::vector<Trial> trials = with_repeats();
    const auto path = dir / "run.h5";
    {
        auto writer = CheckpointWriter::create(path, options);
        writer.append(trials);
        writer.close();
    }
    const auto c = load_checkpoint(path);
    CHECK(c.format_version == 4);
    check_same_trials(c.trials, trials);
    CHECK_FALSE(c.trials[0].repeat_of.has_value());
    CHECK(c.trials[0].repeat == 0);
    CHECK(c.trials[6].repeat_of == TrialId{0});  // repeat_of 0 is not none
    CHECK(c.trials[9].repeat == 123456);
    CHECK(c.options.confirm == options.confirm);
    check_same_options(c.options, options);
}

TEST_CASE("older checkpoints load as originals without confirmation; continuing one makes it format 4") {
    for (const char* fixture : {"format1-genetic-before-option-tables.h5", "format2-genetic-before-lineage.h5"}) {
        INFO(fixture);
        TempDir dir;
        const auto path = dir / "old.h5";
        fs::copy_file(fs::path(HPO_TEST_FIXTURE_DIR) / fixture, path);
        const auto old = load_checkpoint(path);
        CHECK(old.format_version < 4);
        REQUIRE_FALSE(old.trials.empty());
        for (const auto& t : old.trials) {
            CHECK_FALSE(t.repeat_of.has_value());
            CHECK(t.repeat == 0);
        }
        CHECK_FALSE(old.options.confirm.enabled());
        CHECK(old.options.confirm == hpo::ConfirmOptions{});

        Trial repeat = old.trials.front();
        repeat.id = 1000;
        repeat.repeat_of = old.trials.front().id;
        repeat.repeat = 1;
        {
            auto writer = CheckpointWriter::open_for_append(path);
            writer.append(repeat);
            writer.close();
        }
        const auto now = load_checkpoint(path);
        CHECK(now.format_version == 4);
        auto expected = old.trials;
        expected.push_back(repeat);
        check_same_trials(now.trials, expected);
    }
}

TEST_CASE("the trial table: repeat_of and repeat after parent, the confirmed ranking at the end") {
    hpo::SearchSpace space({hpo::Parameter::float_range("--x", 0.0, 1.0)});
    auto trial = [](TrialId id, double fom, std::optional<TrialId> of = {}, int repeat = 0) {
        Trial t;
        t.id = id;
        t.values = {0.5};
        t.fom = fom;
        t.repeat_of = of;
        t.repeat = repeat;
        return t;
    };
    // Trial 1 is the lucky single run; trial 0 is the best on average.
    const std::vector<Trial> trials = {trial(0, 0.3), trial(1, 0.1), trial(2, 0.9), trial(3, 0.3, 0, 1),
                                       trial(4, 0.9, 1, 1)};
    const hpo::TrialTable table = hpo::make_trial_table(space, trials, false);
    const std::vector<std::string> columns = {
        "id", "deme", "generation", "member", "parent", "repeat_of", "repeat", "--x", "fom", "steps", "status",
        "exit_code", "signal", "start_time", "end_time", "host", "worker", "message", "confirm_rank",
        "confirm_mean", "confirm_std", "confirm_min", "confirm_max", "confirm_runs", "confirm_failed"};
    REQUIRE(table.columns == columns);
    auto cell = [&](std::size_t row, const std::string& column) {
        return table.rows.at(row).at(static_cast<std::size_t>(std::find(columns.begin(), columns.end(), column) - columns.begin()));
    };
    CHECK(cell(0, "repeat_of").kind == hpo::Cell::Kind::none);
    CHECK(cell(3, "repeat_of").text == "0");
    CHECK(cell(3, "repeat").text == "1");
    CHECK(cell(0, "confirm_rank").text == "1");
    CHECK(cell(0, "confirm_mean").number == Approx(0.3));
    CHECK(cell(0, "confirm_std").number == 0);
    CHECK(cell(0, "confirm_runs").text == "2");
    CHECK(cell(1, "confirm_rank").text == "2");
    CHECK(cell(1, "confirm_mean").number == Approx(0.5));
    CHECK(cell(1, "confirm_max").number == 0.9);
    for (std::size_t row : {2u, 3u, 4u}) CHECK(cell(row, "confirm_rank").kind == hpo::Cell::Kind::none);
    // Maximizing, trial 1 (mean 0.5) ranks first.
    const hpo::TrialTable maximized = hpo::make_trial_table(space, trials, true);
    CHECK(maximized.rows[1][18].text == "1");
}
