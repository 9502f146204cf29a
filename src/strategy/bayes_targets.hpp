// The Gaussian process's targets (internal to src/strategy): losses made well-behaved for a model
// with a Gaussian likelihood.
#pragma once

#include <vector>

namespace hpo::detail {

struct Targets {
    std::vector<double> y;  // one per result, in the results' order
    double best = 0;        // the smallest y of an ok result
};

// Failed results take the worst ok loss (they repel the search without stretching the scale);
// then a Yeo-Johnson power transform, its exponent in [-1, 1] chosen by maximum likelihood as in
// HEBO, compresses a long tail of bad losses (diverging runs) that would otherwise flatten every
// difference among the good ones; then the values are standardized to mean 0 and variance 1.
// Needs at least one ok result.
Targets model_targets(const std::vector<double>& losses, const std::vector<bool>& ok);

// The exponent in [-1, 1] (a multiple of 0.05) of maximum likelihood for a normal fit to the
// transformed values of `sample` (the losses, centred and scaled).
double fit_yeo_johnson_exponent(const std::vector<double>& sample);

// The Yeo-Johnson transform with exponent `lambda`: monotone, the identity at lambda = 1, log1p
// (for x >= 0) at lambda = 0.
double yeo_johnson(double x, double lambda);

}  // namespace hpo::detail
