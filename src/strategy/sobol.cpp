// Scrambled Sobol points from Boost.Random's generator.
#include "sobol.hpp"

#include <boost/random/sobol.hpp>
#include <stdexcept>
#include <string>

namespace hpo::detail {
namespace {

using Engine = boost::random::sobol_engine<std::uint64_t, 64>;

// The top 53 bits, centred in their cell: never exactly 0 or 1.
double to_unit(std::uint64_t word) { return (static_cast<double>(word >> 11) + 0.5) * 0x1.0p-53; }

}  // namespace

std::size_t SobolSequence::max_dimension() { return boost::random::default_sobol_table::max_dimension; }

SobolSequence::SobolSequence(std::size_t dimension) : dimension_(dimension) {
    if (dimension == 0 || dimension > max_dimension())
        throw std::invalid_argument("sobol: dimension " + std::to_string(dimension) + " is not in [1," +
                                    std::to_string(max_dimension()) + "]");
}

std::vector<std::uint64_t> SobolSequence::draw_shift(std::mt19937_64& rng) const {
    std::vector<std::uint64_t> shift(dimension_);
    for (auto& word : shift) word = rng();
    return shift;
}

void SobolSequence::point(std::uint64_t index, std::span<const std::uint64_t> shift, std::span<double> out) const {
    if (shift.size() != dimension_ || out.size() != dimension_) throw std::invalid_argument("sobol: wrong dimension");
    Engine engine(dimension_);
    engine.seed(index);  // a direct jump: the Gray-code state of point `index`
    for (std::size_t i = 0; i < dimension_; ++i) out[i] = to_unit(engine() ^ shift[i]);
}

std::vector<std::uint64_t> SobolSequence::words(std::size_t count) const {
    std::vector<std::uint64_t> out(count * dimension_);
    Engine engine(dimension_);
    for (auto& word : out) word = engine();
    return out;
}

void SobolSequence::shifted(std::span<const std::uint64_t> words, std::span<const std::uint64_t> shift,
                            std::span<double> out) {
    if (shift.empty() || words.size() % shift.size() != 0 || out.size() != words.size())
        throw std::invalid_argument("sobol: wrong dimension");
    for (std::size_t k = 0; k < words.size(); ++k) out[k] = to_unit(words[k] ^ shift[k % shift.size()]);
}

}  // namespace hpo::detail
