// Hyperparameter fitting: maximum a posteriori by multi-start bounded L-BFGS in log space.
#include "gp_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "draw.hpp"
#include "lbfgsb.hpp"

namespace hpo::detail {
namespace {

// In log space, theta = (log l_1..log l_d, log signal variance, log noise variance). Inputs live
// in the unit cube and targets are standardized, so one set of bounds and priors suits every
// problem. The priors are weak (a factor e per standard deviation for length scales); they matter
// when a few points leave the likelihood flat, which is when a fit goes astray. Length scales stop
// at 5: beyond, a parameter would count as irrelevant, and a search that believes that too early
// never looks at it again (Hartmann-6 stalled so in tuning, its first parameter at a bound).
struct Prior {
    double mode, sd, lo, hi;
};
constexpr Prior length_prior{-0.7, 1.0, -4.6, 1.6};   // l in [0.01, 5], mode 0.5
constexpr Prior signal_prior{0.0, 1.0, -3.0, 3.0};    // s in [0.05, 20], mode 1
constexpr Prior noise_prior{-6.9, 3.0, -13.8, 0.0};   // n in [1e-6, 1], mode 1e-3

const Prior& prior_of(std::size_t j, std::size_t d) {
    return j < d ? length_prior : j == d ? signal_prior : noise_prior;
}

gp::Hyperparameters from_theta(const std::vector<double>& theta, std::size_t d) {
    gp::Hyperparameters h;
    h.length_scales.resize(d);
    for (std::size_t i = 0; i < d; ++i) h.length_scales[i] = std::exp(theta[i]);
    h.signal_variance = std::exp(theta[d]);
    h.noise_variance = std::exp(theta[d + 1]);
    return h;
}

std::vector<double> to_theta(const gp::Hyperparameters& h) {
    const std::size_t d = h.length_scales.size();
    std::vector<double> theta(d + 2);
    for (std::size_t i = 0; i < d; ++i) theta[i] = std::log(h.length_scales[i]);
    theta[d] = std::log(h.signal_variance);
    theta[d + 1] = std::log(h.noise_variance);
    return theta;
}

constexpr int iterations_per_start = 60;

}  // namespace

gp::Hyperparameters default_hyperparameters(std::size_t dimension) {
    std::vector<double> theta(dimension + 2);
    for (std::size_t j = 0; j < theta.size(); ++j) theta[j] = prior_of(j, dimension).mode;
    return from_theta(theta, dimension);
}

gp::Hyperparameters fit_hyperparameters(std::span<const gp::InputKind> kinds, std::span<const double> inputs,
                                        std::span<const double> y, const gp::Hyperparameters* previous,
                                        std::mt19937_64& rng, bool warm_start_only) {
    const std::size_t d = kinds.size();
    const std::size_t p = d + 2;
    const double n = static_cast<double>(std::max<std::size_t>(y.size(), 1));
    std::vector<double> lower(p), upper(p);
    for (std::size_t j = 0; j < p; ++j) {
        lower[j] = prior_of(j, d).lo;
        upper[j] = prior_of(j, d).hi;
    }
    // Minimized: -(log likelihood + log prior) / n, so that the tolerances mean the same at any n.
    const Objective objective = [&](const std::vector<double>& theta, std::vector<double>& gradient) {
        std::vector<double> g;
        const double lml = gp::log_marginal_likelihood(kinds, inputs, y, from_theta(theta, d), &g);
        if (!std::isfinite(lml)) return std::numeric_limits<double>::infinity();
        double value = lml;
        for (std::size_t j = 0; j < p; ++j) {
            const Prior& prior = prior_of(j, d);
            const double z = (theta[j] - prior.mode) / prior.sd;
            value -= 0.5 * z * z;
            g[j] -= z / prior.sd;
        }
        for (std::size_t j = 0; j < p; ++j) gradient[j] = -g[j] / n;
        return -value / n;
    };

    std::vector<std::vector<double>> starts;
    if (previous) starts.push_back(to_theta(*previous));
    if (!previous || !warm_start_only) {
        starts.push_back(to_theta(default_hyperparameters(d)));
        std::vector<double> drawn(p);
        for (std::size_t j = 0; j < p; ++j) {
            const Prior& prior = prior_of(j, d);
            drawn[j] = std::clamp(prior.mode + prior.sd * standard_normal(rng), prior.lo, prior.hi);
        }
        starts.push_back(std::move(drawn));
    }

    LbfgsbOptions options;
    options.max_iterations = iterations_per_start;
    options.max_evaluations = 3 * iterations_per_start;
    options.gradient_tolerance = 1e-5;
    options.value_tolerance = 1e-9;
    std::vector<double> best = starts.front();
    double best_value = std::numeric_limits<double>::infinity();
    for (const auto& start : starts) {
        const LbfgsbResult r = minimize_bounded(objective, start, lower, upper, options);
        if (r.value < best_value) {  // strict: ties keep the earlier start, deterministically
            best_value = r.value;
            best = r.x;
        }
    }
    return from_theta(best, d);
}

}  // namespace hpo::detail
