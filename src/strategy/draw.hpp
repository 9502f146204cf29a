// Seeded random draws, small checks and the plain proposal shared by the strategies (internal to
// src/strategy).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "hpo/trial.hpp"

namespace hpo::detail {

// A proposal that is an id and its values only (random, grid, bayes: deme 0, generation 0, no
// parent), built field by field: the aggregate's braces would leave its later members unnamed.
inline Proposal plain_proposal(TrialId id, Point values) {
    Proposal p;
    p.id = id;
    p.values = std::move(values);
    return p;
}

// Built on the generator's raw output only: std:: distributions are implementation-defined,
// and a seed must give the same proposals with every standard library.
inline double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Uniform in [0, n), without modulo bias; n > 0.
inline std::size_t uniform_index(std::mt19937_64& rng, std::size_t n) {
    const std::uint64_t range = n;
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                                std::numeric_limits<std::uint64_t>::max() % range;
    std::uint64_t x;
    do x = rng();
    while (x >= limit);
    return static_cast<std::size_t>(x % range);
}

inline bool bernoulli(std::mt19937_64& rng, double p) { return uniform01(rng) < p; }

// Box-Muller; one value per call keeps the number of draws per call fixed.
inline double standard_normal(std::mt19937_64& rng) {
    const double u1 = 1.0 - uniform01(rng);  // (0,1], so the log is finite
    const double u2 = uniform01(rng);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

inline void check_deme(std::string_view strategy, int deme, int num_demes) {
    if (deme != -1 && (deme < 0 || deme >= num_demes))
        throw std::invalid_argument(std::string(strategy) + ": no deme " + std::to_string(deme) +
                                    " (there are " + std::to_string(num_demes) + ")");
}

[[noreturn]] inline void unknown_trial(std::string_view strategy, std::uint64_t id) {
    throw std::invalid_argument(std::string(strategy) + ": tell() of trial " + std::to_string(id) +
                                ", which is not pending (never proposed, or already told)");
}

}  // namespace hpo::detail
