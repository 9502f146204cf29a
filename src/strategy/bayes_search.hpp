// The acquisition search of Bayesian optimization (internal to src/strategy): how the Gaussian
// process sees the space, and the maximization of the acquisition over it.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <vector>

#include "hpo/space/search_space.hpp"
#include "hpo/strategy/bayes.hpp"
#include "hpo/strategy/gaussian_process.hpp"

namespace hpo::detail {

// One GP input per parameter. Float ranges: the unit form (log ranges are linear there).
// Integer ranges: the unit form of the integer, i.e. the centre of its cell, so the kernel only
// ever sees values that can be proposed. Choices: the option's index, compared by equality.
class BayesEncoding {
public:
    explicit BayesEncoding(const SearchSpace& space);

    std::size_t dimension() const { return kinds_.size(); }
    const std::vector<gp::InputKind>& kinds() const { return kinds_; }
    bool discrete(std::size_t i) const { return cardinality_[i] != 0; }
    bool choice(std::size_t i) const { return kinds_[i] == gp::InputKind::categorical; }
    bool all_discrete() const { return all_discrete_; }
    // The number of points of an all-discrete space, saturating at the largest std::uint64_t.
    std::uint64_t discrete_points() const { return discrete_points_; }

    void encode(const Point& native, std::span<double> out) const;
    // Moves the discrete coordinates of a unit point to the centres of their cells.
    void snap(std::span<double> unit) const;
    // The GP input of a unit point; integers are taken as they are (a relaxation, for gradients)
    // unless the point was snapped first.
    void encode_unit(std::span<const double> unit, std::span<double> out) const;

private:
    const SearchSpace* space_;
    std::vector<gp::InputKind> kinds_;
    std::vector<std::size_t> cardinality_;  // 0 for float ranges
    bool all_discrete_ = true;
    std::uint64_t discrete_points_ = 1;
};

// How hard the acquisition search works: the perturbations of each incumbent among the
// candidates, the local refinements after them.
struct SearchEffort {
    std::size_t local_starts = 4;
    int local_iterations = 40;
    std::size_t perturbations_per_incumbent = 24;
};

struct SearchProblem {
    const SearchSpace& space;
    const BayesEncoding& encoding;
    const gp::GaussianProcess& model;  // targets set, standardized
    Acquisition acquisition = Acquisition::ei;
    double best = 0;  // the best standardized loss observed
    std::vector<std::vector<double>> incumbents;  // unit points of the best few results, best first
    std::function<bool(const Point&)> seen;  // evaluated or pending
    bool unseen_remain = true;
    SearchEffort effort = {};
};

// The unit point to propose: the best of many scrambled Sobol candidates and of perturbations of
// the incumbents, refined by bounded L-BFGS from the best few (integers relaxed, choices held)
// and then by a discrete neighbourhood search; never a seen point while an unseen one remains.
std::vector<double> maximize_acquisition(const SearchProblem& problem, std::span<const std::uint64_t> sobol_words,
                                         std::mt19937_64& rng);

// An unseen point of the space by random draws, then by enumeration if the space is small; empty
// if none was found.
Point find_unseen(const SearchSpace& space, const std::function<bool(const Point&)>& seen, std::mt19937_64& rng);

}  // namespace hpo::detail
