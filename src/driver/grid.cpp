// hpo::grid::Optimizer: maps grid::Options onto the grid strategy's StrategyConfig.
#include "hpo/driver/grid.hpp"

#include <utility>

#include "run_settings.hpp"

namespace hpo {

namespace {

StrategyConfig grid_config(const grid::Options& options) {
    StrategyConfig config;
    config.kind = StrategyKind::grid;
    config.grid.grid_size = options.grid_size;
    return config;
}

}  // namespace

grid::Optimizer::Optimizer(Evaluator evaluator, Options options)
    : ::hpo::Optimizer(std::move(evaluator), grid_config(options), settings_of(options)),
      options_(std::move(options)) {}

}  // namespace hpo
