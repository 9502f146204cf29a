// Building the strategy a run's configuration names (the list of strategies is strategy_config.hpp).
#pragma once

#include <memory>

#include "hpo/space/search_space.hpp"
#include "hpo/strategy/strategy.hpp"
#include "hpo/strategy/strategy_config.hpp"

namespace hpo {

std::unique_ptr<Strategy> make_strategy(const StrategyConfig& config, const SearchSpace& space,
                                        SearchSettings settings = {});

}  // namespace hpo
