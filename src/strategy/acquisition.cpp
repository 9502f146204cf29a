// Log expected improvement in a stable form, and the confidence bound.
#include "hpo/strategy/acquisition.hpp"

#include <cmath>
#include <numbers>

namespace hpo::gp {
namespace {

constexpr double log_sqrt_2pi = 0.91893853320467274178;  // log(sqrt(2 pi))

// Below this z the direct sum phi + z Phi cancels; from here on the continued fraction converges
// to full precision within cf_terms terms (checked against long double at z = -3).
constexpr double tail_start = -3.0;
constexpr int cf_terms = 60;

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }
double normal_pdf(double z) { return std::exp(-0.5 * z * z - log_sqrt_2pi); }

// Laplace's continued fraction for the Mills ratio, R(t) = 1/(t + a) with
// a = 1/(t + 2/(t + 3/(t + ...))). Then h(-t)/phi(t) = 1 - t R(t) = a/(t + a) without
// cancellation, and Phi(-t)/h(-t) = 1/a.
double mills_tail(double t) {
    double tail = 0;
    for (int k = cf_terms; k >= 2; --k) tail = k / (t + tail);
    return 1.0 / (t + tail);
}

}  // namespace

double log_h(double z) {
    if (z > tail_start) return std::log(normal_pdf(z) + z * normal_cdf(z));
    const double t = -z;
    const double a = mills_tail(t);
    return -0.5 * z * z - log_sqrt_2pi + std::log(a) - std::log(t + a);
}

double log_h_slope(double z) {
    if (z > tail_start) return normal_cdf(z) / (normal_pdf(z) + z * normal_cdf(z));
    return 1.0 / mills_tail(-z);
}

// log EI = log sd + log h(z), z = (best - mean)/sd; dz/dmean = -1/sd, dz/dsd = -z/sd.
AcquisitionValue log_expected_improvement(double mean, double sd, double best) {
    const double z = (best - mean) / sd;
    const double slope = log_h_slope(z);
    return {std::log(sd) + log_h(z), -slope / sd, (1.0 - slope * z) / sd};
}

AcquisitionValue upper_confidence_bound(double mean, double sd, double kappa) {
    return {-(mean - kappa * sd), -1.0, kappa};
}

}  // namespace hpo::gp
