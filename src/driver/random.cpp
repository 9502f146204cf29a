// hpo::random::Optimizer: maps random::Options onto the random strategy's StrategyConfig.
#include "hpo/driver/random.hpp"

#include <utility>

#include "run_settings.hpp"

namespace hpo {

namespace {

StrategyConfig random_config(const random::Options& options) {
    StrategyConfig config;
    config.kind = StrategyKind::random;
    config.random.evals = options.evals;
    return config;
}

}  // namespace

random::Optimizer::Optimizer(Evaluator evaluator, Options options)
    : ::hpo::Optimizer(std::move(evaluator), random_config(options), settings_of(options)),
      options_(std::move(options)) {}

}  // namespace hpo
