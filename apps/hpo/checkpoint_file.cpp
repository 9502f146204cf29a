// Reading a checkpoint for `hpo resume`, `hpo show` and `hpo export`.
#include "checkpoint_file.hpp"

#include "exit_codes.hpp"

namespace hpo::cli {

Checkpoint load_checkpoint_file(const std::string& path) {
    try {
        return load_checkpoint(path);
    } catch (const CheckpointError& error) {
        // The store's messages name the file; make sure of it, the user may have given several.
        const std::string message = error.what();
        throw ConfigError(message.find(path) != std::string::npos ? message
                                                                  : "checkpoint '" + path + "': " + message);
    }
}

RunResult result_of(const Checkpoint& checkpoint) {
    RunResult result;
    result.trials = checkpoint.trials;
    for (const Trial& trial : result.trials) {
        if (trial.ok() && (!result.best || better_trial(trial, *result.best, checkpoint.options.maximize))) {
            result.best = trial;
        }
    }
    result.resumed_trials = result.trials.size();
    return result;
}

}  // namespace hpo::cli
