// Fitting a Gaussian process's hyperparameters (internal to src/strategy): multi-start bounded
// L-BFGS on the log marginal likelihood plus weak log-normal priors.
#pragma once

#include <random>
#include <span>

#include "hpo/strategy/gaussian_process.hpp"

namespace hpo::detail {

// The most likely hyperparameters for targets y (standardized: mean 0, variance about 1) at the
// inputs (n rows of kinds.size() values in [0,1], or option indices for categorical ones).
// Starts from `previous` (if not null), from the priors' modes and from one draw of the priors
// (from rng); the best local optimum wins. `warm_start_only` (with a previous fit): from
// `previous` alone, a third of the cost, for a proposal that must be quick. Deterministic given
// the arguments and rng's state.
gp::Hyperparameters fit_hyperparameters(std::span<const gp::InputKind> kinds, std::span<const double> inputs,
                                        std::span<const double> y, const gp::Hyperparameters* previous,
                                        std::mt19937_64& rng, bool warm_start_only = false);

// The priors' modes: where a fit starts, and the model used before any fit.
gp::Hyperparameters default_hyperparameters(std::size_t dimension);

}  // namespace hpo::detail
