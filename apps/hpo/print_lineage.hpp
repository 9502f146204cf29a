// `hpo show`'s lineage of the best trial: for pbt the best member's schedule (its hyperparameters
// round by round, along the checkpoints it descends from), for genetic search with checkpoints
// the best trial's ancestors generation by generation.
#pragma once

#include <string>
#include <vector>

#include "hpo/config/run_options.hpp"
#include "hpo/trial.hpp"

namespace hpo::cli {

// The lines, or empty when there is nothing to follow: no best trial, or (other than pbt) a best
// trial that started from an empty directory. One line per trial of the lineage, oldest first
// (pbt: round k is the k-th round the best model was trained, whichever member trained it):
//   Schedule of the best member (member 3): round by round
//     round 0: trial 3, member 3, FoM 0.52, --lr=0.01
std::string lineage_text(const RunOptions& options, const std::vector<Trial>& trials, const Trial* best);

}  // namespace hpo::cli
