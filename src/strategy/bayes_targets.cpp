// Losses to model targets: imputation of failures, a fitted power transform, standardization.
#include "bayes_targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace hpo::detail {
namespace {

// The exponents tried: a fixed grid keeps the choice deterministic and cheap (O(n) each).
constexpr int lambda_steps = 40;
// The exponent is chosen on at most this many evenly spaced order statistics of the losses: the
// shape of their distribution, at a cost that does not grow with the run.
constexpr std::size_t lambda_sample = 256;
constexpr double lambda_min = -1.0, lambda_max = 1.0;

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

// The profile log-likelihood of a normal fit to the transformed values, with the transform's
// Jacobian: sum log |dT/dx| = (lambda - 1) sum sign(x) log(1 + |x|).
double log_likelihood(const std::vector<double>& x, double lambda) {
    std::vector<double> t(x.size());
    double jacobian = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        t[i] = yeo_johnson(x[i], lambda);
        jacobian += std::copysign(std::log1p(std::abs(x[i])), x[i]);
    }
    const double variance = variance_of(t, mean_of(t));
    if (!(variance > 0) || !std::isfinite(variance)) return -std::numeric_limits<double>::infinity();
    return -0.5 * static_cast<double>(x.size()) * std::log(variance) + (lambda - 1) * jacobian;
}

}  // namespace

double yeo_johnson(double x, double lambda) {
    if (x >= 0) return lambda == 0 ? std::log1p(x) : (std::pow(x + 1, lambda) - 1) / lambda;
    return lambda == 2 ? -std::log1p(-x) : -(std::pow(1 - x, 2 - lambda) - 1) / (2 - lambda);
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
        double best_lambda = 1, best_likelihood = -std::numeric_limits<double>::infinity();
        for (int k = 0; k <= lambda_steps; ++k) {
            const double lambda = lambda_min + (lambda_max - lambda_min) * k / lambda_steps;
            const double likelihood = log_likelihood(sample, lambda);
            if (likelihood > best_likelihood) {  // strict: ties keep the smaller exponent
                best_likelihood = likelihood;
                best_lambda = lambda;
            }
        }
        for (double& v : x) v = yeo_johnson(v, best_lambda);
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
