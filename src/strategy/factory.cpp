// Building the strategy a configuration names: one overload per strategy.
#include "hpo/strategy/factory.hpp"

#include <stdexcept>

#include "hpo/strategy/bayes.hpp"
#include "hpo/strategy/genetic.hpp"
#include "hpo/strategy/grid.hpp"
#include "hpo/strategy/pbt.hpp"
#include "hpo/strategy/random.hpp"

namespace hpo {

std::unique_ptr<Strategy> make_strategy(const StrategyConfig& config, const SearchSpace& space,
                                        SearchSettings settings) {
    struct Make {
        const SearchSpace& space;
        SearchSettings settings;
        std::unique_ptr<Strategy> operator()(const GeneticOptions& o) const {
            return std::make_unique<GeneticStrategy>(space, o, settings);
        }
        std::unique_ptr<Strategy> operator()(const RandomOptions& o) const {
            return std::make_unique<RandomStrategy>(space, o, settings);
        }
        std::unique_ptr<Strategy> operator()(const GridOptions& o) const {
            return std::make_unique<GridStrategy>(space, o, settings);
        }
        std::unique_ptr<Strategy> operator()(const BayesOptions& o) const {
            return std::make_unique<BayesStrategy>(space, o, settings);
        }
        std::unique_ptr<Strategy> operator()(const PbtOptions& o) const {
            return std::make_unique<PbtStrategy>(space, o, settings);
        }
    };
    return std::visit(Make{space, settings}, config);
}

}  // namespace hpo
