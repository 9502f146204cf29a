// Losses to model targets: imputation of failures, a fitted power transform, standardization.
#include "bayes_targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace hpo::detail {
namespace {

// The exponents tried: a coarse grid, then a fine one around the best coarse exponent. Fixed
// grids keep the choice deterministic; the two steps cost a third of the fine grid over the
// whole range (O(n) per exponent, on every proposal).
constexpr double lambda_min = -1.0, lambda_max = 1.0;
constexpr double lambda_coarse_step = 0.25, lambda_fine_step = 0.05;
// The exponent is chosen on at most this many evenly spaced order statistics of the losses: the
// shape of their distribution, at a cost that does not grow with the run.
constexpr std::size_t lambda_sample = 128;

// Beyond this many scales from the median a loss is simply "very bad": clamping
// keeps the transform finite whatever the kernel printed.
constexpr double max_scaled = 1e15;

double mean_of(const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return sum / static_cast<double>(v.size());
}

double variance_of(const std::vector<double>& v, double mean) {
    double sum = 0;
    for (double x : v) sum += (x - mean) * (x - mean);
    return sum / static_cast<double>(v.size());
}

// The Yeo-Johnson transform of a value given by its sign and log(1 + |x|), which do not depend
// on the exponent.
double yeo_johnson_of_log(bool non_negative, double log1p_abs, double lambda) {
    if (non_negative) return lambda == 0 ? log1p_abs : std::expm1(lambda * log1p_abs) / lambda;
    return lambda == 2 ? -log1p_abs : -std::expm1((2 - lambda) * log1p_abs) / (2 - lambda);
}

// The profile log-likelihood of a normal fit to the transformed values, with the transform's
// Jacobian: sum log |dT/dx| = (lambda - 1) sum sign(x) log(1 + |x|). The logarithms do not depend
// on the exponent: `logs` holds log(1 + |x|) of each value and `jacobian` their signed sum, so
// each exponent tried costs one exponential per value.
double log_likelihood(const std::vector<double>& x, const std::vector<double>& logs, double jacobian,
                      double lambda) {
    std::vector<double> t(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) t[i] = yeo_johnson_of_log(x[i] >= 0, logs[i], lambda);
    const double variance = variance_of(t, mean_of(t));
    if (!(variance > 0) || !std::isfinite(variance)) return -std::numeric_limits<double>::infinity();
    return -0.5 * static_cast<double>(x.size()) * std::log(variance) + (lambda - 1) * jacobian;
}

}  // namespace

double yeo_johnson(double x, double lambda) {
    if (lambda == 1) return x;  // exactly: the identity
    return yeo_johnson_of_log(x >= 0, std::log1p(std::abs(x)), lambda);
}

double fit_yeo_johnson_exponent(const std::vector<double>& sample) {
    std::vector<double> logs(sample.size());
    double jacobian = 0;
    for (std::size_t i = 0; i < sample.size(); ++i) {
        logs[i] = std::log1p(std::abs(sample[i]));
        jacobian += std::copysign(logs[i], sample[i]);
    }
    double best_lambda = 1, best_likelihood = -std::numeric_limits<double>::infinity();
    // Exponents on a grid of `step` from `lo` to `hi`, as integer multiples so that both grids
    // meet exactly; strict comparison: ties keep the smaller exponent.
    const auto try_grid = [&](double lo, double hi, double step) {
        for (long k = std::lround(lo / step); k <= std::lround(hi / step); ++k) {
            const double lambda = static_cast<double>(k) * step;
            const double likelihood = log_likelihood(sample, logs, jacobian, lambda);
            if (likelihood > best_likelihood) {
                best_likelihood = likelihood;
                best_lambda = lambda;
            }
        }
    };
    try_grid(lambda_min, lambda_max, lambda_coarse_step);
    const double coarse = best_lambda;
    try_grid(std::max(lambda_min, coarse - lambda_coarse_step), std::min(lambda_max, coarse + lambda_coarse_step),
             lambda_fine_step);
    return best_lambda;
}

Targets model_targets(const std::vector<double>& losses, const std::vector<bool>& ok) {
    const std::size_t n = losses.size();
    double worst = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i)
        if (ok[i]) worst = std::max(worst, losses[i]);
    if (!std::isfinite(worst)) throw std::logic_error("model_targets: no ok result");
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = ok[i] ? losses[i] : worst;

    // The transform is not scale-free: it acts on the losses centred on their median and scaled
    // by the spread of the better half (the range if that is 0), the part that must stay
    // resolved whatever the worse half holds.
    std::vector<double> sorted = x;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted[n / 2];
    double scale = median - sorted.front();
    if (!(scale > 0)) scale = sorted.back() - sorted.front();
    Targets t;
    t.y.assign(n, 0.0);
    if (scale > 0 && std::isfinite(scale)) {
        for (double& v : x) v = std::clamp((v - median) / scale, -max_scaled, max_scaled);
        std::vector<double> sample;
        if (n <= lambda_sample) {
            sample = x;
        } else {
            for (std::size_t k = 0; k < lambda_sample; ++k) {
                const double at = sorted[k * (n - 1) / (lambda_sample - 1)];
                sample.push_back(std::clamp((at - median) / scale, -max_scaled, max_scaled));
            }
        }
        const double lambda = fit_yeo_johnson_exponent(sample);
        for (double& v : x) v = yeo_johnson(v, lambda);
        const double mean = mean_of(x);
        const double sd = std::sqrt(variance_of(x, mean));
        if (sd > 0 && std::isfinite(sd))
            for (std::size_t i = 0; i < n; ++i) t.y[i] = (x[i] - mean) / sd;
    }
    // All losses equal: every target 0, and only the posterior variance guides the search.
    t.best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i)
        if (ok[i]) t.best = std::min(t.best, t.y[i]);
    return t;
}

}  // namespace hpo::detail
