// A checkpoint's trials as a run result, for `hpo show` and the Python package's hpo.load.
#include "hpo/config/run_result.hpp"
#include "hpo/store/checkpoint.hpp"

namespace hpo {

RunResult result_of(const Checkpoint& checkpoint) {
    RunResult result;
    result.trials = checkpoint.trials;
    for (const Trial& trial : result.trials) {
        if (trial.ok() && (!result.best || better_trial(trial, *result.best, checkpoint.options.maximize))) {
            result.best = trial;
        }
    }
    result.resumed_trials = result.trials.size();
    confirm_best(result, checkpoint.options.maximize);  // the run's own summary does the same
    return result;
}

}  // namespace hpo
