// Durability: writers SIGKILLed at random moments (while appending, committing, recovering or
// creating) always leave a checkpoint that loads and holds every batch whose flush returned, with
// the strategy state and the intermediate values that were committed together with those trials.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>

#include "test_checkpoint_support.hpp"

using namespace checkpoint_test;
using hpo::CheckpointWriter;
using hpo::load_checkpoint;
using Clock = std::chrono::steady_clock;

namespace {

// The state a writer commits together with its first `count` trials: a reader that finds `count`
// trials must find exactly this state.
std::string state_for(std::size_t count) {
    return "population after " + std::to_string(count) + std::string(count % 3000, '#');
}

// Batches of varying size, so that kills land at every offset within chunks.
std::size_t batch_after(std::size_t count) { return 1 + count * 7919 % 31; }

// sample_trial with its message cut short: the file grows slowly enough that a recovery (which
// rewrites the whole file) fits in a round many times over.
hpo::Trial crash_trial(std::uint64_t id) {
    hpo::Trial t = sample_trial(id);
    t.message.resize(std::min<std::size_t>(t.message.size(), 40));
    return t;
}

std::vector<hpo::Trial> crash_trials(std::uint64_t first, std::size_t count) {
    std::vector<hpo::Trial> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back(crash_trial(first + i));
    return out;
}

// A child that appends batches forever and reports on `report_fd` each count whose flush returned.
[[noreturn]] void append_forever(const fs::path& path, int report_fd) {
    try {
        auto writer = CheckpointWriter::open_for_append(path);
        std::size_t count = writer.trial_count();
        for (;;) {
            const std::size_t batch = batch_after(count);
            writer.append(crash_trials(count, batch));
            writer.append_intermediate(sample_intermediate(count, 3 * batch));  // 3 per trial
            writer.set_strategy_state(state_for(count + batch));
            writer.flush();
            count += batch;
            const std::uint64_t report = count;
            if (::write(report_fd, &report, sizeof report) != sizeof report) ::_exit(4);
            ::usleep(500);  // a coordinator between checkpoints; kills still land in a flush often
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "child: %s\n", e.what());
        ::_exit(3);
    }
}

struct ChildRun {
    std::uint64_t acknowledged = 0;  // the last count the child reported flushed
    std::size_t loads_during = 0;    // successful loads while the child was writing
    std::vector<std::string> reader_errors;
};

// Runs `child` in a forked process for `delay`, reading its reports (and loading the checkpoint
// as a concurrent reader when `path` is given), then SIGKILLs it.
template <typename Child>
ChildRun run_and_kill(Child child, std::chrono::milliseconds delay, const fs::path* read_path) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        child(fds[1]);
        ::_exit(5);  // never back into the test runner
    }
    ::close(fds[1]);
    ChildRun run;
    const auto deadline = Clock::now() + delay;
    auto drain = [&](int timeout_ms) {
        pollfd p{fds[0], POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) <= 0) return false;
        std::uint64_t value;
        const auto n = ::read(fds[0], &value, sizeof value);
        if (n == sizeof value) run.acknowledged = value;
        return n > 0;
    };
    while (Clock::now() < deadline) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        drain(static_cast<int>(std::max<long long>(0, std::min<long long>(left, 20))));
        if (read_path && run.acknowledged > 0) {
            const auto acknowledged = run.acknowledged;
            try {
                const auto c = load_checkpoint(*read_path);
                if (c.trials.size() < acknowledged)
                    run.reader_errors.push_back("live reader saw " + std::to_string(c.trials.size()) +
                                                " trials after " + std::to_string(acknowledged) + " were flushed");
                else if (c.strategy_state != state_for(c.trials.size()))
                    run.reader_errors.push_back("live reader saw a state not matching its trials");
                else if (c.intermediate.size() != 3 * c.trials.size())
                    run.reader_errors.push_back("live reader saw " + std::to_string(c.intermediate.size()) +
                                                " intermediate values with " + std::to_string(c.trials.size()) +
                                                " trials");
                ++run.loads_during;
            } catch (const std::exception& e) {
                run.reader_errors.push_back(std::string("live reader: ") + e.what());
            }
        }
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    while (drain(0)) {
    }
    ::close(fds[0]);
    INFO("the child ended on its own with exit status " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1));
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    return run;
}

// `values_per_trial`: the intermediate values the writers appended with each trial.
void check_prefix(const hpo::Checkpoint& c, std::uint64_t acknowledged, std::size_t values_per_trial = 3) {
    REQUIRE(c.trials.size() >= acknowledged);  // every flushed batch is there
    const auto expected = crash_trials(0, c.trials.size());
    for (std::size_t i = 0; i < c.trials.size(); ++i) {
        if (!same_trial(c.trials[i], expected[i])) {
            FAIL("trial " << i << " differs from what was appended");
        }
    }
    CHECK(c.strategy_state == (c.trials.empty() ? std::string() : state_for(c.trials.size())));
    // The values committed with those trials, no more, no fewer.
    check_same_intermediate(c.intermediate, sample_intermediate(0, values_per_trial * c.trials.size()));
}

unsigned test_seed() {
    if (const char* seed = std::getenv("HPO_CRASH_SEED")) return static_cast<unsigned>(std::stoul(seed));
    return std::random_device{}();
}

}  // namespace

TEST_CASE("a writer killed at random moments leaves every flushed batch readable") {
    TempDir dir;
    const auto path = dir / "run.h5";
    CheckpointWriter::create(path, sample_options()).close();
    const unsigned seed = test_seed();
    INFO("HPO_CRASH_SEED=" << seed);
    std::mt19937 rng(seed);
    std::uint64_t acknowledged = 0;
    std::size_t rewritten = 0, live_loads = 0;
    for (int round = 0; round < 16; ++round) {
        INFO("round " << round);
        struct stat before {};
        ::stat(path.c_str(), &before);
        // Short delays kill the child while it recovers the previous crash; long ones, while it
        // appends; a round in three also reads while the child writes.
        const auto delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(1, 600)(rng));
        const bool read_live = round % 3 == 2;
        const ChildRun run = run_and_kill([&](int fd) { append_forever(path, fd); }, delay,
                                          read_live ? &path : nullptr);
        for (const auto& error : run.reader_errors) FAIL_CHECK(error);
        live_loads += run.loads_during;
        acknowledged = std::max(acknowledged, run.acknowledged);

        const hpo::Checkpoint c = load_checkpoint(path);  // must never throw
        check_prefix(c, acknowledged);
        struct stat after {};
        ::stat(path.c_str(), &after);
        if (after.st_ino != before.st_ino) ++rewritten;
    }
    CHECK(acknowledged > 0);
    CHECK(rewritten > 0);  // the recovery path ran
    CHECK(live_loads > 0);

    // A clean writer continues where the killed ones stopped, and tidies up after them.
    auto writer = CheckpointWriter::open_for_append(path);
    const std::size_t count = writer.trial_count();
    CHECK(writer.intermediate_count() == 3 * count);
    writer.append(crash_trials(count, 3));
    writer.append_intermediate(sample_intermediate(count, 9));
    writer.set_strategy_state(state_for(count + 3));
    writer.close();
    check_prefix(load_checkpoint(path), count + 3);
    CHECK(load_checkpoint(path).intermediate.size() == 3 * (count + 3));
    std::size_t leftovers = 0;
    for (const auto& entry : fs::directory_iterator(dir.path()))
        if (entry.path() != path) ++leftovers;
    CHECK(leftovers == 0);  // no temporaries, no lock file
}

TEST_CASE("a writer killed while creating or replacing a checkpoint leaves a whole one") {
    TempDir dir;
    const auto path = dir / "run.h5";
    CheckpointWriter::create(path, sample_options()).close();
    const unsigned seed = test_seed();
    INFO("HPO_CRASH_SEED=" << seed);
    std::mt19937 rng(seed);
    for (int round = 0; round < 8; ++round) {
        INFO("round " << round);
        const auto delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(1, 150)(rng));
        run_and_kill(
            [&](int fd) {
                try {
                    for (std::uint64_t i = 1;; ++i) {
                        auto writer = CheckpointWriter::create(path, sample_options(),
                                                               CheckpointWriter::IfExists::replace);
                        writer.append(crash_trials(0, 10));
                        writer.set_strategy_state(state_for(10));
                        writer.close();
                        if (::write(fd, &i, sizeof i) != sizeof i) ::_exit(4);
                    }
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "child: %s\n", e.what());
                    ::_exit(3);
                }
            },
            delay, nullptr);
        const auto c = load_checkpoint(path);  // the old file or a new one, never a broken one
        CHECK((c.trials.empty() || c.trials.size() == 10));
        check_prefix(c, 0, 0);
    }
}

TEST_CASE("a killed writer's file loads at once; reopening it makes it a plain HDF5 file again") {
    TempDir dir;
    const auto path = dir / "run.h5";
    CheckpointWriter::create(path, sample_options()).close();
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // never returns into the test runner
        ::close(fds[0]);
        try {
            auto writer = CheckpointWriter::open_for_append(path);
            writer.append(crash_trials(0, 20));
            writer.set_strategy_state(state_for(20));
            writer.flush();
            writer.append(crash_trials(20, 5));  // staged, never committed
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

    const auto before = file_bytes(path);
    check_prefix(load_checkpoint(path), 20, 0);
    CHECK(load_checkpoint(path).trials.size() == 20);
    CHECK(file_bytes(path) == before);  // reading a dead writer's file changes nothing

    CheckpointWriter::open_for_append(path).close();
    check_prefix(load_checkpoint(path), 20, 0);
    if (run_command("command -v h5dump").exit_code == 0)
        CHECK(run_command("h5dump -H " + shell_quote(path.string())).exit_code == 0);
}
