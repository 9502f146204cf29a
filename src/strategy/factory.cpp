// Strategy names and the construction of the strategy a configuration names.
#include "hpo/strategy/factory.hpp"

#include <stdexcept>
#include <string>

namespace hpo {

std::string_view to_string(StrategyKind kind) {
    switch (kind) {
    case StrategyKind::genetic: return "genetic";
    case StrategyKind::random: return "random";
    case StrategyKind::grid: return "grid";
    case StrategyKind::bayes: return "bayes";
    }
    return "unknown";
}

StrategyKind strategy_kind_from_string(std::string_view text) {
    for (auto kind : {StrategyKind::genetic, StrategyKind::random, StrategyKind::grid, StrategyKind::bayes}) {
        if (to_string(kind) == text) return kind;
    }
    throw std::invalid_argument("unknown strategy '" + std::string(text) +
                                "' (expected genetic, random, grid or bayes)");
}

std::unique_ptr<Strategy> make_strategy(const StrategyConfig& config, const SearchSpace& space) {
    switch (config.kind) {
    case StrategyKind::genetic: return std::make_unique<GeneticStrategy>(space, config.genetic);
    case StrategyKind::random: return std::make_unique<RandomStrategy>(space, config.random);
    case StrategyKind::grid: return std::make_unique<GridStrategy>(space, config.grid);
    case StrategyKind::bayes: return std::make_unique<BayesStrategy>(space, config.bayes);
    }
    throw std::invalid_argument("unknown strategy kind " + std::to_string(static_cast<int>(config.kind)));
}

}  // namespace hpo
