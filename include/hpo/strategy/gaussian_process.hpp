// A Gaussian process regressor: Matérn 5/2 kernel with one length scale per input, a noise term,
// a Cholesky factor grown one row per new input. Eigen stays behind the pointer to the
// implementation, out of the public headers.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace hpo::gp {

// A continuous input is compared by its difference; a categorical one (a choice's option index)
// only by equality: options are equally far apart whatever their order.
enum class InputKind { continuous, categorical };

struct Hyperparameters {
    std::vector<double> length_scales;  // one per input, > 0
    double signal_variance = 1.0;       // the kernel's scale, > 0
    double noise_variance = 1e-4;       // added to the diagonal, > 0

    friend bool operator==(const Hyperparameters&, const Hyperparameters&) = default;
};

// The posterior of the latent function (the noise excluded) at one input.
struct Prediction {
    double mean = 0;
    double variance = 0;
};

// k(a, b) = s * (1 + sqrt(5) r + 5 r^2 / 3) * exp(-sqrt(5) r), r^2 = sum_i (d_i / l_i)^2, with
// d_i the difference of continuous inputs and [a_i != b_i] for categorical ones.
double matern52(std::span<const InputKind> kinds, const Hyperparameters& hyper, std::span<const double> a,
                std::span<const double> b);

class GaussianProcess {
public:
    GaussianProcess(std::vector<InputKind> kinds, Hyperparameters hyper);  // throws std::invalid_argument
    GaussianProcess(const GaussianProcess& other);
    GaussianProcess& operator=(const GaussianProcess& other);
    GaussianProcess(GaussianProcess&&) noexcept;
    GaussianProcess& operator=(GaussianProcess&&) noexcept;
    ~GaussianProcess();

    std::size_t dimension() const;
    std::size_t size() const;  // the number of training inputs
    const std::vector<InputKind>& kinds() const;
    const Hyperparameters& hyperparameters() const;

    // Replaces the training inputs (n rows of dimension() values) and factors the kernel matrix
    // afresh, O(n^3). Any targets are dropped.
    void reset(std::span<const double> inputs);
    // Appends one training input: one new row of the factor, O(n^2). Any targets are dropped.
    void add(std::span<const double> x);
    // Appends m training inputs (m rows of dimension() values) as one block of the factor,
    // O(n^2 m + m^3): the same model as m calls of add(). Any targets are dropped.
    void add_many(std::span<const double> inputs);

    // One target per training input; computes the weights K^-1 y by two triangular solves.
    void set_targets(std::span<const double> y);

    // Needs targets. The gradients, if asked, are in each input coordinate (0 for categorical ones).
    Prediction predict(std::span<const double> x) const;
    Prediction predict(std::span<const double> x, std::span<double> d_mean, std::span<double> d_variance) const;
    // m inputs of dimension() values each, row after row.
    std::vector<Prediction> predict_many(std::span<const double> inputs) const;
    // The posterior means alone, O(n) each (no solve): m inputs of dimension() values each.
    std::vector<double> predict_means(std::span<const double> inputs) const;

    // log p(y | inputs, hyperparameters) of the current targets.
    double log_marginal_likelihood() const;

    // Needs targets. For each training input, the posterior mean there of the model of the others
    // (leave-one-out, closed form: y_i - [K^-1 y]_i / [K^-1]_ii), O(n^3).
    std::vector<double> leave_one_out_means() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The log marginal likelihood of targets y at inputs (n rows of kinds.size() values) and, if
// asked, its gradient in theta = (log l_1, ..., log l_d, log signal variance, log noise variance).
// -infinity when the kernel matrix is not numerically positive definite.
double log_marginal_likelihood(std::span<const InputKind> kinds, std::span<const double> inputs,
                               std::span<const double> y, const Hyperparameters& hyper,
                               std::vector<double>* gradient = nullptr);

}  // namespace hpo::gp
