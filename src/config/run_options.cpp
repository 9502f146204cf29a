// The checks and completions of a run's configuration that its types alone cannot make.
#include "hpo/config/run_options.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include "hpo/exec/launcher.hpp"

namespace hpo {

namespace {

// The most concurrent evaluations one process runs (`--parallel`, README: Running): each is a
// thread and a kernel process with its pipes; beyond this a typo (`--parallel 100000`) would only
// exhaust memory.
constexpr std::size_t max_parallel = 4096;

// A kernel runs in its own trial directory, so a relative path in its command would be looked
// up there. The program (the first word) is anchored where hpo starts if it names a file there
// (`kernel.sh`, `./kernel.sh`, `bin/kernel`); of the other words only those that look like a
// path, holding a '/' (`./train.py`, `data/`, `../x`), and name an existing file or directory.
// A bare word (`3`, `train.py`, `adam`) is never changed, whatever files lie around: it may be a
// value that happens to share a file's name.
void anchor_relative_paths(std::vector<std::string>& command) {
    namespace fs = std::filesystem;
    for (std::size_t i = 0; i < command.size(); ++i) {
        std::string& word = command[i];
        if (command_word(word, i) != CommandWord::path) continue;
        std::error_code error;
        if (fs::exists(word, error)) word = fs::absolute(word, error).lexically_normal().string();
    }
}

// Staged paths are linked from trial directories, so a relative one is made absolute here, where
// hpo starts; one that does not exist is refused before anything runs, not met by every kernel.
void anchor_stage_paths(std::vector<std::string>& paths) {
    namespace fs = std::filesystem;
    for (std::string& path : paths) {
        std::error_code error;
        if (!fs::exists(path, error)) {
            throw std::invalid_argument("the staged path (--stage) '" + path + "' does not exist" +
                                        (error ? ": " + error.message() : std::string()));
        }
        path = fs::absolute(path, error).lexically_normal().string();
        while (path.size() > 1 && path.back() == '/') path.pop_back();
    }
}

}  // namespace

CommandWord command_word(const std::string& word, std::size_t position) {
    if (word.empty() || word.front() == '-' || std::filesystem::path(word).is_absolute()) return CommandWord::other;
    if (position == 0 || word.find('/') != std::string::npos) return CommandWord::path;
    return CommandWord::bare;
}

std::string_view to_string(KeepCheckpoints keep) { return keep == KeepCheckpoints::live ? "live" : "all"; }

KeepCheckpoints keep_checkpoints_from_string(std::string_view text) {
    if (text == "live") return KeepCheckpoints::live;
    if (text == "all") return KeepCheckpoints::all;
    throw std::invalid_argument("--keep-checkpoints must be live or all, got '" + std::string(text) + "'");
}

bool mentions_checkpoint_token(const std::vector<std::string>& command) {
    return std::any_of(command.begin(), command.end(),
                       [](const std::string& word) { return word.find(checkpoint_token) != std::string::npos; });
}

RunOptions finalize(RunOptions options) {
    if (options.space.empty()) throw std::invalid_argument("no parameter to search: give at least one --param");
    check(options.kernel);
    check(options.strategy);
    options.prune.check();
    options.confirm.check();
    if (!(std::isfinite(options.checkpoint_interval) && options.checkpoint_interval >= 0)) {
        throw std::invalid_argument("the checkpoint interval (--checkpoint-interval) must be a number of seconds >= 0, got " +
                                    option_text(options.checkpoint_interval));
    }
    if (options.parallel > max_parallel) {
        throw std::invalid_argument("--parallel " + std::to_string(options.parallel) + " is too many concurrent "
                                    "evaluations for one process (at most " + std::to_string(max_parallel) +
                                    "); spread a larger run over MPI ranks");
    }
    const double worker_timeout = options.worker_timeout_seconds;
    if (!(std::isfinite(worker_timeout) && (worker_timeout == 0 || worker_timeout >= 1))) {
        throw std::invalid_argument("the worker timeout (--worker-timeout) must be 0 (none) or a number of seconds >= 1, got " +
                                    option_text(worker_timeout));
    }
    anchor_relative_paths(options.kernel.command);
    anchor_stage_paths(options.kernel.stage_paths);
    // Checkpoint directories: where the user says, else beside the trial directories when the
    // command names them or the strategy (pbt) cannot work without them.
    std::string& checkpoint_root = options.kernel.checkpoint_root;
    if (checkpoint_root.empty() &&
        (mentions_checkpoint_token(options.kernel.command) || strategy_name(options.strategy) == "pbt")) {
        checkpoint_root = (std::filesystem::path(options.kernel.run_dir) / "checkpoints").string();
    }
    if (!checkpoint_root.empty()) checkpoint_root = std::filesystem::absolute(checkpoint_root).lexically_normal().string();
    // With a remote launcher, 0 stays: one evaluation per slot of the allocation (known at run time).
    if (options.parallel == 0 && !launches_remotely(options.kernel.launcher)) {
        options.parallel = std::max(1u, std::thread::hardware_concurrency());
    }
    return options;
}

SearchSettings search_settings(const RunOptions& options) { return {options.seed, options.maximize}; }

bool same_stored_config(RunOptions a, RunOptions b) {
    for (RunOptions* o : {&a, &b}) {
        o->checkpoint_fn.clear();
        o->checkpoint_mode = CheckpointMode::create;
        o->keep_existing_checkpoint = false;
    }
    return a == b;
}

}  // namespace hpo
