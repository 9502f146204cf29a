// Bounded limited-memory BFGS (internal to src/strategy): the local optimizer of the GP's
// hyperparameters and of the acquisition function.
//
// A projected L-BFGS: variables at a bound whose gradient points outwards are held there, the
// two-loop recursion acts on the others, and a backtracking line search along the projected path
// keeps every iterate inside the box (Armijo condition on the projected step). For the small,
// smooth problems of Bayesian optimization (a handful to a few dozen variables) this reaches the
// same optima as the Cauchy-point L-BFGS-B of Byrd, Lu, Nocedal and Zhu with far less code.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace hpo::detail {

// Returns f(x) and writes its gradient; a non-finite value marks x as infeasible (the line search
// then steps back).
using Objective = std::function<double(const std::vector<double>& x, std::vector<double>& gradient)>;

struct LbfgsbOptions {
    int max_iterations = 100;
    int max_evaluations = 400;
    std::size_t memory = 8;
    double gradient_tolerance = 1e-6;  // on the infinity norm of the projected gradient
    double value_tolerance = 1e-10;    // relative decrease of f that counts as no progress
};

struct LbfgsbResult {
    std::vector<double> x;
    double value = 0;
    int iterations = 0;
    int evaluations = 0;
    bool converged = false;  // a tolerance was met (else a limit stopped it)
};

// Minimizes f over lower <= x <= upper from x0 (clamped into the box first). Deterministic: the
// same inputs give the same iterates bit for bit.
LbfgsbResult minimize_bounded(const Objective& f, std::vector<double> x0, const std::vector<double>& lower,
                              const std::vector<double>& upper, const LbfgsbOptions& options = {});

}  // namespace hpo::detail
