// The search space: parameters in order, whole-point conversions, initial and random points.
#include "hpo/space/search_space.hpp"

#include <stdexcept>
#include <string>

#include "hpo/space/parse.hpp"

namespace hpo {
namespace {

// Built on the generator's raw output only: std::uniform_real_distribution is
// implementation-defined, and a seed must give the same points with every standard library.
double draw_unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

void check_size(std::size_t got, std::size_t want) {
    if (got != want)
        throw std::invalid_argument("point has " + std::to_string(got) + " values, the space has " +
                                    std::to_string(want) + " parameters");
}

}  // namespace

SearchSpace::SearchSpace(std::vector<Parameter> parameters) {
    for (auto& p : parameters) add(std::move(p));
}

void SearchSpace::add(Parameter parameter) {
    for (const auto& p : parameters_)
        if (p.flag() == parameter.flag())
            throw SpecError("parameter '" + parameter.flag() + "': duplicate flag (given twice)");
    parameters_.push_back(std::move(parameter));
}

Point SearchSpace::from_unit(const std::vector<double>& unit) const {
    check_size(unit.size(), size());
    Point native(size());
    for (std::size_t i = 0; i < size(); ++i) native[i] = parameters_[i].from_unit(unit[i]);
    return native;
}

std::vector<double> SearchSpace::to_unit(const Point& native) const {
    check_size(native.size(), size());
    std::vector<double> unit(size());
    for (std::size_t i = 0; i < size(); ++i) unit[i] = parameters_[i].to_unit(native[i]);
    return unit;
}

bool SearchSpace::contains(const Point& native) const {
    if (native.size() != size()) return false;
    for (std::size_t i = 0; i < size(); ++i)
        if (!parameters_[i].contains(native[i])) return false;
    return true;
}

// One draw per parameter without a default, in order: the sequence depends on the seed only.
Point SearchSpace::initial_point(std::mt19937_64& rng) const {
    Point point(size());
    for (std::size_t i = 0; i < size(); ++i) {
        const Parameter& p = parameters_[i];
        point[i] = p.has_default() ? p.default_value() : p.from_unit(draw_unit(rng));
    }
    return point;
}

Point SearchSpace::random_point(std::mt19937_64& rng) const {
    Point point(size());
    for (std::size_t i = 0; i < size(); ++i) point[i] = parameters_[i].from_unit(draw_unit(rng));
    return point;
}

}  // namespace hpo
