// The summary's line about pruning (--prune): how many trials were stopped early and the kernel
// time that saved. Part of print_result, so `hpo run` and `hpo show` print the same.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hpo/config/run_options.hpp"
#include "hpo/trial.hpp"

namespace hpo::cli {

// The kernel time the pruned trials would have taken more had they run to the end, in seconds:
// each pruned trial's duration (end - start) x (R / steps - 1), never below 0, R the run's
// --max-steps or, when 0, the median steps of the trials that completed ok (`estimated`).
// nullopt when R is unknown (no --max-steps and no completed trial).
struct PruningSaving {
    double seconds = 0;
    double full_steps = 0;  // R
    bool estimated = false; // R is the completed trials' median, not --max-steps
};
std::optional<PruningSaving> pruning_saving(const RunOptions& options, const std::vector<Trial>& trials);

// "pruned: 3 trials stopped early, 120.5 kernel-seconds saved (run to 27 steps each)\n", or with
// "about ... (estimated: ...)"; empty when no trial was pruned.
std::string pruning_text(const RunOptions& options, const std::vector<Trial>& trials);

}  // namespace hpo::cli
