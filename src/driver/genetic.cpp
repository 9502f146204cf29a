// hpo::genetic::Optimizer: maps genetic::Options onto the genetic strategy's StrategyConfig.
#include "hpo/driver/genetic.hpp"

#include <utility>

#include "run_settings.hpp"

namespace hpo {

namespace {

StrategyConfig genetic_config(const genetic::Options& options) {
    StrategyConfig config;
    config.kind = StrategyKind::genetic;
    config.genetic.generations = options.generations;
    config.genetic.pop_size = options.pop_size;
    config.genetic.num_demes = options.num_demes;
    config.genetic.mutation_rate = options.mutation_rate;
    config.genetic.crossover_rate = options.crossover_rate;
    config.genetic.migration_interval = options.migration_interval;
    config.genetic.elites = options.elites;
    config.genetic.mode = options.mode;
    return config;
}

}  // namespace

genetic::Optimizer::Optimizer(Evaluator evaluator, Options options)
    : ::hpo::Optimizer(std::move(evaluator), genetic_config(options), settings_of(options)),
      options_(std::move(options)) {}

}  // namespace hpo
