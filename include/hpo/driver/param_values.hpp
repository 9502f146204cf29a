// hpo::ParamValues: one point of a search space, e.g. the best one, as the kernel receives it.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/exec/command_line.hpp"
#include "hpo/space/search_space.hpp"

namespace hpo {

class ParamValues {
public:
    ParamValues() = default;
    ParamValues(SearchSpace space, Point values, ArgStyle style = ArgStyle::equals);

    // The value of `flag` as the kernel receives it ("0.0012", "adam"). Throws std::out_of_range
    // for a flag that is not in the space.
    std::string operator[](std::string_view flag) const;
    // The value of `flag` as a number: ranges, and choices whose options are numbers.
    // Throws std::out_of_range for an unknown flag, std::invalid_argument for a text option.
    double number(std::string_view flag) const;
    bool contains(std::string_view flag) const;

    // The hyperparameter arguments, one argv element per entry: {"--lr=0.0012", "--opt=adam"}.
    std::vector<std::string> args() const;
    // The same joined by spaces, each element shell-quoted where it needs it, so that it can be
    // pasted after the kernel command: `--lr=0.0012 '--name=a b'`.
    std::string str() const;

    const SearchSpace& space() const { return space_; }
    const Point& point() const { return values_; }
    std::size_t size() const { return values_.size(); }
    bool empty() const { return values_.empty(); }

private:
    std::size_t index_of(std::string_view flag) const;

    SearchSpace space_;
    Point values_;
    ArgStyle style_ = ArgStyle::equals;
};

std::ostream& operator<<(std::ostream& out, const ParamValues& values);

}  // namespace hpo
