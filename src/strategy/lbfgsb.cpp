// Bounded limited-memory BFGS: projected two-loop direction and a projected backtracking search.
#include "lbfgsb.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>

namespace hpo::detail {
namespace {

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

struct Pair {
    std::vector<double> s, y;
    double rho;
};

// A variable is held at its bound when the gradient pushes it out of the box.
std::vector<bool> held_at_bounds(const std::vector<double>& x, const std::vector<double>& g,
                                 const std::vector<double>& lower, const std::vector<double>& upper) {
    std::vector<bool> held(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        held[i] = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) || lower[i] == upper[i];
    return held;
}

// -H g over the free variables (the two-loop recursion), zero on the held ones.
std::vector<double> direction(const std::vector<double>& g, const std::vector<bool>& held,
                              const std::deque<Pair>& memory) {
    const std::size_t n = g.size();
    std::vector<double> q(n);
    for (std::size_t i = 0; i < n; ++i) q[i] = held[i] ? 0.0 : g[i];
    std::vector<double> a(memory.size());
    for (std::size_t k = memory.size(); k-- > 0;) {
        a[k] = memory[k].rho * dot(memory[k].s, q);
        for (std::size_t i = 0; i < n; ++i) q[i] -= a[k] * memory[k].y[i];
    }
    double gamma = 1.0;
    if (!memory.empty()) {
        const Pair& last = memory.back();
        gamma = dot(last.s, last.y) / dot(last.y, last.y);
    }
    for (std::size_t i = 0; i < n; ++i) q[i] *= gamma;
    for (std::size_t k = 0; k < memory.size(); ++k) {
        const double b = memory[k].rho * dot(memory[k].y, q);
        for (std::size_t i = 0; i < n; ++i) q[i] += (a[k] - b) * memory[k].s[i];
    }
    for (std::size_t i = 0; i < n; ++i) q[i] = held[i] ? 0.0 : -q[i];
    return q;
}

}  // namespace

LbfgsbResult minimize_bounded(const Objective& f, std::vector<double> x0, const std::vector<double>& lower,
                              const std::vector<double>& upper, const LbfgsbOptions& options) {
    const std::size_t n = x0.size();
    if (lower.size() != n || upper.size() != n) throw std::invalid_argument("minimize_bounded: bounds of another size");
    for (std::size_t i = 0; i < n; ++i) {
        if (!(lower[i] <= upper[i])) throw std::invalid_argument("minimize_bounded: lower bound above upper bound");
        x0[i] = std::clamp(x0[i], lower[i], upper[i]);
    }
    LbfgsbResult result;
    result.x = std::move(x0);
    std::vector<double> g(n, 0.0);
    result.value = f(result.x, g);
    result.evaluations = 1;
    if (!std::isfinite(result.value)) return result;

    double box = 0;  // the largest side of the box: no step is longer
    for (std::size_t i = 0; i < n; ++i) box = std::max(box, upper[i] - lower[i]);

    std::deque<Pair> memory;
    std::vector<double> trial(n), g_trial(n);
    while (result.iterations < options.max_iterations && result.evaluations < options.max_evaluations) {
        const std::vector<bool> held = held_at_bounds(result.x, g, lower, upper);
        double projected = 0;
        for (std::size_t i = 0; i < n; ++i)
            if (!held[i]) projected = std::max(projected, std::abs(g[i]));
        if (projected <= options.gradient_tolerance) {
            result.converged = true;
            break;
        }
        std::vector<double> d = direction(g, held, memory);
        double slope = dot(g, d);
        if (!(slope < 0)) {  // not a descent direction: forget the curvature, go downhill
            memory.clear();
            d = direction(g, held, memory);
            slope = dot(g, d);
        }
        double longest = 0;
        for (double v : d) longest = std::max(longest, std::abs(v));
        if (!(longest > 0)) {
            result.converged = true;
            break;
        }
        // Without curvature information the gradient's length says nothing about the step's.
        double step = memory.empty() ? std::min(1.0, 0.1 * box / longest) : std::min(1.0, box / longest);

        bool accepted = false;
        double value = 0;
        while (result.evaluations < options.max_evaluations) {
            for (std::size_t i = 0; i < n; ++i) trial[i] = std::clamp(result.x[i] + step * d[i], lower[i], upper[i]);
            double decrease = 0;  // g . (trial - x): the projected step's first-order change
            for (std::size_t i = 0; i < n; ++i) decrease += g[i] * (trial[i] - result.x[i]);
            if (trial == result.x) break;
            value = f(trial, g_trial);
            ++result.evaluations;
            if (std::isfinite(value) && value <= result.value + 1e-4 * decrease) {
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if (!accepted) {
            if (memory.empty()) {
                result.converged = true;  // no descent along the gradient either: a (local) optimum
                break;
            }
            memory.clear();
            ++result.iterations;
            continue;
        }
        Pair pair{std::vector<double>(n), std::vector<double>(n), 0.0};
        for (std::size_t i = 0; i < n; ++i) {
            pair.s[i] = trial[i] - result.x[i];
            pair.y[i] = g_trial[i] - g[i];
        }
        const double sy = dot(pair.s, pair.y);
        // Only pairs of positive curvature keep the inverse Hessian positive definite.
        if (sy > 1e-12 * dot(pair.y, pair.y) && sy > 0) {
            pair.rho = 1.0 / sy;
            memory.push_back(std::move(pair));
            if (memory.size() > options.memory) memory.pop_front();
        }
        const double previous = result.value;
        result.x = trial;
        g = g_trial;
        result.value = value;
        ++result.iterations;
        if (previous - value <= options.value_tolerance * std::max({std::abs(previous), std::abs(value), 1.0})) {
            result.converged = true;
            break;
        }
    }
    return result;
}

}  // namespace hpo::detail
