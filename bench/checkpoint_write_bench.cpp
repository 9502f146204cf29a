// Micro-benchmark of the checkpoint store (issue 6, item 6; bench/checkpoint_cost.sh runs it).
//
//   checkpoint_write_bench [TRIALS=100000] [BATCH=100] [DIR=$TMPDIR]
//       a report for people: cost per trial of appending in batches (plain and with fsync), the
//       worst single flush, bytes per trial, and the time to load the whole file back.
//   checkpoint_write_bench record --trials N [--commit-every B] [--strategy random|bayes]
//                                 [--evals E] [--sync] [--kernel PATH] [--run-dir DIR] [--out FILE]
//                                 [--crash]
//       a run's checkpoint written the way hpo's CheckpointRecorder writes it (append each result,
//       commit with the strategy's saved state every B results), with a real strategy asked and
//       told; prints one CSV line of costs. With --evals E > N the run is left unfinished (E - N
//       evaluations to go, as after a time limit), so `hpo resume FILE` continues it, running the
//       kernel PATH in DIR/<trial id>/ (stored as `hpo run --quiet --no-progress --parallel 1`
//       would store them); --crash exits right after the last commit without closing the file, as
//       a killed coordinator would.
//   checkpoint_write_bench spawn --kernel PATH [--count N]
//       fork/exec/wait of PATH N times, stdout and stderr to /dev/null: µs per evaluation at the
//       limit, the yardstick for the coordinator's checkpoint cost per evaluation.
//   checkpoint_write_bench load FILE
//       load_checkpoint(FILE) in this process: trials and milliseconds.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "hpo/store/checkpoint.hpp"
#include "hpo/store/checkpoint_writer.hpp"
#include "hpo/strategy/factory.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

hpo::SearchSpace bench_space() {
    return hpo::SearchSpace({
        hpo::Parameter::float_range("--lr", 1e-5, 0.1, true, 0.001),
        hpo::Parameter::float_range("--dropout", 0.0, 0.9),
        hpo::Parameter::int_range("--layers", 1, 8),
        hpo::Parameter::choice("--opt", {"adam", "sgd", "rmsprop"}),
    });
}

hpo::RunOptions bench_options() {
    hpo::RunOptions o;
    o.space = bench_space();
    o.kernel.command = {"./train", "--epochs=1"};
    return o;
}

// What a short evaluation of a 100,000-trial run records; one in fifty fails with a stderr tail.
void fill_outcome(hpo::Trial& t) {
    const std::uint64_t id = t.id;
    t.fom = 1.0 / static_cast<double>(id + 1);
    t.start_time = 1.7e9 + static_cast<double>(id);
    t.end_time = t.start_time + 0.05;
    t.host = "nid00" + std::to_string(1000 + id % 16);
    t.worker = static_cast<int>(1 + id % 64);
    if (id % 50 == 0) {
        t.status = hpo::TrialStatus::failed;
        t.exit_code = 1;
        t.message = "exit code 1; stderr tail:\nTraceback (most recent call last):\n  RuntimeError: CUDA out of memory";
    }
}

hpo::Trial bench_trial(std::uint64_t id) {
    hpo::Trial t;
    t.id = id;
    t.deme = static_cast<int>(id % 4);
    t.generation = static_cast<int>(id / 400);
    t.values = {1e-3 * static_cast<double>(id % 97 + 1), 0.01 * static_cast<double>(id % 90),
                static_cast<double>(1 + id % 8), static_cast<double>(id % 3)};
    fill_outcome(t);
    return t;
}

// ---- the report for people (no subcommand) ---------------------------------------------------

struct Result {
    double seconds = 0;
    double worst_flush = 0;
    std::uintmax_t bytes = 0;
};

Result write_run(const fs::path& path, std::size_t trials, std::size_t batch, bool sync) {
    hpo::CheckpointWriterOptions settings;
    settings.sync_to_disk = sync;
    std::vector<hpo::Trial> pending;
    Result r;
    const auto start = Clock::now();
    auto writer = hpo::CheckpointWriter::create(path, bench_options(), hpo::CheckpointWriter::IfExists::replace,
                                                settings);
    for (std::size_t done = 0; done < trials; done += batch) {
        pending.clear();
        for (std::size_t i = done; i < std::min(trials, done + batch); ++i) pending.push_back(bench_trial(i));
        const auto flush_start = Clock::now();
        writer.append(pending);
        writer.set_strategy_state(std::string(2048, static_cast<char>('a' + done % 26)));  // a small population
        writer.flush();
        r.worst_flush = std::max(r.worst_flush, seconds_since(flush_start));
    }
    writer.close();
    r.seconds = seconds_since(start);
    r.bytes = fs::file_size(path);
    return r;
}

void report(const char* label, std::size_t trials, std::size_t batch, const Result& r) {
    std::printf("%-28s %7zu trials, batches of %4zu: %8.2f us/trial, worst flush %7.2f ms, %6.1f bytes/trial "
                "(%.1f MB)\n",
                label, trials, batch, 1e6 * r.seconds / static_cast<double>(trials), 1e3 * r.worst_flush,
                static_cast<double>(r.bytes) / static_cast<double>(trials), static_cast<double>(r.bytes) / 1e6);
}

int human_report(int argc, char** argv) {
    const std::size_t trials = argc > 1 ? std::stoul(argv[1]) : 100000;
    const std::size_t batch = argc > 2 ? std::stoul(argv[2]) : 100;
    const fs::path dir = argc > 3 ? fs::path(argv[3]) : fs::temp_directory_path();
    const fs::path path = dir / ("checkpoint-bench-" + std::to_string(::getpid()) + ".h5");
    try {
        report("append + flush", trials, batch, write_run(path, trials, batch, false));
        const auto load_start = Clock::now();
        const hpo::Checkpoint loaded = hpo::load_checkpoint(path);
        std::printf("%-28s %7zu trials: %8.1f ms\n", "load_checkpoint", loaded.trials.size(),
                    1e3 * seconds_since(load_start));
        const std::size_t synced = std::min<std::size_t>(trials, 10000);
        report("append + flush + fsync", synced, batch, write_run(path, synced, batch, true));
        report("append + flush, batch of 1", std::min<std::size_t>(trials, 10000), 1,
               write_run(path, std::min<std::size_t>(trials, 10000), 1, false));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "checkpoint_write_bench: %s\n", e.what());
        fs::remove(path);
        return 1;
    }
    fs::remove(path);
    return 0;
}

// ---- subcommands for bench/checkpoint_cost.sh ------------------------------------------------

struct Args {
    std::size_t trials = 100000;
    std::size_t commit_every = 100;
    std::size_t evals = 0;  // 0: trials
    std::size_t count = 1000;
    std::string strategy = "random";
    std::string kernel;
    std::string run_dir;
    std::string out;
    std::string file;
    bool sync = false;
    bool crash = false;
};

[[noreturn]] void usage_error(const std::string& message) {
    std::fprintf(stderr, "checkpoint_write_bench: %s\n", message.c_str());
    std::exit(2);
}

std::size_t count_of(const char* option, const char* text) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (*text == '\0' || *end != '\0') usage_error(std::string("bad value '") + text + "' for " + option);
    return static_cast<std::size_t>(v);
}

Args parse(int argc, char** argv, int first) {
    Args a;
    for (int i = first; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--trials") a.trials = count_of("--trials", value());
        else if (arg == "--commit-every") a.commit_every = std::max<std::size_t>(1, count_of("--commit-every", value()));
        else if (arg == "--evals") a.evals = count_of("--evals", value());
        else if (arg == "--count") a.count = std::max<std::size_t>(1, count_of("--count", value()));
        else if (arg == "--strategy") a.strategy = value();
        else if (arg == "--kernel") a.kernel = value();
        else if (arg == "--run-dir") a.run_dir = value();
        else if (arg == "--out") a.out = value();
        else if (arg == "--sync") a.sync = true;
        else if (arg == "--crash") a.crash = true;
        else if (arg[0] != '-' && a.file.empty()) a.file = arg;
        else usage_error("unknown argument '" + arg + "'");
    }
    return a;
}

// The run's configuration as `hpo run` would store it: random or bayes over the bench space, the
// kernel to run on a resume, one evaluation at a time.
hpo::RunOptions record_options(const Args& a, const fs::path& path) {
    hpo::RunOptions o;
    o.space = bench_space();
    o.kernel.command = {a.kernel.empty() ? std::string("/bin/true") : a.kernel};
    if (!a.run_dir.empty()) o.kernel.run_dir = a.run_dir;
    o.parallel = 1;
    o.progress = false;
    o.quiet = true;
    o.seed = 1;
    o.checkpoint_fn = path.string();
    const std::size_t evals = a.evals ? a.evals : a.trials;
    if (evals < a.trials) usage_error("--evals must be at least --trials");
    if (a.strategy == "random") {
        o.strategy = hpo::RandomOptions{.evals = evals};
    } else if (a.strategy == "bayes") {
        // The results come from its initial design (cheap); the state carries every one of them,
        // as it does at that many results in a real run.
        o.strategy = hpo::BayesOptions{.evals = evals, .initial = evals};
    } else {
        usage_error("--strategy must be random or bayes, not '" + a.strategy + "'");
    }
    return hpo::finalize(o);
}

// Writes like CheckpointRecorder: append(trial) for every result; every `commit_every` results
// set_strategy_state(strategy.save_state()) and flush(); at the end set_finished and close.
int record(const Args& a) {
    const fs::path path = a.out.empty()
                              ? fs::temp_directory_path() / ("checkpoint-bench-" + std::to_string(::getpid()) + ".h5")
                              : fs::path(a.out);
    const hpo::RunOptions options = record_options(a, path);
    const std::size_t evals = a.evals ? a.evals : a.trials;
    auto strategy = hpo::make_strategy(options.strategy, options.space, hpo::search_settings(options));
    hpo::CheckpointWriterOptions settings;
    settings.sync_to_disk = a.sync;
    auto writer = hpo::CheckpointWriter::create(path, options, hpo::CheckpointWriter::IfExists::replace, settings);

    double append_s = 0;
    std::vector<double> commits, states;  // seconds per commit (state included), per save_state
    std::size_t state_bytes = 0;
    for (std::size_t done = 0; done < a.trials; ++done) {
        const auto proposals = strategy->ask(1);
        if (proposals.empty()) usage_error("the strategy stopped proposing after " + std::to_string(done) + " trials");
        hpo::Trial t;
        t.id = proposals.front().id;
        t.deme = proposals.front().deme;
        t.generation = proposals.front().generation;
        t.values = proposals.front().values;
        fill_outcome(t);
        strategy->tell(t);

        const auto start = Clock::now();
        writer.append(t);
        append_s += seconds_since(start);
        if ((done + 1) % a.commit_every == 0 || done + 1 == a.trials) {
            const auto commit_start = Clock::now();
            std::string state = strategy->save_state();
            states.push_back(seconds_since(commit_start));
            state_bytes = state.size();
            writer.set_strategy_state(std::move(state));
            writer.flush();
            commits.push_back(seconds_since(commit_start));
        }
    }
    if (a.crash) {
        // A coordinator killed right after its last commit: no close, no clean superblock.
        std::printf("crashed,%zu\n", a.trials);
        std::fflush(stdout);
        std::_Exit(0);
    }
    const auto close_start = Clock::now();
    writer.set_finished(a.trials >= evals);
    writer.close();
    const double close_s = seconds_since(close_start);
    const std::uintmax_t bytes = fs::file_size(path);

    double commit_s = 0;
    for (double s : commits) commit_s += s;
    const std::size_t tenth = std::max<std::size_t>(1, commits.size() / 10);
    const std::vector<double> early(commits.begin(), commits.begin() + static_cast<std::ptrdiff_t>(tenth));
    const std::vector<double> late(commits.end() - static_cast<std::ptrdiff_t>(tenth), commits.end());
    const double n = static_cast<double>(a.trials);
    std::printf("strategy,trials,commit_every,sync,commits,append_us_per_trial,commit_median_us,commit_early_median_us,"
                "commit_late_median_us,commit_max_us,state_median_us,state_bytes,checkpoint_us_per_trial,close_ms,"
                "file_bytes,bytes_per_trial\n");
    std::printf("%s,%zu,%zu,%d,%zu,%.4g,%.4g,%.4g,%.4g,%.4g,%.4g,%zu,%.4g,%.4g,%ju,%.4g\n", a.strategy.c_str(),
                a.trials, a.commit_every, a.sync ? 1 : 0, commits.size(), 1e6 * append_s / n, 1e6 * median(commits),
                1e6 * median(early), 1e6 * median(late), 1e6 * *std::max_element(commits.begin(), commits.end()),
                1e6 * median(states), state_bytes, 1e6 * (append_s + commit_s) / n, 1e3 * close_s, bytes,
                static_cast<double>(bytes) / n);
    if (a.out.empty()) fs::remove(path);
    return 0;
}

int spawn(const Args& a) {
    if (a.kernel.empty()) usage_error("spawn needs --kernel PATH");
    const int null = ::open("/dev/null", O_WRONLY);
    if (null < 0) usage_error("cannot open /dev/null");
    const auto start = Clock::now();
    for (std::size_t i = 0; i < a.count; ++i) {
        const pid_t pid = ::fork();
        if (pid < 0) usage_error("fork failed");
        if (pid == 0) {
            ::dup2(null, 1);
            ::dup2(null, 2);
            ::execl(a.kernel.c_str(), a.kernel.c_str(), "--lr=0.001", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        int status = 0;
        if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            usage_error("the kernel " + a.kernel + " failed");
    }
    std::printf("spawn_count,spawn_us\n%zu,%.4g\n", a.count, 1e6 * seconds_since(start) / static_cast<double>(a.count));
    return 0;
}

int load(const Args& a) {
    if (a.file.empty()) usage_error("load needs FILE");
    const auto start = Clock::now();
    const hpo::Checkpoint loaded = hpo::load_checkpoint(a.file);
    std::printf("trials,load_ms,finished\n%zu,%.4g,%d\n", loaded.trials.size(), 1e3 * seconds_since(start),
                loaded.finished ? 1 : 0);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string sub = argc > 1 ? argv[1] : "";
    try {
        if (sub == "record") return record(parse(argc, argv, 2));
        if (sub == "spawn") return spawn(parse(argc, argv, 2));
        if (sub == "load") return load(parse(argc, argv, 2));
        if (sub == "-h" || sub == "--help") {
            std::printf("usage: checkpoint_write_bench [TRIALS] [BATCH] [DIR]\n"
                        "       checkpoint_write_bench record --trials N [--commit-every B] [--strategy random|bayes] "
                        "[--evals E] [--sync] [--kernel PATH] [--run-dir DIR] [--out FILE] [--crash]\n"
                        "       checkpoint_write_bench spawn --kernel PATH [--count N]\n"
                        "       checkpoint_write_bench load FILE\n");
            return 0;
        }
        return human_report(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "checkpoint_write_bench: %s\n", e.what());
        return 1;
    }
}
