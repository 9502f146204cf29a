// Parsing of the `FLAG [DEFAULT] DOMAIN [log]` parameter grammar (README: Search space).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/space/parameter.hpp"
#include "hpo/space/search_space.hpp"

namespace hpo {

// A malformed or invalid parameter spec; the message names the parameter and the problem.
class SpecError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

Parameter parse_parameter(std::string_view spec);
SearchSpace parse_search_space(const std::vector<std::string>& specs);  // also rejects duplicates

}  // namespace hpo
