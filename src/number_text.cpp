// The shortest round-trip text of a double, for logs, summaries and option descriptions.
#include "hpo/number_text.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace hpo {

std::string number_text(double value) {
    if (std::isnan(value)) return "nan";  // to_chars may write "-nan", which strtod reads but people wonder about
    char buffer[32];  // the longest shortest form, e.g. "-2.2250738585072014e-308", is 24 characters
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

}  // namespace hpo
