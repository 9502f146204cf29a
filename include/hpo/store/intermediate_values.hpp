// What readers (hpo export, hpo show) make of a checkpoint's intermediate values: each trial's last
// attempt only. The file keeps every attempt, since a resume replays them all in order.
#pragma once

#include <span>
#include <vector>

#include "hpo/trial.hpp"

namespace hpo {

// The values of each trial's last attempt, in their append order. A trial runs more than once when
// its worker was lost or the run was resumed while it ran; each attempt starts again from step 1,
// so a new attempt begins at a value whose step does not increase on the trial's previous value,
// and the values before it (of that trial only) are dropped.
std::vector<IntermediateValue> last_attempts(std::span<const IntermediateValue> values);

}  // namespace hpo
