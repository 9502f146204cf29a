// Acquisition functions of Bayesian optimization on a Gaussian posterior (minimization).
#pragma once

namespace hpo::gp {

// An acquisition value with its derivatives in the posterior mean and standard deviation, for the
// chain rule into the input.
struct AcquisitionValue {
    double value = 0;
    double d_mean = 0;
    double d_sd = 0;
};

// log h(z), h(z) = phi(z) + z Phi(z): expected improvement is sd * h((best - mean) / sd). Accurate
// for every finite z: h underflows below z = -38, but its log is about -z^2/2 - 2 log|z| there.
double log_h(double z);

// d/dz log h(z) = Phi(z) / h(z), as accurately.
double log_h_slope(double z);

// log E[max(best - f, 0)] for f ~ N(mean, sd^2), sd > 0; finite where the improvement underflows,
// so that a search still sees the way uphill (Ament et al., "Unexpected improvements to expected
// improvement", 2023).
AcquisitionValue log_expected_improvement(double mean, double sd, double best);

// The upper confidence bound of -f, i.e. -(mean - kappa sd): larger is better.
AcquisitionValue upper_confidence_bound(double mean, double sd, double kappa);

}  // namespace hpo::gp
