// Mutation and crossover on genotypes, in the unit form of the space (internal to src/strategy).
#pragma once

#include <random>

#include "hpo/space/search_space.hpp"

namespace hpo::detail {

// Gaussian steps are taken in the unit form, so log parameters mutate on their log scale.
struct MutationSettings {
    double rate = 0.05;   // per-gene probability of a mutation
    double sigma = 0.1;   // standard deviation of a step, in unit-form widths
};

// False for a parameter with a single possible value (a one-option choice).
bool can_change(const Parameter& parameter);

// Gives gene `i` a different value: a Gaussian step reflected at the ends of [0,1]; an integer
// whose step rounds back to itself moves to a neighbour; a choice takes another option at random.
void mutate_gene(const SearchSpace& space, Point& genes, std::size_t i, double sigma, std::mt19937_64& rng);

// Every gene mutated with probability `rate`.
void mutate(const SearchSpace& space, Point& genes, const MutationSettings& settings, std::mt19937_64& rng);

// If `genes` equals `parent`, one changeable gene picked at random is mutated, so that breeding
// always moves the search. Nothing happens in a space where no gene can change.
void ensure_differs(const SearchSpace& space, Point& genes, const Point& parent, double sigma,
                    std::mt19937_64& rng);

// Each gene from `a` or `b` with equal probability.
Point uniform_crossover(const Point& a, const Point& b, std::mt19937_64& rng);

}  // namespace hpo::detail
