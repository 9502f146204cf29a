// The text form of a strategy's configuration (see strategy_description.hpp).
#include "strategy_description.hpp"

#include <sstream>

namespace hpo {

std::string describe_strategy(const StrategyConfig& config, bool with_budget) {
    std::ostringstream out;
    out.precision(17);
    out << to_string(config.kind) << " (";
    switch (config.kind) {
        case StrategyKind::genetic: {
            const auto& g = config.genetic;
            if (with_budget) out << "generations=" << g.generations << " ";
            out << "pop_size=" << g.pop_size << " demes=" << g.num_demes << " mutation_rate=" << g.mutation_rate
                << " crossover_rate=" << g.crossover_rate << " migration_interval=" << g.migration_interval
                << " elites=" << g.elites << " mode=" << to_string(g.mode) << " seed=" << g.seed;
            break;
        }
        case StrategyKind::random:
            if (with_budget) out << "evals=" << config.random.evals << " ";
            out << "seed=" << config.random.seed;
            break;
        case StrategyKind::grid:
            out << "grid_size=" << config.grid.grid_size << " seed=" << config.grid.seed;
            break;
        case StrategyKind::bayes:
            if (with_budget) out << "evals=" << config.bayes.evals << " ";
            out << "initial=" << config.bayes.initial << " acquisition=" << to_string(config.bayes.acquisition)
                << " seed=" << config.bayes.seed;
            break;
    }
    out << ")";
    return out.str();
}

}  // namespace hpo
