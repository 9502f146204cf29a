// What pruning saved (see print_result_pruning.hpp).
#include "print_result_pruning.hpp"

#include <algorithm>
#include <cmath>

#include "hpo/number_text.hpp"

namespace hpo::cli {

namespace {

// The median steps of the trials that completed ok: how long a full training is when the run
// did not say (--max-steps 0). 0 if none completed.
double median_completed_steps(const std::vector<Trial>& trials) {
    std::vector<int> steps;
    for (const Trial& trial : trials)
        if (trial.ok() && trial.steps > 0) steps.push_back(trial.steps);
    if (steps.empty()) return 0;
    std::sort(steps.begin(), steps.end());
    const std::size_t middle = steps.size() / 2;
    return steps.size() % 2 ? steps[middle] : (steps[middle - 1] + steps[middle]) / 2.0;
}

// Seconds to a tenth: the durations are wall-clock measurements, their sum needs no more digits.
std::string seconds_text(double seconds) { return number_text(std::round(seconds * 10) / 10); }

}  // namespace

std::optional<PruningSaving> pruning_saving(const RunOptions& options, const std::vector<Trial>& trials) {
    PruningSaving saving;
    saving.full_steps = options.prune.max_steps;
    if (saving.full_steps <= 0) {
        saving.full_steps = median_completed_steps(trials);
        saving.estimated = true;
    }
    if (saving.full_steps <= 0) return std::nullopt;
    for (const Trial& trial : trials) {
        // A pruned trial reported at least one value (the pruner decides on values); one that
        // somehow has none tells nothing about its pace.
        if (trial.status != TrialStatus::pruned || trial.steps <= 0) continue;
        const double duration = std::max(0.0, trial.end_time - trial.start_time);
        saving.seconds += duration * std::max(0.0, saving.full_steps / trial.steps - 1);
    }
    return saving;
}

std::string pruning_text(const RunOptions& options, const std::vector<Trial>& trials) {
    const auto pruned = std::count_if(trials.begin(), trials.end(),
                                      [](const Trial& t) { return t.status == TrialStatus::pruned; });
    if (pruned == 0) return {};
    std::string text = "pruned: " + std::to_string(pruned) + (pruned == 1 ? " trial" : " trials") + " stopped early";
    const auto saving = pruning_saving(options, trials);
    if (!saving) {
        return text + " (the kernel time saved is unknown: no --max-steps, and no trial completed to compare)\n";
    }
    const std::string steps = number_text(saving->full_steps);
    if (saving->estimated) {
        return text + ", about " + seconds_text(saving->seconds) + " kernel-seconds saved (estimated: as if run to " +
               steps + " steps each, the median of the trials that completed)\n";
    }
    return text + ", " + seconds_text(saving->seconds) + " kernel-seconds saved (as if run to " + steps +
           " steps each, --max-steps)\n";
}

}  // namespace hpo::cli
