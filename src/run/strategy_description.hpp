// One line naming a strategy and every option it runs with: for the log, and to compare runs.
#pragma once

#include <string>

#include "hpo/strategy/factory.hpp"

namespace hpo {

// `genetic (generations=10 pop_size=10 ...)`. With `with_budget` false the options that only
// set how long the search goes on (generations, evals) are left out.
std::string describe_strategy(const StrategyConfig& config, bool with_budget = true);

}  // namespace hpo
