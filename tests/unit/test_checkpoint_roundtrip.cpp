// The checkpoint store round-trips every field: configuration, trials, strategy state, the finished
// flag; appends continue across reopen; the writer's rules (no silent overwrite, one writer).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "test_checkpoint_support.hpp"

using namespace checkpoint_test;
using hpo::Checkpoint;
using hpo::CheckpointError;
using hpo::CheckpointWriter;
using hpo::load_checkpoint;

TEST_CASE("a new checkpoint holds its configuration and no trials") {
    TempDir dir;
    const auto path = dir / "run.h5";
    const auto options = sample_options();
    CheckpointWriter::create(path, options).close();
    const Checkpoint c = load_checkpoint(path);
    check_same_options(c.options, options);
    CHECK(c.trials.empty());
    CHECK(c.strategy_state.empty());
    CHECK_FALSE(c.finished);
    CHECK(c.format_version == hpo::checkpoint_format_version);
    CHECK(c.options.checkpoint_fn == path.string());  // the options that continue this run
    CHECK(c.options.checkpoint_mode == hpo::CheckpointMode::resume);
    CHECK_FALSE(std::filesystem::exists(path.string() + ".lock"));
}

TEST_CASE("every field of every trial round-trips") {
    TempDir dir;
    const auto path = dir / "run.h5";
    const auto options = sample_options();
    const auto trials = sample_trials(0, 60);  // every status with every FoM kind, every message
    {
        auto writer = CheckpointWriter::create(path, options);
        writer.append(std::span(trials).first(1));
        writer.append(std::span(trials).subspan(1, 9));
        writer.flush();
        writer.append(std::span(trials).subspan(10));
        CHECK(writer.trial_count() == 60);
        CHECK(writer.staged_count() == 50);
        writer.close();
    }
    const Checkpoint c = load_checkpoint(path);
    check_same_options(c.options, options);
    check_same_trials(c.trials, trials);
}

TEST_CASE("staged trials are invisible until flush, then visible to a reader at once") {
    TempDir dir;
    const auto path = dir / "run.h5";
    auto writer = CheckpointWriter::create(path, sample_options());
    const auto trials = sample_trials(0, 5);
    writer.append(trials);
    CHECK(load_checkpoint(path).trials.empty());
    const auto before = writer.commit_sequence();
    writer.flush();
    CHECK(writer.commit_sequence() == before + 1);
    check_same_trials(load_checkpoint(path).trials, trials);  // while the writer still has it open
    writer.flush();  // nothing staged: no new commit
    CHECK(writer.commit_sequence() == before + 1);
}

TEST_CASE("appends continue across close and reopen, any number of times") {
    TempDir dir;
    const auto path = dir / "run.h5";
    CheckpointWriter::create(path, sample_options()).close();
    std::vector<hpo::Trial> all;
    for (int session = 0; session < 4; ++session) {
        auto writer = CheckpointWriter::open_for_append(path);
        CHECK(writer.trial_count() == all.size());
        for (int batch = 0; batch < 3; ++batch) {
            const auto trials = sample_trials(all.size(), 7);
            writer.append(trials);
            all.insert(all.end(), trials.begin(), trials.end());
            writer.flush();
        }
        writer.close();
    }
    check_same_trials(load_checkpoint(path).trials, all);
}

TEST_CASE("commits synced to disk read back the same") {
    TempDir dir;
    const auto path = dir / "run.h5";
    hpo::CheckpointWriterOptions settings;
    settings.sync_to_disk = true;
    const auto trials = sample_trials(0, 12);
    auto writer = CheckpointWriter::create(path, sample_options(), CheckpointWriter::IfExists::fail, settings);
    writer.append(std::span(trials).first(5));
    writer.flush();
    writer.append(std::span(trials).subspan(5));
    writer.set_strategy_state("synced");
    writer.close();
    CHECK(writer.path() == path);
    const auto c = load_checkpoint(path);
    check_same_trials(c.trials, trials);
    CHECK(c.strategy_state == "synced");
}

TEST_CASE("the destructor commits what was staged") {
    TempDir dir;
    const auto path = dir / "run.h5";
    const auto trials = sample_trials(0, 3);
    {
        auto writer = CheckpointWriter::create(path, sample_options());
        writer.append(trials);
        writer.set_strategy_state("s");
    }
    const auto c = load_checkpoint(path);
    check_same_trials(c.trials, trials);
    CHECK(c.strategy_state == "s");
}

TEST_CASE("the strategy state round-trips as bytes and each save replaces the last") {
    TempDir dir;
    const auto path = dir / "run.h5";
    auto writer = CheckpointWriter::create(path, sample_options());
    std::string binary;
    for (int i = 0; i < 70000; ++i) binary += static_cast<char>(i * 7919 % 256);  // larger than a chunk
    writer.set_strategy_state(binary);
    writer.flush();
    CHECK(load_checkpoint(path).strategy_state == binary);

    writer.set_strategy_state("short now");  // shorter than the slot it may land in
    writer.flush();
    CHECK(load_checkpoint(path).strategy_state == "short now");

    for (int i = 0; i < 5; ++i) {  // alternating slots keep working
        const std::string state = "state " + std::to_string(i) + std::string(static_cast<std::size_t>(i) * 1000, 'z');
        writer.set_strategy_state(state);
        writer.append(sample_trial(static_cast<std::uint64_t>(i)));
        writer.flush();
        CHECK(load_checkpoint(path).strategy_state == state);
    }
    writer.set_strategy_state("");
    writer.close();
    CHECK(load_checkpoint(path).strategy_state.empty());

    auto reopened = CheckpointWriter::open_for_append(path);
    reopened.set_strategy_state("after reopen");
    reopened.close();
    const auto c = load_checkpoint(path);
    CHECK(c.strategy_state == "after reopen");
    CHECK(c.trials.size() == 5);
}

TEST_CASE("the finished flag round-trips and can be cleared by a resume") {
    TempDir dir;
    const auto path = dir / "run.h5";
    auto writer = CheckpointWriter::create(path, sample_options());
    writer.set_finished(true);
    writer.close();
    CHECK(load_checkpoint(path).finished);
    auto reopened = CheckpointWriter::open_for_append(path);
    reopened.set_finished(false);
    reopened.close();
    CHECK_FALSE(load_checkpoint(path).finished);
}

TEST_CASE("create refuses an existing file unless told to replace it") {
    TempDir dir;
    const auto path = dir / "run.h5";
    write_bytes(path, "precious");
    try {
        CheckpointWriter::create(path, sample_options());
        FAIL("create overwrote an existing file");
    } catch (const CheckpointError& e) {
        CHECK_THAT(e.what(), Catch::Contains(path.string()) && Catch::Contains("already exists"));
    }
    CHECK(file_bytes(path) == "precious");

    auto writer = CheckpointWriter::create(path, sample_options(), CheckpointWriter::IfExists::replace);
    writer.append(sample_trial(0));
    writer.close();
    CHECK(load_checkpoint(path).trials.size() == 1);
}

TEST_CASE("a second writer on the same checkpoint is refused") {
    TempDir dir;
    const auto path = dir / "run.h5";
    auto writer = CheckpointWriter::create(path, sample_options());
    CHECK_THROWS_WITH(CheckpointWriter::open_for_append(path), Catch::Contains("in use by another writer"));
    CHECK_THROWS_WITH(CheckpointWriter::create(path, sample_options(), CheckpointWriter::IfExists::replace),
                      Catch::Contains("in use by another writer"));
    writer.append(sample_trial(0));
    writer.close();
    CHECK(load_checkpoint(path).trials.size() == 1);
    CheckpointWriter::open_for_append(path).close();  // free again once closed
}

TEST_CASE("trials that do not fit the search space are refused, staging nothing") {
    TempDir dir;
    auto writer = CheckpointWriter::create(dir / "run.h5", sample_options());
    auto good = sample_trial(0);
    auto short_values = sample_trial(1);
    short_values.values.pop_back();
    auto bad_choice = sample_trial(2);
    bad_choice.values[4] = 4;  // --opt has 4 options
    auto fractional_choice = sample_trial(3);
    fractional_choice.values[5] = 0.5;
    CHECK_THROWS_AS(writer.append(std::vector{good, short_values}), std::invalid_argument);
    CHECK_THROWS_WITH(writer.append(bad_choice), Catch::Contains("--opt"));
    CHECK_THROWS_AS(writer.append(fractional_choice), std::invalid_argument);
    CHECK(writer.staged_count() == 0);
}

TEST_CASE("a resume may replace the configuration but not the search space") {
    TempDir dir;
    const auto path = dir / "run.h5";
    auto options = sample_options();
    {
        auto writer = CheckpointWriter::create(path, options);
        writer.append(sample_trials(0, 4));
        writer.set_strategy_state("rng");
        writer.close();
    }
    std::get<hpo::RandomOptions>(options.strategy).evals = 1000;  // a larger budget
    options.kernel.timeout_seconds = 60;
    {
        auto writer = CheckpointWriter::open_for_append(path, &options);
        CHECK(std::get<hpo::RandomOptions>(writer.options().strategy).evals == 1000);
        writer.append(sample_trial(4));
        writer.close();
    }
    auto c = load_checkpoint(path);
    check_same_options(c.options, options);
    check_same_trials(c.trials, sample_trials(0, 5));
    CHECK(c.strategy_state == "rng");

    auto other = options;
    other.space.add(hpo::Parameter::float_range("--new", 0, 1));
    const auto before = file_bytes(path);
    CHECK_THROWS_WITH(CheckpointWriter::open_for_append(path, &other),
                      Catch::Contains("search space differs") && Catch::Contains(path.string()));
    CHECK(file_bytes(path) == before);
}

TEST_CASE("a resume with the stored options continues the file in place") {
    TempDir dir;
    const auto path = dir / "run.h5";
    CheckpointWriter::create(path, sample_options()).close();
    struct stat before {};
    ::stat(path.c_str(), &before);
    auto same = load_checkpoint(path).options;  // what `hpo resume` would pass back
    CheckpointWriter::open_for_append(path, &same).close();
    struct stat after {};
    ::stat(path.c_str(), &after);
    CHECK(after.st_ino == before.st_ino);  // not rewritten
    std::get<hpo::RandomOptions>(same.strategy).evals += 5;
    CheckpointWriter::open_for_append(path, &same).close();
    ::stat(path.c_str(), &after);
    CHECK(after.st_ino != before.st_ino);  // rewritten with the new budget
    CHECK(load_checkpoint(path).options.strategy == same.strategy);
}

TEST_CASE("an empty search space and empty strings everywhere round-trip") {
    TempDir dir;
    const auto path = dir / "run.h5";
    hpo::RunOptions options;  // all defaults: empty command, empty space, empty prefix below
    options.kernel.fom_prefix = "";
    options.kernel.run_dir = "";
    hpo::Trial t;
    t.id = 42;
    {
        auto writer = CheckpointWriter::create(path, options);
        writer.append(t);
        writer.close();
    }
    const auto c = load_checkpoint(path);
    check_same_options(c.options, options);
    check_same_trials(c.trials, {t});
}

TEST_CASE("many trials in many batches load back in order") {
    TempDir dir;
    const auto path = dir / "run.h5";
    const auto trials = sample_trials(0, 5000);
    {
        auto writer = CheckpointWriter::create(path, sample_options());
        for (std::size_t i = 0; i < trials.size(); i += 100) {
            writer.append(std::span(trials).subspan(i, 100));
            writer.flush();
        }
    }
    check_same_trials(load_checkpoint(path).trials, trials);
}

TEST_CASE("choices of any size round-trip: 70,000 short options, 700 long ones") {
    TempDir dir;
    const auto path = dir / "big.h5";
    std::vector<std::string> many, long_ones;
    for (int i = 0; i < 70000; ++i) many.push_back("o" + std::to_string(i));
    for (int i = 0; i < 700; ++i) long_ones.push_back(std::to_string(i) + std::string(100, 'x'));
    auto options = sample_options();
    options.space = hpo::SearchSpace({hpo::Parameter::choice("--many", many), hpo::Parameter::choice("--long", long_ones),
                                      hpo::Parameter::choice("--few", {"a", "b"})});
    auto trial = [](std::uint64_t id) {
        auto t = sample_trial(id);
        t.values = {static_cast<double>(id * 7919 % 70000), static_cast<double>(id * 31 % 700), static_cast<double>(id % 2)};
        return t;
    };
    std::vector<hpo::Trial> trials;
    for (std::uint64_t id = 0; id < 20; ++id) trials.push_back(trial(id));
    trials.back().values[0] = 69999;  // the last option
    {
        auto writer = CheckpointWriter::create(path, options);
        writer.append(std::span(trials).first(10));
        writer.flush();
        writer.append(std::span(trials).subspan(10));
        writer.close();
    }
    auto loaded = load_checkpoint(path);
    CHECK(loaded.options.space == options.space);
    check_same_trials(loaded.trials, trials);

    // A resume with a larger budget rewrites the file with the same layout, and appends go on.
    std::get<hpo::RandomOptions>(options.strategy).evals += 100;
    trials.push_back(trial(20));
    {
        auto writer = CheckpointWriter::open_for_append(path, &options);
        writer.append(trials.back());
        writer.close();
    }
    loaded = load_checkpoint(path);
    check_same_options(loaded.options, options);
    check_same_trials(loaded.trials, trials);
}
