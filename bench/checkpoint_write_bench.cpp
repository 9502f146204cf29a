// Micro-benchmark of the checkpoint store: cost per trial of appending in batches (plain and with
// fsync), the worst single flush, bytes per trial, and the time to load the whole file back.
//
//   checkpoint_write_bench [TRIALS=100000] [BATCH=100] [DIR=$TMPDIR]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "hpo/store/checkpoint.hpp"
#include "hpo/store/checkpoint_writer.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

hpo::RunOptions bench_options() {
    hpo::RunOptions o;
    o.space = hpo::SearchSpace({
        hpo::Parameter::float_range("--lr", 1e-5, 0.1, true, 0.001),
        hpo::Parameter::float_range("--dropout", 0.0, 0.9),
        hpo::Parameter::int_range("--layers", 1, 8),
        hpo::Parameter::choice("--opt", {"adam", "sgd", "rmsprop"}),
    });
    o.kernel.command = {"./train", "--epochs=1"};
    return o;
}

// A short, successful evaluation as a 100,000-trial run produces them; one in fifty fails with a
// stderr tail.
hpo::Trial bench_trial(std::uint64_t id) {
    hpo::Trial t;
    t.id = id;
    t.deme = static_cast<int>(id % 4);
    t.generation = static_cast<int>(id / 400);
    t.values = {1e-3 * static_cast<double>(id % 97 + 1), 0.01 * static_cast<double>(id % 90),
                static_cast<double>(1 + id % 8), static_cast<double>(id % 3)};
    t.fom = 1.0 / static_cast<double>(id + 1);
    t.start_time = 1.7e9 + static_cast<double>(id);
    t.end_time = t.start_time + 0.05;
    t.host = "nid00" + std::to_string(1000 + id % 16);
    t.worker_rank = static_cast<int>(1 + id % 64);
    if (id % 50 == 0) {
        t.status = hpo::TrialStatus::failed;
        t.exit_code = 1;
        t.message = "exit code 1; stderr tail:\nTraceback (most recent call last):\n  RuntimeError: CUDA out of memory";
    }
    return t;
}

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

}  // namespace

int main(int argc, char** argv) {
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
