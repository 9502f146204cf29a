// Format version 2 (issue 14, pruning): pruned trials with their steps and the intermediate values
// round-trip through real files, commit with the trials (also across a kill), come back from a
// resume's rewrite; each trial's last attempt for readers; format 1 files load and are upgraded;
// the checkpoint recorder commits the values the coordinator hands it.
#include <catch2/catch.hpp>

#include <limits>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "../../src/run/checkpoint_recorder.hpp"
#include "hpo/store/intermediate_values.hpp"
#include "hpo/store/trial_table.hpp"
#include "hpo/strategy/factory.hpp"
#include "test_checkpoint_support.hpp"

using namespace checkpoint_test;
using hpo::CheckpointWriter;
using hpo::IntermediateValue;
using hpo::load_checkpoint;

namespace {

std::vector<IntermediateValue> concat(std::vector<IntermediateValue> a, const std::vector<IntermediateValue>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// A format 1 file forged from a format 2 one by h5py (checkpoint_h5py_check.py forge format-1),
// holding `trials` (none pruned); nullopt without h5py.
std::optional<fs::path> forged_format_1(const TempDir& dir, const std::vector<hpo::Trial>& trials) {
    const auto python = h5py_python();
    if (!python) return std::nullopt;
    {
        auto writer = CheckpointWriter::create(dir / "v2.h5", sample_options());
        writer.append(trials);
        writer.append_intermediate(sample_intermediate(0, 6));
        writer.set_strategy_state("state");
        writer.close();
    }
    const auto forged = run_command(shell_quote(*python) + " " + shell_quote(h5py_script()) + " forge " +
                                    shell_quote((dir / "v2.h5").string()) + " " + shell_quote(dir.path().string()) +
                                    " format-1");
    INFO(forged.output);
    REQUIRE(forged.exit_code == 0);
    return dir / "format-1.h5";
}

std::vector<hpo::Trial> without_pruned(std::vector<hpo::Trial> trials) {
    std::erase_if(trials, [](const hpo::Trial& t) { return t.status == hpo::TrialStatus::pruned; });
    return trials;
}

std::vector<hpo::Trial> with_steps(std::vector<hpo::Trial> trials, int steps) {
    for (auto& t : trials) t.steps = steps;
    return trials;
}

// As a format 1 file holds them: no parents, member 0 (format 3 added both).
// What format 3 and 4 added (parents, members, repeats): a format 1 file has none.
std::vector<hpo::Trial> without_lineage(std::vector<hpo::Trial> trials) {
    for (auto& t : trials) {
        t.parent.reset();
        t.member = 0;
        t.repeat_of.reset();
        t.repeat = 0;
    }
    return trials;
}

}  // namespace

TEST_CASE("pruned trials, their steps and the intermediate values round-trip in append order") {
    TempDir dir;
    const auto path = dir / "run.h5";
    const auto trials = sample_trials(0, 40);
    REQUIRE(std::count_if(trials.begin(), trials.end(), [](const hpo::Trial& t) {
                return t.status == hpo::TrialStatus::pruned;
            }) == 5);
    const auto values = sample_intermediate(0, 3000);  // several chunks of every column
    {
        auto writer = CheckpointWriter::create(path, sample_options());
        writer.append_intermediate(std::span(values).first(1000));
        CHECK(writer.staged_intermediate_count() == 1000);
        CHECK(load_checkpoint(path).intermediate.empty());  // staged only
        writer.flush();
        CHECK(writer.staged_intermediate_count() == 0);
        check_same_intermediate(load_checkpoint(path).intermediate, std::vector(values.begin(), values.begin() + 1000));
        const auto sequence = writer.commit_sequence();
        writer.flush();  // nothing staged: no commit
        CHECK(writer.commit_sequence() == sequence);
        writer.append(std::span(trials).first(20));
        writer.append_intermediate(std::span(values).subspan(1000, 1));
        writer.flush();
        writer.append(std::span(trials).subspan(20));
        writer.append_intermediate(std::span(values).subspan(1001));
        CHECK(writer.intermediate_count() == 3000);
        writer.close();
    }
    const auto c = load_checkpoint(path);
    CHECK(c.format_version == hpo::checkpoint_format_version);
    check_same_trials(c.trials, trials);
    check_same_intermediate(c.intermediate, values);
}

TEST_CASE("intermediate values continue in place after a clean close, and survive a resume's rewrite") {
    TempDir dir;
    const auto path = dir / "run.h5";
    auto all = sample_intermediate(0, 30);
    {
        auto writer = CheckpointWriter::create(path, sample_options());
        writer.append(sample_trials(0, 5));
        writer.append_intermediate(all);
        writer.close();
    }
    const auto inode = [&] {
        struct stat st {};
        ::stat(path.c_str(), &st);
        return st.st_ino;
    };
    const auto first_inode = inode();
    {
        auto writer = CheckpointWriter::open_for_append(path);  // same options: continued in place
        CHECK(inode() == first_inode);
        CHECK(writer.intermediate_count() == 30);
        const auto more = sample_intermediate(10, 12);
        writer.append_intermediate(more);
        all = concat(all, more);
        writer.close();
    }
    check_same_intermediate(load_checkpoint(path).intermediate, all);
    auto options = sample_options();
    options.checkpoint_interval = 99;  // a new configuration: the file is rewritten
    {
        auto writer = CheckpointWriter::open_for_append(path, &options);
        CHECK(inode() != first_inode);
        CHECK(writer.intermediate_count() == 42);
        writer.close();
    }
    const auto c = load_checkpoint(path);
    CHECK(c.options.checkpoint_interval == 99);
    check_same_intermediate(c.intermediate, all);
    check_same_trials(c.trials, sample_trials(0, 5));
}

TEST_CASE("a killed writer's last commit holds the intermediate values committed with it, not the staged ones") {
    TempDir dir;
    const auto path = dir / "run.h5";
    CheckpointWriter::create(path, sample_options()).close();
    const auto committed = sample_intermediate(0, 50);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // never returns into the test runner
        ::close(fds[0]);
        try {
            auto writer = CheckpointWriter::open_for_append(path);
            writer.append(sample_trials(0, 10));
            writer.append_intermediate(std::span(committed).first(20));
            writer.flush();
            writer.append_intermediate(std::span(committed).subspan(20));  // values alone make a commit
            writer.flush();
            writer.append(sample_trials(10, 5));
            writer.append_intermediate(sample_intermediate(50, 9));  // staged, never committed
            const char ready = 1;
            if (::write(fds[1], &ready, 1) != 1) ::_exit(4);
            ::pause();
        } catch (...) {
        }
        ::_exit(3);
    }
    ::close(fds[1]);
    char ready = 0;
    REQUIRE(::read(fds[0], &ready, 1) == 1);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ::close(fds[0]);

    const auto c = load_checkpoint(path);
    check_same_trials(c.trials, sample_trials(0, 10));
    check_same_intermediate(c.intermediate, committed);
    // A resume rewrites the dead writer's file from its last commit, the values included.
    auto writer = CheckpointWriter::open_for_append(path);
    CHECK(writer.intermediate_count() == 50);
    writer.append_intermediate(sample_intermediate(50, 3));
    writer.close();
    check_same_intermediate(load_checkpoint(path).intermediate, concat(committed, sample_intermediate(50, 3)));
}

TEST_CASE("format 1 checkpoints load with 0 steps and no intermediate values; continuing one makes it format 2") {
    // Files the format 1 writer wrote (tests/fixtures), one of each strategy that keeps a state.
    for (const char* name : {"format1-genetic-before-option-tables.h5", "format1-bayes-before-option-tables.h5"}) {
        INFO(name);
        TempDir dir;
        const auto path = dir / "old.h5";
        fs::copy_file(fs::path(HPO_TEST_FIXTURE_DIR) / name, path);
        const auto old = load_checkpoint(path);
        CHECK(old.format_version == 1);
        REQUIRE_FALSE(old.trials.empty());
        for (const auto& t : old.trials) CHECK(t.steps == 0);
        CHECK(old.intermediate.empty());

        auto next = sample_trial(1000);
        next.values = old.trials.back().values;
        next.status = hpo::TrialStatus::pruned;
        next.steps = 3;
        {
            auto writer = CheckpointWriter::open_for_append(path);
            writer.append(next);
            writer.append_intermediate(IntermediateValue{1000, 3, 0.75, 1.8e9, 12});
            writer.close();
        }
        const auto now = load_checkpoint(path);
        CHECK(now.format_version == hpo::checkpoint_format_version);
        auto expected = old.trials;
        expected.push_back(next);
        check_same_trials(now.trials, expected);
        check_same_intermediate(now.intermediate, {IntermediateValue{1000, 3, 0.75, 1.8e9, 12}});
        CHECK(now.strategy_state == old.strategy_state);
        CHECK(now.finished == old.finished);
    }

    // And one forged by h5py from a format 2 file, as format 1 laid it out.
    TempDir dir;
    const auto trials = without_pruned(sample_trials(0, 30));
    const auto forged = forged_format_1(dir, trials);
    if (!forged) {
        WARN("no python3 with h5py (Debian: python3-h5py) to forge a format 1 file; skipped");
        return;
    }
    const auto c = load_checkpoint(*forged);
    CHECK(c.format_version == 1);
    check_same_trials(c.trials, with_steps(without_lineage(trials), 0));
    CHECK(c.intermediate.empty());
    CHECK(c.strategy_state == "state");
    CheckpointWriter::open_for_append(*forged).close();
    CHECK(load_checkpoint(*forged).format_version == hpo::checkpoint_format_version);
    check_same_trials(load_checkpoint(*forged).trials, with_steps(without_lineage(trials), 0));
}

TEST_CASE("readers keep each trial's last attempt: a new attempt starts where the step does not increase") {
    using V = IntermediateValue;
    const std::vector<V> recorded = {
        {1, 1, 0.9, 10, 0}, {2, 1, 0.8, 11, 0}, {1, 3, 0.7, 12, 0},
        {1, 1, 0.6, 13, 1},  // trial 1 runs again (its worker was lost): a new attempt
        {2, 3, 0.5, 14, 1}, {1, 3, 0.4, 15, 1}, {3, 2, 0.3, 16, 1},
        {3, 2, 0.2, 17, 2},  // the same step again: a new attempt too
        {1, 9, 0.1, 18, 2},
    };
    const std::vector<V> expected = {{2, 1, 0.8, 11, 0}, {1, 1, 0.6, 13, 1}, {2, 3, 0.5, 14, 1},
                                     {1, 3, 0.4, 15, 1}, {3, 2, 0.2, 17, 2}, {1, 9, 0.1, 18, 2}};
    CHECK(hpo::last_attempts(recorded) == expected);
    CHECK(hpo::last_attempts(std::vector<V>{}).empty());
    // A restart mark (step 0) starts the next attempt after it, and is itself never kept.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<V> marked = {{4, 1, 0.9, 10, 0}, {4, 3, 0.8, 11, 0}, {4, 0, nan, 12, 0},
                                   {5, 0, nan, 12, 0}, {4, 1, 0.7, 13, 0}, {4, 0, nan, 14, 0}};
    CHECK(hpo::last_attempts(marked).empty());  // the last attempt of each reported nothing yet
    const std::vector<V> rerun = {{4, 1, 0.9, 10, 0}, {4, 0, nan, 12, 0}, {4, 3, 0.7, 13, 0}};
    CHECK(hpo::last_attempts(rerun) == std::vector<V>{{4, 3, 0.7, 13, 0}});

    // The export's table: trial id order, each trial's steps in order, time as recorded.
    hpo::Checkpoint checkpoint;
    checkpoint.intermediate = recorded;
    const auto table = hpo::make_intermediate_table(checkpoint);
    CHECK(table.columns == std::vector<std::string>{"trial", "step", "value", "time"});
    std::vector<std::string> rows;
    for (const auto& row : table.rows)
        rows.push_back(row[0].text + " " + row[1].text + " " + std::to_string(row[2].number) + " " +
                       std::to_string(row[3].number));
    CHECK(rows == std::vector<std::string>{"1 1 0.600000 13.000000", "1 3 0.400000 15.000000", "1 9 0.100000 18.000000",
                                           "2 1 0.800000 11.000000", "2 3 0.500000 14.000000",
                                           "3 2 0.200000 17.000000"});
}

TEST_CASE("the trial table has the steps column, after fom") {
    const auto options = sample_options();
    const auto table = hpo::make_trial_table(options.space, sample_trials(0, 12));
    const auto at = std::find(table.columns.begin(), table.columns.end(), "steps");
    REQUIRE(at != table.columns.end());
    CHECK(*(at - 1) == "fom");
    const auto column = static_cast<std::size_t>(at - table.columns.begin());
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        CHECK(table.rows[i][column].kind == hpo::Cell::Kind::integer);
        CHECK(table.rows[i][column].text == std::to_string(sample_trial(i).steps));
    }
}

TEST_CASE("the checkpoint recorder stages intermediate values and commits them with its next commit") {
    TempDir dir;
    const auto path = dir / "run.h5";
    const auto options = sample_options();
    auto writer = CheckpointWriter::create(path, options);
    const auto strategy = hpo::make_strategy(options.strategy, options.space);
    // Interval 0: every tick with something staged commits, so the test needs no clock.
    hpo::CheckpointRecorder recorder(writer, *strategy, 0);
    const auto values = sample_intermediate(0, 9);
    for (std::size_t i = 0; i < 4; ++i) recorder.on_intermediate(values[i]);
    CHECK(load_checkpoint(path).intermediate.empty());  // staged, not yet committed
    recorder.on_tick();
    check_same_intermediate(load_checkpoint(path).intermediate, std::vector(values.begin(), values.begin() + 4));
    recorder.on_intermediate(values[4]);
    recorder.on_trial(sample_trial(0), hpo::RunResult{});  // a result commits what is staged with it
    auto c = load_checkpoint(path);
    check_same_trials(c.trials, sample_trials(0, 1));
    check_same_intermediate(c.intermediate, std::vector(values.begin(), values.begin() + 5));
    for (std::size_t i = 5; i < values.size(); ++i) recorder.on_intermediate(values[i]);
    recorder.on_finish(hpo::RunResult{});
    c = load_checkpoint(path);
    check_same_intermediate(c.intermediate, values);
    CHECK(c.finished);
}
