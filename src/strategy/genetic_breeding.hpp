// The genetic strategy's breeding (internal to src/strategy): generation 0, selection, crossover
// and mutation. Every function takes the generator it draws from (the deme's), and nothing here
// keeps state between calls: the step sizes are derived from the population itself, so a saved
// population is all a resume needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <vector>

#include "hpo/space/search_space.hpp"

namespace hpo::detail {

struct BreedingSettings {
    double mutation_rate = 0.05;   // per-gene probability of a Gaussian step (--mutation-rate)
    double crossover_rate = 0.33;  // probability that a child has two parents (--crossover-rate)
};

// Generation 0 of every deme: `initial` (the defaults, a random draw where there are none) as the
// first member of deme 0, then the points of one scrambled Sobol sequence (drawn from `rng`),
// dealt to the demes in turn, so that the demes together fill the space. A space beyond the
// Sobol tables' dimension gets uniform random points instead. `shift`, if given, receives the
// sequence's shift (empty: no Sobol sequence), for space_filling_point.
std::vector<std::vector<Point>> initial_populations(const SearchSpace& space, const Point& initial,
                                                    std::size_t demes, std::size_t pop_size,
                                                    std::mt19937_64& rng,
                                                    std::vector<std::uint64_t>* shift = nullptr);

// Point `index` of generation 0's Sobol sequence under `shift` (a later index continues the
// design), or with an empty shift a uniform random point drawn from `rng`.
Point space_filling_point(const SearchSpace& space, std::span<const std::uint64_t> shift, std::uint64_t index,
                          std::mt19937_64& rng);

// The step size of each gene's mutation, in unit-form widths: 0.85 times the spread of the fitter
// half of `ranked` (genes of the candidate parents, fittest first) about the mean of all of them,
// at least 0.02 and at most 0.5, so that steps shrink as the deme converges and stay wide while it
// is spread out. A choice gene gets 0: it mutates by taking another option.
std::vector<double> step_sizes(const SearchSpace& space, std::span<const Point* const> ranked);

// The lower triangle L (d x d, row-major) of the Cholesky factor of the fitter half's covariance
// about the mean of all of `ranked` (fittest first, at least 2), in unit-form widths, plus 0.02²
// on the diagonal, each gene's deviation at most 0.5: the distribution a child's step is drawn
// from (times 0.85), long along the way the deme improves. Choice genes are left out (0 off the
// diagonal).
std::vector<double> step_factor(const SearchSpace& space, std::span<const Point* const> ranked);

struct Bred {
    Point genes;
    std::size_t first = 0;              // rank (index into `ranked`) of the parent picked by tournament
    std::optional<std::size_t> second;  // after a recombination: the fittest other member taking part
};

// Rank of a tournament's winner among `count` candidates ranked fittest first (lower wins; 3 rounds).
std::size_t tournament(std::size_t count, std::mt19937_64& rng);

// One child of `ranked` (at least one member, fittest first). A parent by tournament; with
// probability crossover_rate, weighted intermediate recombination instead: the numeric genes are
// the rank-weighted mean of the fitter half (choices stay the parent's). Then one step is drawn
// from the fitter half's covariance (about the mean of all, times 0.85: long along the way the
// deme improves, the evolution strategies' rank-mu idea, derived from the population so there is
// nothing to save) and each numeric gene takes its component with probability mutation_rate; a
// choice gene takes another option with probability mutation_rate / 4. Steps reflect at the
// bounds. The child always differs from its parents where the space allows, stays inside the
// bounds, and has integral integers and valid choices.
Bred breed(const SearchSpace& space, std::span<const Point* const> ranked, const BreedingSettings& settings,
           std::mt19937_64& rng);

// What breed() derives from `ranked` before it draws: step_factor (empty with fewer than 2
// candidates: steps of 0.5 then) and the widest of step_sizes, at least 0.02 (the step that makes a
// child differ from its parents). The children bred from one ranking share it: computed once, it
// saves two factorizations per child (a screened steady-state proposal breeds up to 32).
struct StepDistribution {
    std::vector<double> factor;
    double widest = 0;
};
StepDistribution step_distribution(const SearchSpace& space, std::span<const Point* const> ranked);

// breed() with `steps` = step_distribution(space, ranked): the same child from the same draws.
Bred breed(const SearchSpace& space, std::span<const Point* const> ranked, const StepDistribution& steps,
           const BreedingSettings& settings, std::mt19937_64& rng);

}  // namespace hpo::detail
