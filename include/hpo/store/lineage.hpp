// The lineage of a trial: the chain of trials whose checkpoint directories it descends from
// (each trial's `parent`), for `hpo show`'s schedule of the best pbt member.
#pragma once

#include <optional>
#include <vector>

#include "hpo/trial.hpp"

namespace hpo {

struct Lineage {
    // Oldest first: the trial that started from an empty directory (pbt: round 0), each one's
    // child after it, the trial itself last.
    std::vector<Trial> trials;
    // The parent of the oldest trial when the chain is cut: it is not among the trials given (or
    // the parents loop, which only a damaged file could hold). Empty for a whole chain.
    std::optional<TrialId> missing_parent;
};

// The lineage of trial `id` among `trials` (a checkpoint's, in any order). Throws
// std::invalid_argument if no trial has that id.
Lineage lineage_of(const std::vector<Trial>& trials, TrialId id);

}  // namespace hpo
