// What a run gives back: its confirmed best (see run_result.hpp).
#include "hpo/config/run_result.hpp"

namespace hpo {

void confirm_best(RunResult& result, bool maximize) {
    result.confirmed = confirmed_best(result.trials, maximize);
    if (!result.confirmed) return;
    for (const Trial& trial : result.trials)
        if (trial.id == result.confirmed->original) result.best = trial;
}

}  // namespace hpo
