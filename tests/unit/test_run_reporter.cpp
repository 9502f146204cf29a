// RunReporter: progress lines written whole, the log's figures for a resumed run, the best trial.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "../../src/run/run_reporter.hpp"
#include "hpo/dist/worker_layout.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/strategy/random.hpp"

namespace {

// A stream buffer without a buffer: each insertion reaches it as one call, as each reaches
// write(2) on std::cerr. Records the text of every call.
class RecordingBuffer : public std::streambuf {
public:
    std::vector<std::string> writes;

protected:
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) writes.emplace_back(1, traits_type::to_char_type(c));
        return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char* text, std::streamsize count) override {
        writes.emplace_back(text, static_cast<std::size_t>(count));
        return count;
    }
};

hpo::RunOptions options_with_space() {
    hpo::RunOptions options;
    options.space = hpo::parse_search_space({"--x 0.5 [0.0,1.0]", R"(--name a {a,"it's"})"});
    options.kernel.command = {"./kernel.sh", "it's"};
    options.kernel.timeout_seconds = 120;
    return options;
}

hpo::Trial trial(hpo::TrialId id, double fom, double start, double end) {
    hpo::Trial t;
    t.id = id;
    t.values = {0.25, 1};
    t.fom = fom;
    t.start_time = start;
    t.end_time = end;
    return t;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A scratch log file, removed at the end of the test.
struct TempLog {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("hpo-test-run-reporter-" + std::to_string(::getpid()) + ".log");
    ~TempLog() { std::filesystem::remove(path); }
};

}  // namespace

TEST_CASE("every progress line reaches the stream in one write, newline included", "[run_reporter]") {
    RecordingBuffer buffer;
    std::ostream progress(&buffer);
    const hpo::RunOptions options = options_with_space();
    hpo::RandomStrategy strategy(options.space, {.evals = 4});
    const hpo::WorkerLayout layout = hpo::make_worker_layout({"a", "a"}, 1);
    hpo::RunReporter reporter(options, &progress, false);

    hpo::RunResult result;
    result.workers = 2;
    reporter.on_start(strategy, layout);
    result.trials.push_back(trial(0, 0.5, 0, 1));
    result.best = result.trials.back();
    reporter.on_trial(result.trials.back(), result);
    reporter.on_generation_end({.generation = 0, .demes = {}, .global_best_fom = 0.5});
    result.trials.push_back(trial(1, 0.25, 0, 1));
    result.best = result.trials.back();
    reporter.on_finish(result);

    REQUIRE(buffer.writes.size() >= 4);  // start, progress, generation, last progress, coordinator CPU
    for (const auto& write : buffer.writes) {
        INFO("write: '" << write << "'");
        CHECK(write.rfind("hpo: ", 0) == 0);
        CHECK(write.find('\n') == write.size() - 1);
    }
}

TEST_CASE("a resumed run's log counts only its own trials in the utilization", "[run_reporter]") {
    TempLog log;
    hpo::RunOptions options = options_with_space();
    options.log_fn = log.path;
    hpo::RandomStrategy strategy(options.space, {.evals = 4});
    const hpo::WorkerLayout layout = hpo::make_worker_layout({"a"}, 1);
    {
        hpo::RunReporter reporter(options, nullptr, true);
        reporter.on_start(strategy, layout);
        hpo::RunResult result;
        result.workers = 1;
        // Three trials of 100 s from the session before the interruption, one instant one now.
        for (hpo::TrialId id = 0; id < 3; ++id) result.trials.push_back(trial(id, 1, 0, 100));
        result.resumed_trials = 3;
        result.trials.push_back(trial(3, 0.5, 1000, 1000));
        result.best = result.trials.back();
        reporter.on_finish(result);
    }
    const std::string text = read_file(log.path);
    INFO(text);
    const auto at = text.find("worker utilization: ");
    REQUIRE(at != std::string::npos);
    const double utilization = std::stod(text.substr(at + std::string("worker utilization: ").size()));
    CHECK(utilization <= 100.0);
    CHECK(text.find("(1 in this session)") != std::string::npos);
}

TEST_CASE("the log prints numbers shortest, quotes as a shell reads, and no deme for a flat run", "[run_reporter]") {
    TempLog log;
    hpo::RunOptions options = options_with_space();
    options.log_fn = log.path;
    hpo::RandomStrategy strategy(options.space, {.evals = 4});
    const hpo::WorkerLayout layout = hpo::make_worker_layout({"a"}, 1);
    {
        hpo::RunReporter reporter(options, nullptr, false);
        reporter.on_start(strategy, layout);
        hpo::RunResult result;
        result.workers = 1;
        result.trials.push_back(trial(7, 0.5, 0, 0));
        result.best = result.trials.back();
        reporter.on_finish(result);
    }
    const std::string text = read_file(log.path);
    INFO(text);
    CHECK(text.find("timeout: 120 s") != std::string::npos);
    CHECK(text.find(R"(kernel: ./kernel.sh 'it'\''s')") != std::string::npos);
    CHECK(text.find(R"(best parameters: --x=0.25 '--name=it'\''s')") != std::string::npos);
    CHECK(text.find("best FoM: 0.5 (trial 7)\n") != std::string::npos);
}
