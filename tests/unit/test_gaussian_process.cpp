// The Gaussian process, the acquisition functions and the bounded L-BFGS, against independent
// computations.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "../../src/strategy/gp_fit.hpp"
#include "../../src/strategy/lbfgsb.hpp"
#include "hpo/strategy/acquisition.hpp"
#include "hpo/strategy/gaussian_process.hpp"

using namespace hpo;
using gp::InputKind;

namespace {

// The Matérn 5/2 kernel of one continuous input, written out again.
double matern(double a, double b, double length, double signal) {
    const double r = std::abs(a - b) / length;
    return signal * (1 + std::sqrt(5.0) * r + 5.0 / 3.0 * r * r) * std::exp(-std::sqrt(5.0) * r);
}

using Matrix3 = std::array<std::array<double, 3>, 3>;

double det3(const Matrix3& m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

// K^-1 b by Cramer's rule: independent of any factorization.
std::array<double, 3> solve3(const Matrix3& m, const std::array<double, 3>& b) {
    const double d = det3(m);
    std::array<double, 3> x{};
    for (int c = 0; c < 3; ++c) {
        Matrix3 mc = m;
        for (int r = 0; r < 3; ++r) mc[r][c] = b[r];
        x[c] = det3(mc) / d;
    }
    return x;
}

double dot3(const std::array<double, 3>& a, const std::array<double, 3>& b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

struct ThreePoints {
    double length = 0.3, signal = 1.7, noise = 0.01;
    std::array<double, 3> x{0.1, 0.45, 0.8}, y{0.5, -1.2, 0.9};

    gp::Hyperparameters hyper() const { return {{length}, signal, noise}; }
    Matrix3 k() const {
        Matrix3 m{};
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) m[i][j] = matern(x[i], x[j], length, signal) + (i == j ? noise : 0.0);
        return m;
    }
    std::array<double, 3> cross(double q) const {
        return {matern(q, x[0], length, signal), matern(q, x[1], length, signal), matern(q, x[2], length, signal)};
    }
    double mean(double q) const { return dot3(cross(q), solve3(k(), y)); }
    double variance(double q) const { return signal - dot3(cross(q), solve3(k(), cross(q))); }
    double log_likelihood() const {
        return -0.5 * dot3(y, solve3(k(), y)) - 0.5 * std::log(det3(k())) - 1.5 * std::log(2 * std::numbers::pi);
    }
};

// How the factor is built: at once (reset), row by row (add) or as a block after the first (add_many).
enum class Build { at_once, row_by_row, block };

gp::GaussianProcess fitted(const ThreePoints& c, Build build = Build::at_once) {
    gp::GaussianProcess model({InputKind::continuous}, c.hyper());
    switch (build) {
    case Build::at_once: model.reset(std::vector<double>(c.x.begin(), c.x.end())); break;
    case Build::row_by_row:
        model.reset(std::vector<double>{c.x[0]});
        model.add(std::vector<double>{c.x[1]});
        model.add(std::vector<double>{c.x[2]});
        break;
    case Build::block:
        model.reset(std::vector<double>{c.x[0]});
        model.add_many(std::vector<double>{c.x[1], c.x[2]});
        break;
    }
    model.set_targets(std::vector<double>(c.y.begin(), c.y.end()));
    return model;
}

// A mixed data set: two continuous inputs and one categorical of three options.
struct Mixed {
    std::vector<InputKind> kinds{InputKind::continuous, InputKind::categorical, InputKind::continuous};
    std::vector<double> inputs, y;
    Mixed() {
        std::mt19937_64 rng(5);
        std::uniform_real_distribution<double> u(0, 1);
        for (int i = 0; i < 9; ++i) {
            const double a = u(rng), option = static_cast<double>(i % 3), b = u(rng);
            inputs.insert(inputs.end(), {a, option, b});
            y.push_back(std::sin(5 * a) + 0.5 * option - b * b);
        }
    }
};

double relative(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

}  // namespace

TEST_CASE("posterior mean and variance of a 3-point case agree with a direct computation", "[gp]") {
    const ThreePoints c;
    for (Build build : {Build::at_once, Build::row_by_row, Build::block}) {
        INFO("factor built " << (build == Build::at_once      ? "at once"
                                 : build == Build::row_by_row ? "row by row"
                                                              : "as a block"));
        const gp::GaussianProcess model = fitted(c, build);
        for (double q : {0.0, 0.1, 0.3, 0.45, 0.62, 1.0, 2.5}) {
            INFO("at " << q);
            const gp::Prediction p = model.predict(std::vector<double>{q});
            CHECK(p.mean == Approx(c.mean(q)).epsilon(1e-10).margin(1e-12));
            CHECK(p.variance == Approx(c.variance(q)).epsilon(1e-9).margin(1e-12));
        }
        CHECK(model.log_marginal_likelihood() == Approx(c.log_likelihood()).epsilon(1e-12));
    }
    // Far from the data the prior returns: mean 0, variance the signal variance.
    const gp::Prediction far = fitted(c).predict(std::vector<double>{50.0});
    CHECK(far.mean == Approx(0).margin(1e-12));
    CHECK(far.variance == Approx(c.signal).epsilon(1e-12));
    // At a training input the variance is below the noise: the data pins the function there.
    CHECK(fitted(c).predict(std::vector<double>{0.45}).variance < c.noise);
}

TEST_CASE("a block of inputs added at once gives the model of adding them one by one", "[gp]") {
    const Mixed m;
    const gp::Hyperparameters h{{0.3, 0.7, 0.5}, 1.3, 0.02};
    const std::vector<double> first(m.inputs.begin(), m.inputs.begin() + 9);  // 3 points
    const std::vector<double> rest(m.inputs.begin() + 9, m.inputs.end());     // 6 points
    gp::GaussianProcess by_rows(m.kinds, h), by_block(m.kinds, h);
    by_rows.reset(first);
    by_block.reset(first);
    for (std::size_t i = 0; i < rest.size(); i += 3) by_rows.add(std::span<const double>(rest).subspan(i, 3));
    by_block.add_many(rest);
    REQUIRE(by_block.size() == 9);
    by_rows.set_targets(m.y);
    by_block.set_targets(m.y);
    for (const std::vector<double> q : {std::vector<double>{0.2, 1.0, 0.8}, std::vector<double>{0.9, 0.0, 0.1}}) {
        CHECK(by_block.predict(q).mean == Approx(by_rows.predict(q).mean).epsilon(1e-10));
        CHECK(by_block.predict(q).variance == Approx(by_rows.predict(q).variance).epsilon(1e-9).margin(1e-12));
    }
    CHECK(by_block.log_marginal_likelihood() == Approx(by_rows.log_marginal_likelihood()).epsilon(1e-10));

    // A block that repeats an input, with almost no noise: singular within rounding, whether the
    // block's factor or the row-by-row fallback takes it, the model predicts like the model of the
    // distinct inputs.
    const gp::Hyperparameters tiny_noise{{0.3, 0.7, 0.5}, 1.3, 1e-12};
    gp::GaussianProcess repeated(m.kinds, tiny_noise), distinct(m.kinds, tiny_noise);
    repeated.reset(first);
    distinct.reset(first);
    std::vector<double> twice(rest.begin(), rest.begin() + 3);
    twice.insert(twice.end(), rest.begin(), rest.begin() + 3);
    repeated.add_many(twice);
    distinct.add(std::span<const double>(rest).subspan(0, 3));
    REQUIRE(repeated.size() == 5);
    std::vector<double> y5(m.y.begin(), m.y.begin() + 4);
    y5.push_back(m.y[3]);
    repeated.set_targets(y5);
    distinct.set_targets(std::vector<double>(m.y.begin(), m.y.begin() + 4));
    const std::vector<double> q{0.4, 2.0, 0.3};
    CHECK(std::isfinite(repeated.predict(q).mean));
    CHECK(repeated.predict(q).mean == Approx(distinct.predict(q).mean).epsilon(1e-4));
    CHECK_THROWS_AS(repeated.add_many(std::vector<double>{0.1, 1.0}), std::invalid_argument);
}

TEST_CASE("leave-one-out means are the means of the models of the other inputs", "[gp]") {
    const Mixed m;
    const gp::Hyperparameters h{{0.3, 0.7, 0.5}, 1.3, 0.02};
    gp::GaussianProcess all(m.kinds, h);
    all.reset(m.inputs);
    all.set_targets(m.y);
    const std::vector<double> loo = all.leave_one_out_means();
    REQUIRE(loo.size() == m.y.size());
    for (std::size_t i = 0; i < m.y.size(); ++i) {
        std::vector<double> inputs, y;
        for (std::size_t j = 0; j < m.y.size(); ++j) {
            if (j == i) continue;
            inputs.insert(inputs.end(), m.inputs.begin() + 3 * j, m.inputs.begin() + 3 * j + 3);
            y.push_back(m.y[j]);
        }
        gp::GaussianProcess others(m.kinds, h);
        others.reset(inputs);
        others.set_targets(y);
        const std::vector<double> left_out(m.inputs.begin() + 3 * i, m.inputs.begin() + 3 * i + 3);
        CHECK(loo[i] == Approx(others.predict(left_out).mean).epsilon(1e-8).margin(1e-12));
    }
}

TEST_CASE("the kernel: categorical inputs count by equality only", "[gp]") {
    const std::vector<InputKind> kinds{InputKind::continuous, InputKind::categorical};
    const gp::Hyperparameters h{{0.5, 0.8}, 2.0, 1e-3};
    const double a[] = {0.2, 0.0}, b[] = {0.2, 1.0}, c[] = {0.2, 2.0}, same[] = {0.2, 0.0};
    CHECK(gp::matern52(kinds, h, a, same) == Approx(2.0));
    CHECK(gp::matern52(kinds, h, a, b) == Approx(matern(0, 1, 0.8, 2.0)));
    CHECK(gp::matern52(kinds, h, a, c) == gp::matern52(kinds, h, a, b));  // options 0..2 equally far apart
    CHECK_THROWS_AS(gp::GaussianProcess(kinds, {{0.5}, 1.0, 1e-3}), std::invalid_argument);
    CHECK_THROWS_AS(gp::GaussianProcess(kinds, {{0.5, -1.0}, 1.0, 1e-3}), std::invalid_argument);
    CHECK_THROWS_AS(gp::GaussianProcess(kinds, {{0.5, 1.0}, 1.0, 0.0}), std::invalid_argument);
}

TEST_CASE("gradients of the posterior in the input agree with finite differences", "[gp]") {
    const Mixed m;
    gp::GaussianProcess model(m.kinds, {{0.3, 0.7, 0.5}, 1.3, 1e-4});
    model.reset(m.inputs);
    model.set_targets(m.y);
    const std::vector<double> q{0.37, 1.0, 0.61};
    std::vector<double> d_mean(3), d_var(3);
    model.predict(q, d_mean, d_var);
    CHECK(d_mean[1] == 0.0);  // categorical: no gradient
    CHECK(d_var[1] == 0.0);
    for (std::size_t j : {0u, 2u}) {
        const double h = 1e-6;
        std::vector<double> up = q, down = q;
        up[j] += h;
        down[j] -= h;
        const gp::Prediction pu = model.predict(up), pd = model.predict(down);
        CHECK(d_mean[j] == Approx((pu.mean - pd.mean) / (2 * h)).epsilon(1e-5));
        CHECK(d_var[j] == Approx((pu.variance - pd.variance) / (2 * h)).epsilon(1e-5));
    }
    // predict_many agrees with predict.
    const std::vector<double> many{0.37, 1.0, 0.61, 0.9, 2.0, 0.05};
    const auto batch = model.predict_many(many);
    REQUIRE(batch.size() == 2);
    CHECK(batch[0].mean == Approx(model.predict(q).mean).epsilon(1e-12));
    CHECK(batch[1].variance == Approx(model.predict(std::vector<double>{0.9, 2.0, 0.05}).variance).epsilon(1e-10));
    // predict_means too, and refuses a partial input.
    const auto means = model.predict_means(many);
    REQUIRE(means.size() == 2);
    CHECK(means[0] == Approx(batch[0].mean).epsilon(1e-12));
    CHECK(means[1] == Approx(batch[1].mean).epsilon(1e-12));
    CHECK_THROWS_AS(model.predict_means(std::vector<double>{0.1, 1.0}), std::invalid_argument);
}

TEST_CASE("the log marginal likelihood and its gradient in the hyperparameters", "[gp]") {
    const ThreePoints c;
    CHECK(gp::log_marginal_likelihood(std::vector<InputKind>{InputKind::continuous}, c.x, c.y, c.hyper()) ==
          Approx(c.log_likelihood()).epsilon(1e-12));

    const Mixed m;
    const gp::Hyperparameters h{{0.3, 0.7, 0.5}, 1.3, 0.02};
    std::vector<double> gradient;
    gp::log_marginal_likelihood(m.kinds, m.inputs, m.y, h, &gradient);
    REQUIRE(gradient.size() == 5);
    // theta = (log l_1..3, log signal, log noise); central differences in theta.
    auto at = [&](std::size_t j, double step) {
        gp::Hyperparameters moved = h;
        if (j < 3) moved.length_scales[j] *= std::exp(step);
        else if (j == 3) moved.signal_variance *= std::exp(step);
        else moved.noise_variance *= std::exp(step);
        return gp::log_marginal_likelihood(m.kinds, m.inputs, m.y, moved);
    };
    for (std::size_t j = 0; j < 5; ++j) {
        INFO("theta " << j);
        const double step = 1e-5;
        const double numeric = (at(j, step) - at(j, -step)) / (2 * step);
        CHECK(gradient[j] == Approx(numeric).epsilon(1e-5).margin(1e-7));
    }
}

TEST_CASE("hyperparameter fits: more likely than the priors' modes; a warm-only fit draws nothing", "[gp]") {
    const Mixed m;
    const gp::Hyperparameters modes = detail::default_hyperparameters(3);
    const double at_modes = gp::log_marginal_likelihood(m.kinds, m.inputs, m.y, modes);
    std::mt19937_64 rng(3);
    const gp::Hyperparameters fitted_all = detail::fit_hyperparameters(m.kinds, m.inputs, m.y, nullptr, rng);
    CHECK(gp::log_marginal_likelihood(m.kinds, m.inputs, m.y, fitted_all) > at_modes);

    // From a previous fit alone: no start is drawn, and the fit moves uphill from where it starts.
    std::mt19937_64 before = rng;
    const gp::Hyperparameters warm = detail::fit_hyperparameters(m.kinds, m.inputs, m.y, &modes, rng, true);
    CHECK(rng == before);
    CHECK(gp::log_marginal_likelihood(m.kinds, m.inputs, m.y, warm) > at_modes);
    // Without a previous fit there is nothing to start warm from: every start is used, one drawn.
    detail::fit_hyperparameters(m.kinds, m.inputs, m.y, nullptr, rng, true);
    CHECK_FALSE(rng == before);
}

TEST_CASE("log EI agrees with the naive formula where that is accurate, and stays finite beyond", "[gp][acquisition]") {
    const auto naive_h = [](long double z) {
        const long double cdf = 0.5L * std::erfc(-z / std::sqrt(2.0L));
        const long double pdf = std::exp(-0.5L * z * z) / std::sqrt(2.0L * std::numbers::pi_v<long double>);
        return pdf + z * cdf;
    };
    // Long double carries 11 more bits than double: enough for the cancellation down to z = -30.
    for (double z = -30; z <= 8; z += 0.125) {
        INFO("z = " << z);
        CHECK(gp::log_h(z) == Approx(static_cast<double>(std::log(naive_h(z)))).epsilon(1e-12));
    }
    // EI itself in double, where it does not cancel: sd * h(z).
    const double mean = 0.3, sd = 0.7, best = 0.1;
    const double z = (best - mean) / sd;
    const double naive =
        sd * (0.5 * std::erfc(-z / std::sqrt(2.0)) * z + std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi));
    CHECK(std::exp(gp::log_expected_improvement(mean, sd, best).value) == Approx(naive).epsilon(1e-13));

    // Far below, h(z) underflows (at z = -40 already), but its log follows the asymptote
    // -z^2/2 - log sqrt(2 pi) - 2 log|z| + log(1 - 3u + 15u^2 - 105u^3 + ...), u = 1/z^2.
    for (double zz : {-40.0, -100.0, -1e3, -1e5, -1e7}) {
        INFO("z = " << zz);
        CHECK(naive_h(zz) < 1e-300);
        const double u = 1 / (zz * zz);
        const double asymptote = -0.5 * zz * zz - std::log(std::sqrt(2 * std::numbers::pi)) - 2 * std::log(-zz) +
                                 (-3 * u + 10.5 * u * u - 69 * u * u * u);
        CHECK(std::isfinite(gp::log_h(zz)));
        CHECK(gp::log_h(zz) == Approx(asymptote).epsilon(1e-14).margin(1e-9));
    }
    // Monotone, with the slope of finite differences, across the branch at z = -3.
    double previous = -INFINITY;
    for (double zz = -60; zz <= 10; zz += 0.01) {
        const double v = gp::log_h(zz);
        REQUIRE(v > previous);
        previous = v;
    }
    for (double zz : {-50.0, -10.0, -3.0 - 1e-9, -3.0, -1.0, 0.0, 2.0, 6.0}) {
        INFO("z = " << zz);
        const double step = 1e-6 * std::max(1.0, std::abs(zz));
        CHECK(gp::log_h_slope(zz) == Approx((gp::log_h(zz + step) - gp::log_h(zz - step)) / (2 * step)).epsilon(1e-6));
    }
    // The derivatives of log EI in the mean and the standard deviation.
    for (double m : {-2.0, 0.4, 5.0, 40.0}) {
        const gp::AcquisitionValue a = gp::log_expected_improvement(m, 0.5, 0.1);
        const double h = 1e-6;
        CHECK(a.d_mean == Approx((gp::log_expected_improvement(m + h, 0.5, 0.1).value -
                                  gp::log_expected_improvement(m - h, 0.5, 0.1).value) /
                                 (2 * h))
                              .epsilon(1e-6)
                              .margin(1e-6));
        CHECK(a.d_sd == Approx((gp::log_expected_improvement(m, 0.5 + h, 0.1).value -
                                gp::log_expected_improvement(m, 0.5 - h, 0.1).value) /
                               (2 * h))
                            .epsilon(1e-6)
                            .margin(1e-6));
    }
    const gp::AcquisitionValue u = gp::upper_confidence_bound(1.0, 0.5, 2.0);
    CHECK(u.value == Approx(0.0));
    CHECK(u.d_mean == -1.0);
    CHECK(u.d_sd == 2.0);
}

TEST_CASE("bounded L-BFGS finds interior and boundary optima", "[gp][lbfgsb]") {
    // Rosenbrock: the optimum (1,1) inside the box, then cut off by x <= 0.5, where the
    // constrained optimum is (0.5, 0.25).
    const detail::Objective rosenbrock = [](const std::vector<double>& x, std::vector<double>& g) {
        const double a = 1 - x[0], b = x[1] - x[0] * x[0];
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
        return a * a + 100 * b * b;
    };
    detail::LbfgsbOptions options;
    options.max_iterations = 500;
    options.max_evaluations = 2000;
    options.value_tolerance = 0;
    options.gradient_tolerance = 1e-9;
    const auto inside = detail::minimize_bounded(rosenbrock, {-1.2, 1.0}, {-2, -2}, {2, 2}, options);
    CHECK(inside.x[0] == Approx(1).epsilon(1e-5));
    CHECK(inside.x[1] == Approx(1).epsilon(1e-5));
    const auto cut = detail::minimize_bounded(rosenbrock, {-1.2, 1.0}, {-2, -2}, {0.5, 2}, options);
    CHECK(cut.x[0] == 0.5);
    CHECK(cut.x[1] == Approx(0.25).epsilon(1e-6));
    CHECK(cut.value == Approx(0.25).epsilon(1e-9));

    // A quadratic pulled outside the box in two coordinates of three: those stay at their bounds.
    const detail::Objective bowl = [](const std::vector<double>& x, std::vector<double>& g) {
        const double c[] = {-1.0, 0.3, 2.0};
        double f = 0;
        for (int i = 0; i < 3; ++i) {
            g[i] = 2 * (i + 1) * (x[i] - c[i]);
            f += (i + 1) * (x[i] - c[i]) * (x[i] - c[i]);
        }
        return f;
    };
    const auto r = detail::minimize_bounded(bowl, {0.5, 0.5, 0.5}, {0, 0, 0}, {1, 1, 1});
    CHECK(r.converged);
    CHECK(r.x[0] == 0.0);
    CHECK(r.x[1] == Approx(0.3).epsilon(1e-6));
    CHECK(r.x[2] == 1.0);
    // The start is clamped into the box; a start outside its bounds is no error.
    CHECK(detail::minimize_bounded(bowl, {-5, 9, 9}, {0, 0, 0}, {1, 1, 1}).x[1] == Approx(0.3).epsilon(1e-6));
    CHECK_THROWS_AS(detail::minimize_bounded(bowl, {0, 0, 0}, {0, 0}, {1, 1, 1}), std::invalid_argument);
}
