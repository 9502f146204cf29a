// What a strategy learns from a pruned trial (internal to src/strategy): the loss of the last
// intermediate value it reported, a low-fidelity loss (typically worse than a completed trial's
// final one). loss_of() gives +inf for it, as for any trial that is not ok, so that it is never the
// best; the strategies that rank or model pruned trials take this instead.
#pragma once

#include <cmath>
#include <limits>

#include "hpo/trial.hpp"

namespace hpo::detail {

inline bool is_pruned(const Trial& trial) { return trial.status == TrialStatus::pruned; }

// The FoM it printed last, negated when maximizing; +inf when that is not a finite number (NaN and
// both infinities are the worst value, as the pruning rules count them).
inline double pruned_loss(const Trial& trial, bool maximize) {
    if (!std::isfinite(trial.fom)) return std::numeric_limits<double>::infinity();
    return maximize ? -trial.fom : trial.fom;
}

}  // namespace hpo::detail
