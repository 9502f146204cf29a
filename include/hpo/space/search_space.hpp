// The ordered set of hyperparameters a run searches over.
#pragma once

#include <cstddef>
#include <random>
#include <vector>

#include "hpo/space/parameter.hpp"

namespace hpo {

using Point = std::vector<double>;  // native values, one per parameter, in the space's order

class SearchSpace {
public:
    SearchSpace() = default;
    explicit SearchSpace(std::vector<Parameter> parameters);  // throws on a duplicate flag

    void add(Parameter parameter);  // throws on a duplicate flag

    std::size_t size() const { return parameters_.size(); }
    bool empty() const { return parameters_.empty(); }
    const Parameter& operator[](std::size_t i) const { return parameters_[i]; }
    const std::vector<Parameter>& parameters() const { return parameters_; }
    auto begin() const { return parameters_.begin(); }
    auto end() const { return parameters_.end(); }

    Point from_unit(const std::vector<double>& unit) const;
    std::vector<double> to_unit(const Point& native) const;
    bool contains(const Point& native) const;

    // Defaults where given, a uniform draw (in the unit form) for parameters without one.
    Point initial_point(std::mt19937_64& rng) const;
    Point random_point(std::mt19937_64& rng) const;

    friend bool operator==(const SearchSpace&, const SearchSpace&) = default;

private:
    std::vector<Parameter> parameters_;
};

}  // namespace hpo
