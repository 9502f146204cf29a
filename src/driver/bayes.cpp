// hpo::bayes::Optimizer: maps bayes::Options onto the Bayesian strategy's StrategyConfig.
#include "hpo/driver/bayes.hpp"

#include <utility>

#include "run_settings.hpp"

namespace hpo {

namespace {

StrategyConfig bayes_config(const bayes::Options& options) {
    StrategyConfig config;
    config.kind = StrategyKind::bayes;
    config.bayes.evals = options.evals;
    config.bayes.initial = options.initial;
    config.bayes.acquisition = options.acquisition;
    return config;
}

}  // namespace

bayes::Optimizer::Optimizer(Evaluator evaluator, Options options)
    : ::hpo::Optimizer(std::move(evaluator), bayes_config(options), settings_of(options)),
      options_(std::move(options)) {}

}  // namespace hpo
