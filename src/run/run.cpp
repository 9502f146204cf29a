// hpo::run: one optimization, alone or as an MPI job, from a finished RunOptions.
#include "hpo/run/run.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "hpo/dist/coordinator.hpp"
#include "hpo/dist/local_transport.hpp"
#include "run_reporter.hpp"
#include "../dist/mpi_job.hpp"
#include "stop_signals.hpp"

namespace hpo {

namespace {

// A kernel runs in its own trial directory, so a relative path in its command (`python3
// train.py`, `--data data/`) would be looked up there. Words that name an existing file or
// directory from where hpo starts are made absolute; everything else is left as it is.
void anchor_relative_paths(std::vector<std::string>& command) {
    namespace fs = std::filesystem;
    for (auto& word : command) {
        if (word.empty() || word.front() == '-' || fs::path(word).is_absolute()) continue;
        std::error_code error;
        if (fs::exists(word, error)) word = fs::absolute(word, error).lexically_normal().string();
    }
}

}  // namespace

RunOptions finalize(RunOptions options) {
    if (options.kernel.command.empty()) throw std::invalid_argument("no kernel command given");
    if (options.space.empty()) throw std::invalid_argument("no parameter to search: give at least one --param");
    if (options.kernel.fom_prefix.empty()) throw std::invalid_argument("the FoM prefix must not be empty");
    if (options.kernel.timeout_seconds < 0) {
        throw std::invalid_argument("timeout must be >= 0 seconds, got " + std::to_string(options.kernel.timeout_seconds));
    }
    if (options.kernel.run_dir.empty()) throw std::invalid_argument("the run directory must not be empty");
    anchor_relative_paths(options.kernel.command);
    options.strategy.genetic.seed = options.seed;
    options.strategy.genetic.maximize = options.maximize;
    options.strategy.random.seed = options.seed;
    options.strategy.grid.seed = options.seed;
    if (options.parallel == 0) options.parallel = std::max(1u, std::thread::hardware_concurrency());
    return options;
}

bool launched_by_mpi() {
    for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"}) {
        if (std::getenv(variable)) return true;
    }
    return false;
}

namespace {

// The coordinator's whole life on one transport: used alone and on rank 0 of an MPI job alike.
RunResult coordinate(const RunOptions& options, Transport& transport, const WorkerLayout& layout) {
    auto strategy = make_strategy(options.strategy, options.space);
    RunReporter reporter(options, options.progress && !options.quiet ? &std::cerr : nullptr);
    strategy->set_observer(&reporter);
    CoordinatorSettings settings;
    settings.maximize = options.maximize;
    settings.arg_style = options.arg_style;
    settings.stop_requested = &StopSignals::requested();
    Coordinator coordinator(*strategy, options.space, transport, layout, settings);
    coordinator.add_observer(&reporter);
    return coordinator.run();
}

int num_demes(const RunOptions& options) {
    return options.strategy.kind == StrategyKind::genetic ? options.strategy.genetic.num_demes : 1;
}

}  // namespace

RunResult run(const RunOptions& given) {
    const RunOptions options = finalize(given);
    StopSignals stop_signals;

    if (launched_by_mpi() && mpi::world_size() > 1) {
        return mpi::run_job(
            options.kernel, num_demes(options),
            [&](Transport& transport, const WorkerLayout& layout) { return coordinate(options, transport, layout); },
            StopSignals::requested());
    }

    LocalTransport transport(options.kernel, options.parallel);
    const WorkerLayout layout =
        make_worker_layout(std::vector<std::string>(options.parallel, current_node_name()), num_demes(options));
    return coordinate(options, transport, layout);
}

}  // namespace hpo
