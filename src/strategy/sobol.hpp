// Scrambled Sobol points in the unit cube (internal to src/strategy): the initial design of
// Bayesian optimization and the quasi-random starts of its acquisition search.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace hpo::detail {

// The Joe-Kuo Sobol sequence (Boost.Random's tables, up to max_dimension inputs) with a random
// digital shift: each coordinate's bits are XORed with a fixed random word, which keeps the
// sequence's stratification and makes it one of many equally good sequences, chosen by a seed.
class SobolSequence {
public:
    static std::size_t max_dimension();

    explicit SobolSequence(std::size_t dimension);  // throws std::invalid_argument beyond max_dimension

    std::size_t dimension() const { return dimension_; }

    // A digital shift drawn from rng: dimension() words.
    std::vector<std::uint64_t> draw_shift(std::mt19937_64& rng) const;

    // Point `index` of the sequence under `shift`, inside the open cube (0,1)^d.
    void point(std::uint64_t index, std::span<const std::uint64_t> shift, std::span<double> out) const;

    // Points 0..count-1 unshifted, as words, row after row: a set reused under many shifts.
    std::vector<std::uint64_t> words(std::size_t count) const;
    static void shifted(std::span<const std::uint64_t> words, std::span<const std::uint64_t> shift,
                        std::span<double> out);

private:
    std::size_t dimension_;
};

}  // namespace hpo::detail
