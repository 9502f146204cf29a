// Whether a run may continue a checkpoint: the same search, possibly with a larger budget.
#pragma once

#include <string>

#include "hpo/config/run_options.hpp"

namespace hpo {

// Throws std::invalid_argument naming what differs (search space, kernel command, argument
// style, FoM prefix, direction, strategy or its options other than the budget).
void check_resumable(const RunOptions& stored, const RunOptions& given, const std::string& path);

}  // namespace hpo
