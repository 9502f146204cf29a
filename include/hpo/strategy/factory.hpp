// Building the strategy a run's configuration names.
#pragma once

#include <memory>
#include <string_view>

#include "hpo/space/search_space.hpp"
#include "hpo/strategy/bayes.hpp"
#include "hpo/strategy/genetic.hpp"
#include "hpo/strategy/grid.hpp"
#include "hpo/strategy/random.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

enum class StrategyKind { genetic, random, grid, bayes };

std::string_view to_string(StrategyKind kind);
StrategyKind strategy_kind_from_string(std::string_view text);  // throws std::invalid_argument

struct StrategyConfig {
    StrategyKind kind = StrategyKind::genetic;
    GeneticOptions genetic;
    RandomOptions random;
    GridOptions grid;
    BayesOptions bayes;
};

std::unique_ptr<Strategy> make_strategy(const StrategyConfig& config, const SearchSpace& space);

}  // namespace hpo
