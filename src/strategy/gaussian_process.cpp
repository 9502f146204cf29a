// The Gaussian process: kernel, Cholesky factor (fresh or grown by rows), posterior, marginal likelihood.
//
// The factor is only ever built as a fresh Eigen LLT or grown by appended rows (one, or a block),
// and every matrix is allocated at its exact size: the same sequence of reset/add/add_many calls
// gives the same bits, which is what lets a restored strategy continue a run exactly.
#include "hpo/strategy/gaussian_process.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace hpo::gp {
namespace {

constexpr double sqrt5 = 2.2360679774997896964;

void check(const std::vector<InputKind>& kinds, const Hyperparameters& hyper) {
    if (kinds.empty()) throw std::invalid_argument("gaussian process: no inputs");
    if (hyper.length_scales.size() != kinds.size())
        throw std::invalid_argument("gaussian process: " + std::to_string(hyper.length_scales.size()) +
                                    " length scales for " + std::to_string(kinds.size()) + " inputs");
    for (double l : hyper.length_scales)
        if (!(l > 0) || !std::isfinite(l)) throw std::invalid_argument("gaussian process: a length scale is not > 0");
    if (!(hyper.signal_variance > 0) || !std::isfinite(hyper.signal_variance))
        throw std::invalid_argument("gaussian process: the signal variance is not > 0");
    if (!(hyper.noise_variance > 0) || !std::isfinite(hyper.noise_variance))
        throw std::invalid_argument("gaussian process: the noise variance is not > 0");
}

// The kernel with its constants laid out for the inner loops.
struct Kernel {
    std::vector<double> inverse_squared;  // 1 / l_i^2
    std::vector<char> categorical;
    double signal = 1;
    double noise = 0;

    Kernel(std::span<const InputKind> kinds, const Hyperparameters& hyper)
        : inverse_squared(kinds.size()), categorical(kinds.size()), signal(hyper.signal_variance),
          noise(hyper.noise_variance) {
        for (std::size_t i = 0; i < kinds.size(); ++i) {
            inverse_squared[i] = 1.0 / (hyper.length_scales[i] * hyper.length_scales[i]);
            categorical[i] = kinds[i] == InputKind::categorical;
        }
    }

    std::size_t dimension() const { return inverse_squared.size(); }

    double difference(std::size_t i, double a, double b) const {
        if (categorical[i]) return a == b ? 0.0 : 1.0;
        return a - b;
    }

    double squared_distance(const double* a, const double* b) const {
        double r2 = 0;
        for (std::size_t i = 0; i < inverse_squared.size(); ++i) {
            const double d = difference(i, a[i], b[i]);
            r2 += d * d * inverse_squared[i];
        }
        return r2;
    }

    double operator()(const double* a, const double* b) const {
        const double r = std::sqrt(squared_distance(a, b));
        return signal * (1.0 + sqrt5 * r + (5.0 / 3.0) * r * r) * std::exp(-sqrt5 * r);
    }

    // dk/d(r^2) = -(5/6) s (1 + sqrt(5) r) exp(-sqrt(5) r): finite at r = 0.
    double slope_in_r2(double r) const { return -(5.0 / 6.0) * signal * (1.0 + sqrt5 * r) * std::exp(-sqrt5 * r); }
};

// Inputs are stored one per column (d x n), so a kernel row walks contiguous memory.
Eigen::MatrixXd columns_of(std::span<const double> inputs, std::size_t d) {
    if (inputs.size() % d != 0)
        throw std::invalid_argument("gaussian process: " + std::to_string(inputs.size()) +
                                    " input values are not a whole number of points of dimension " + std::to_string(d));
    const auto n = static_cast<Eigen::Index>(inputs.size() / d);
    Eigen::MatrixXd x(static_cast<Eigen::Index>(d), n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (std::size_t i = 0; i < d; ++i)
            x(static_cast<Eigen::Index>(i), j) = inputs[static_cast<std::size_t>(j) * d + i];
    return x;
}

Eigen::MatrixXd kernel_matrix(const Kernel& k, const Eigen::MatrixXd& x) {
    const Eigen::Index n = x.cols();
    Eigen::MatrixXd m(n, n);
    for (Eigen::Index j = 0; j < n; ++j) {
        for (Eigen::Index i = j; i < n; ++i) m(i, j) = m(j, i) = k(x.col(i).data(), x.col(j).data());
        m(j, j) += k.noise;
    }
    return m;
}

// A smallest pivot: rounding can leave an appended row's pivot at or below zero when the new
// input repeats an old one; the noise term bounds the true pivot from below.
double pivot_floor(const Kernel& k) { return 1e-3 * k.noise; }

}  // namespace

double matern52(std::span<const InputKind> kinds, const Hyperparameters& hyper, std::span<const double> a,
                std::span<const double> b) {
    if (a.size() != kinds.size() || b.size() != kinds.size())
        throw std::invalid_argument("matern52: inputs of another dimension");
    return Kernel(kinds, hyper)(a.data(), b.data());
}

struct GaussianProcess::Impl {
    std::vector<InputKind> kinds;
    Hyperparameters hyper;
    Kernel kernel;
    Eigen::MatrixXd x;  // d x n
    Eigen::MatrixXd l;  // n x n, lower triangular
    Eigen::VectorXd y, alpha;
    bool targets = false;

    Impl(std::vector<InputKind> k, Hyperparameters h)
        : kinds(std::move(k)), hyper(std::move(h)), kernel(kinds, hyper), x(kinds.size(), 0), l(0, 0) {}

    Eigen::Index n() const { return x.cols(); }

    Eigen::VectorXd cross(const double* q) const {
        Eigen::VectorXd k(n());
        for (Eigen::Index i = 0; i < n(); ++i) k(i) = kernel(q, x.col(i).data());
        return k;
    }

    void require_targets() const {
        if (!targets) throw std::logic_error("gaussian process: predict() before set_targets()");
    }
};

GaussianProcess::GaussianProcess(std::vector<InputKind> kinds, Hyperparameters hyper) {
    check(kinds, hyper);
    impl_ = std::make_unique<Impl>(std::move(kinds), std::move(hyper));
}

GaussianProcess::GaussianProcess(const GaussianProcess& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
GaussianProcess& GaussianProcess::operator=(const GaussianProcess& other) {
    if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
    return *this;
}
GaussianProcess::GaussianProcess(GaussianProcess&&) noexcept = default;
GaussianProcess& GaussianProcess::operator=(GaussianProcess&&) noexcept = default;
GaussianProcess::~GaussianProcess() = default;

std::size_t GaussianProcess::dimension() const { return impl_->kinds.size(); }
std::size_t GaussianProcess::size() const { return static_cast<std::size_t>(impl_->n()); }
const std::vector<InputKind>& GaussianProcess::kinds() const { return impl_->kinds; }
const Hyperparameters& GaussianProcess::hyperparameters() const { return impl_->hyper; }

void GaussianProcess::reset(std::span<const double> inputs) {
    Impl& m = *impl_;
    Eigen::MatrixXd x = columns_of(inputs, dimension());
    Eigen::MatrixXd k = kernel_matrix(m.kernel, x);
    Eigen::LLT<Eigen::MatrixXd> llt(k);
    // Near-duplicate inputs with a tiny noise term can defeat the factorization in floating
    // point; growing jitter on the diagonal is the usual remedy, and deterministic.
    for (double jitter = m.kernel.noise; llt.info() != Eigen::Success; jitter *= 10) {
        if (jitter > m.kernel.signal)
            throw std::runtime_error("gaussian process: the kernel matrix cannot be factored");
        k.diagonal().array() += jitter;
        llt.compute(k);
    }
    m.x = std::move(x);
    m.l = llt.matrixL();
    m.targets = false;
}

void GaussianProcess::add(std::span<const double> point) {
    Impl& m = *impl_;
    if (point.size() != dimension()) throw std::invalid_argument("gaussian process: an input of another dimension");
    const Eigen::Index n = m.n();
    const Eigen::VectorXd k = m.cross(point.data());
    const Eigen::VectorXd row = m.l.triangularView<Eigen::Lower>().solve(k);
    const double diagonal = m.kernel.signal + m.kernel.noise - row.squaredNorm();

    Eigen::MatrixXd l(n + 1, n + 1);
    l.topLeftCorner(n, n) = m.l;
    l.topRightCorner(n, 1).setZero();
    l.bottomLeftCorner(1, n) = row.transpose();
    l(n, n) = std::sqrt(std::max(diagonal, pivot_floor(m.kernel)));
    Eigen::MatrixXd x(m.x.rows(), n + 1);
    x.leftCols(n) = m.x;
    for (std::size_t i = 0; i < point.size(); ++i) x(static_cast<Eigen::Index>(i), n) = point[i];
    m.l = std::move(l);
    m.x = std::move(x);
    m.targets = false;
}

// The block form of add(): with the factor L of the n old inputs, B = L^-1 K(old, new) and the
// new block's factor the Cholesky factor of K(new, new) + noise - B^T B. Should that fail (new
// inputs that repeat each other or old ones, within rounding), row by row with add()'s floor.
void GaussianProcess::add_many(std::span<const double> inputs) {
    Impl& m = *impl_;
    const Eigen::MatrixXd q = columns_of(inputs, dimension());
    const Eigen::Index n = m.n(), extra = q.cols();
    if (extra == 0) return;
    Eigen::MatrixXd b(n, extra);
    for (Eigen::Index j = 0; j < extra; ++j) b.col(j) = m.cross(q.col(j).data());
    m.l.triangularView<Eigen::Lower>().solveInPlace(b);
    Eigen::MatrixXd schur = kernel_matrix(m.kernel, q);
    schur.noalias() -= b.transpose() * b;
    const Eigen::LLT<Eigen::MatrixXd> llt(schur);
    if (llt.info() != Eigen::Success) {
        for (Eigen::Index j = 0; j < extra; ++j) add(std::span<const double>(q.col(j).data(), dimension()));
        return;
    }
    Eigen::MatrixXd l(n + extra, n + extra);
    l.topLeftCorner(n, n) = m.l;
    l.topRightCorner(n, extra).setZero();
    l.bottomLeftCorner(extra, n) = b.transpose();
    l.bottomRightCorner(extra, extra) = llt.matrixL();
    Eigen::MatrixXd x(m.x.rows(), n + extra);
    x.leftCols(n) = m.x;
    x.rightCols(extra) = q;
    m.l = std::move(l);
    m.x = std::move(x);
    m.targets = false;
}

void GaussianProcess::set_targets(std::span<const double> y) {
    Impl& m = *impl_;
    if (y.size() != size())
        throw std::invalid_argument("gaussian process: " + std::to_string(y.size()) + " targets for " +
                                    std::to_string(size()) + " inputs");
    m.y = Eigen::Map<const Eigen::VectorXd>(y.data(), m.n());
    m.alpha = m.l.triangularView<Eigen::Lower>().solve(m.y);
    m.l.triangularView<Eigen::Lower>().transpose().solveInPlace(m.alpha);
    m.targets = true;
}

Prediction GaussianProcess::predict(std::span<const double> q) const {
    const Impl& m = *impl_;
    m.require_targets();
    if (q.size() != dimension()) throw std::invalid_argument("gaussian process: an input of another dimension");
    const Eigen::VectorXd k = m.cross(q.data());
    const Eigen::VectorXd v = m.l.triangularView<Eigen::Lower>().solve(k);
    return {k.dot(m.alpha), std::max(m.kernel.signal - v.squaredNorm(), 0.0)};
}

// d mean/dx = sum_i alpha_i dk_i/dx and d var/dx = -2 sum_i w_i dk_i/dx, w = K^-1 k.
Prediction GaussianProcess::predict(std::span<const double> q, std::span<double> d_mean,
                                    std::span<double> d_variance) const {
    const Impl& m = *impl_;
    m.require_targets();
    const std::size_t d = dimension();
    if (q.size() != d || d_mean.size() != d || d_variance.size() != d)
        throw std::invalid_argument("gaussian process: an input or gradient of another dimension");
    const Eigen::VectorXd k = m.cross(q.data());
    const Eigen::VectorXd v = m.l.triangularView<Eigen::Lower>().solve(k);
    const Eigen::VectorXd w = m.l.triangularView<Eigen::Lower>().transpose().solve(v);
    std::fill(d_mean.begin(), d_mean.end(), 0.0);
    std::fill(d_variance.begin(), d_variance.end(), 0.0);
    for (Eigen::Index i = 0; i < m.n(); ++i) {
        const double* xi = m.x.col(i).data();
        const double r = std::sqrt(m.kernel.squared_distance(q.data(), xi));
        const double slope = m.kernel.slope_in_r2(r);  // dk/dr^2; dr^2/dq_j = 2 (q_j - x_j) / l_j^2
        for (std::size_t j = 0; j < d; ++j) {
            if (m.kernel.categorical[j]) continue;
            const double dk = 2.0 * slope * (q[j] - xi[j]) * m.kernel.inverse_squared[j];
            d_mean[j] += m.alpha(i) * dk;
            d_variance[j] -= 2.0 * w(i) * dk;
        }
    }
    const double variance = m.kernel.signal - v.squaredNorm();
    if (variance <= 0) std::fill(d_variance.begin(), d_variance.end(), 0.0);
    return {k.dot(m.alpha), std::max(variance, 0.0)};
}

std::vector<Prediction> GaussianProcess::predict_many(std::span<const double> inputs) const {
    const Impl& m = *impl_;
    m.require_targets();
    const Eigen::MatrixXd q = columns_of(inputs, dimension());
    Eigen::MatrixXd k(m.n(), q.cols());
    for (Eigen::Index j = 0; j < q.cols(); ++j)
        for (Eigen::Index i = 0; i < m.n(); ++i) k(i, j) = m.kernel(q.col(j).data(), m.x.col(i).data());
    const Eigen::VectorXd mean = k.transpose() * m.alpha;
    m.l.triangularView<Eigen::Lower>().solveInPlace(k);
    std::vector<Prediction> out(static_cast<std::size_t>(q.cols()));
    for (Eigen::Index j = 0; j < q.cols(); ++j)
        out[static_cast<std::size_t>(j)] = {mean(j), std::max(m.kernel.signal - k.col(j).squaredNorm(), 0.0)};
    return out;
}

std::vector<double> GaussianProcess::predict_means(std::span<const double> inputs) const {
    const Impl& m = *impl_;
    m.require_targets();
    const std::size_t d = dimension();
    if (inputs.size() % d != 0) throw std::invalid_argument("gaussian process: inputs of another dimension");
    std::vector<double> means(inputs.size() / d);
    for (std::size_t j = 0; j < means.size(); ++j) means[j] = m.cross(inputs.data() + j * d).dot(m.alpha);
    return means;
}

double GaussianProcess::log_marginal_likelihood() const {
    const Impl& m = *impl_;
    m.require_targets();
    const double n = static_cast<double>(m.n());
    return -0.5 * m.y.dot(m.alpha) - m.l.diagonal().array().log().sum() -
           0.5 * n * std::log(2.0 * std::numbers::pi);
}

std::vector<double> GaussianProcess::leave_one_out_means() const {
    const Impl& m = *impl_;
    m.require_targets();
    // [K^-1]_jj is the squared norm of column j of L^-1, which is zero above row j: the trailing
    // block's solve gives it (n^3 / 6 in all, not a full inverse).
    const Eigen::Index n = m.n();
    std::vector<double> means(static_cast<std::size_t>(n));
    Eigen::VectorXd column;
    for (Eigen::Index j = 0; j < n; ++j) {
        column = Eigen::VectorXd::Unit(n - j, 0);
        m.l.bottomRightCorner(n - j, n - j).triangularView<Eigen::Lower>().solveInPlace(column);
        means[static_cast<std::size_t>(j)] = m.y(j) - m.alpha(j) / column.squaredNorm();
    }
    return means;
}

// d log p / d theta_j = 1/2 tr((alpha alpha^T - K^-1) dK/dtheta_j). The trace needs the entries
// of K^-1, which come from the factor (a solve against the identity), never from a general
// inverse.
double log_marginal_likelihood(std::span<const InputKind> kinds, std::span<const double> inputs,
                               std::span<const double> y, const Hyperparameters& hyper, std::vector<double>* gradient) {
    const std::vector<InputKind> kind_list(kinds.begin(), kinds.end());
    check(kind_list, hyper);
    const std::size_t d = kinds.size();
    const Kernel kernel(kinds, hyper);
    const Eigen::MatrixXd x = columns_of(inputs, d);
    const Eigen::Index n = x.cols();
    if (y.size() != static_cast<std::size_t>(n))
        throw std::invalid_argument("log_marginal_likelihood: " + std::to_string(y.size()) + " targets for " +
                                    std::to_string(n) + " inputs");
    const Eigen::MatrixXd k = kernel_matrix(kernel, x);
    const Eigen::LLT<Eigen::MatrixXd> llt(k);
    if (llt.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
    const Eigen::Map<const Eigen::VectorXd> targets(y.data(), n);
    const Eigen::VectorXd alpha = llt.solve(targets);
    const Eigen::MatrixXd& l = llt.matrixLLT();
    const double value = -0.5 * targets.dot(alpha) - l.diagonal().array().log().sum() -
                         0.5 * static_cast<double>(n) * std::log(2.0 * std::numbers::pi);
    if (!gradient) return value;

    Eigen::MatrixXd q = llt.solve(Eigen::MatrixXd::Identity(n, n));
    q = alpha * alpha.transpose() - q;  // symmetric
    gradient->assign(d + 2, 0.0);
    std::vector<double>& g = *gradient;
    double signal_term = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
        const double* xj = x.col(j).data();
        for (Eigen::Index i = j + 1; i < n; ++i) {
            const double* xi = x.col(i).data();
            const double r = std::sqrt(kernel.squared_distance(xi, xj));
            const double e = std::exp(-sqrt5 * r);
            const double kij = kernel.signal * (1.0 + sqrt5 * r + (5.0 / 3.0) * r * r) * e;
            // dk/dlog l_m = -2 dk/dr^2 * d_m^2 / l_m^2; the pair counts twice (i,j and j,i).
            const double c = 2.0 * q(i, j) * (5.0 / 3.0) * kernel.signal * (1.0 + sqrt5 * r) * e;
            for (std::size_t m = 0; m < d; ++m) {
                const double dm = kernel.difference(m, xi[m], xj[m]);
                g[m] += c * dm * dm * kernel.inverse_squared[m];
            }
            signal_term += 2.0 * q(i, j) * kij;
        }
        signal_term += q(j, j) * kernel.signal;  // the diagonal: k(x,x) = s, no length-scale term
    }
    for (std::size_t m = 0; m < d; ++m) g[m] *= 0.5;
    g[d] = 0.5 * signal_term;
    g[d + 1] = 0.5 * kernel.noise * q.trace();
    return value;
}

}  // namespace hpo::gp
