// hpo::ParamValues: a point of a search space, printed and looked up in the kernel's flag syntax.
#include "hpo/driver/param_values.hpp"

#include <cstdlib>
#include <ostream>
#include <stdexcept>
#include <utility>

namespace hpo {

ParamValues::ParamValues(SearchSpace space, Point values, ArgStyle style)
    : space_(std::move(space)), values_(std::move(values)), style_(style) {
    if (values_.size() != space_.size()) {
        throw std::invalid_argument("ParamValues: " + std::to_string(values_.size()) + " values for " +
                                    std::to_string(space_.size()) + " parameters");
    }
}

std::size_t ParamValues::index_of(std::string_view flag) const {
    for (std::size_t i = 0; i < space_.size(); ++i) {
        if (space_[i].flag() == flag) return i;
    }
    throw std::out_of_range("no parameter " + std::string(flag));
}

bool ParamValues::contains(std::string_view flag) const {
    for (const auto& parameter : space_) {
        if (parameter.flag() == flag) return true;
    }
    return false;
}

std::string ParamValues::operator[](std::string_view flag) const {
    const std::size_t i = index_of(flag);
    return space_[i].format(values_[i]);
}

double ParamValues::number(std::string_view flag) const {
    const std::size_t i = index_of(flag);
    if (space_[i].kind() != ParameterKind::choice) return values_[i];
    const std::string text = space_[i].format(values_[i]);
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) {
        throw std::invalid_argument("parameter " + std::string(flag) + ": '" + text + "' is not a number");
    }
    return value;
}

std::vector<std::string> ParamValues::args() const { return hyperparameter_args(space_, values_, style_); }

std::string ParamValues::str() const { return shell_join(args()); }

std::ostream& operator<<(std::ostream& out, const ParamValues& values) { return out << values.str(); }

}  // namespace hpo
