// The checks and completions of a run's configuration that its types alone cannot make.
#include "hpo/config/run_options.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include "hpo/exec/launcher.hpp"

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

void check_launcher(const KernelConfig& kernel) {
    if (kernel.nodes_per_eval < 1) {
        throw std::invalid_argument("--nodes-per-eval must be at least 1, got " + std::to_string(kernel.nodes_per_eval));
    }
    if (launches_remotely(kernel.launcher)) return;
    if (kernel.nodes_per_eval > 1) {
        throw std::invalid_argument("--nodes-per-eval " + std::to_string(kernel.nodes_per_eval) +
                                    " needs --launcher srun or mpirun: the local launcher runs each evaluation on "
                                    "its worker's own node");
    }
    if (!kernel.launch_args.empty()) {
        throw std::invalid_argument("--launch-args are for --launcher srun or mpirun, not the local launcher");
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
    if (!(options.checkpoint_interval >= 0)) {
        throw std::invalid_argument("checkpoint interval must be >= 0 seconds, got " +
                                    std::to_string(options.checkpoint_interval));
    }
    if (options.kernel.run_dir.empty()) throw std::invalid_argument("the run directory must not be empty");
    check_launcher(options.kernel);
    anchor_relative_paths(options.kernel.command);
    options.strategy.genetic.seed = options.seed;
    options.strategy.genetic.maximize = options.maximize;
    options.strategy.random.seed = options.seed;
    options.strategy.grid.seed = options.seed;
    options.strategy.bayes.seed = options.seed;
    options.strategy.bayes.maximize = options.maximize;
    // With a remote launcher, 0 stays: one evaluation per slot of the allocation (known at run time).
    if (options.parallel == 0 && !launches_remotely(options.kernel.launcher)) {
        options.parallel = std::max(1u, std::thread::hardware_concurrency());
    }
    return options;
}

}  // namespace hpo
