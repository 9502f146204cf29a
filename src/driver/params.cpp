// hpo::Params and its domains: C++ values turned into the space module's Parameters.
#include "hpo/driver/params.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <utility>
#include <variant>

#include "hpo/space/parse.hpp"

namespace hpo {

namespace {

// Shortest text that reads back as the same double: choice({0.1}) gives "0.1", not "0.100000".
std::string number_text(double value) {
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

std::optional<double> parse_number(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return std::nullopt;
    return value;
}

[[noreturn]] void bad_default(const std::string& flag, const std::string& why) {
    throw SpecError("parameter " + flag + ": " + why);
}

double numeric_default(const std::string& flag, const DefaultValue& value) {
    if (const auto* d = std::get_if<double>(&value.value())) return *d;
    if (const auto* i = std::get_if<long long>(&value.value())) return static_cast<double>(*i);
    bad_default(flag, "the default '" + std::get<std::string>(value.value()) + "' of a range must be a number");
}

// The option a default names: its text, or for a number the option equal to it as a number.
std::string choice_default(const std::string& flag, const DefaultValue& value, const std::vector<std::string>& options) {
    if (const auto* text = std::get_if<std::string>(&value.value())) return *text;
    const double wanted = numeric_default(flag, value);
    for (const auto& option : options) {
        if (const auto number = parse_number(option); number && *number == wanted) return option;
    }
    bad_default(flag, "the default " + number_text(wanted) + " is not one of the choices");
}

// Parameter's factories throw SpecError for an invalid domain; whatever else is rejected with
// std::invalid_argument on the way (the helpers above, the value conversions) is rethrown as a
// SpecError naming the flag, so that a driver catches one type for every bad parameter, as the
// CLI does.
template <class Make>
Parameter make_parameter(const std::string& flag, Make make) {
    try {
        return make();
    } catch (const SpecError&) {
        throw;
    } catch (const std::invalid_argument& error) {
        const std::string what = error.what();
        throw SpecError(what.find(flag) == std::string::npos ? "parameter " + flag + ": " + what : what);
    }
}

Parameter build(const std::string& flag, const std::optional<DefaultValue>& default_value, const Domain& domain) {
    return make_parameter(flag, [&] {
        switch (domain.kind()) {
            case Domain::Kind::float_range: {
                std::optional<double> d;
                if (default_value) d = numeric_default(flag, *default_value);
                return Parameter::float_range(flag, domain.lo(), domain.hi(), domain.is_log(), d);
            }
            case Domain::Kind::int_range: {
                // The same limit Parameter applies, checked before the casts below could overflow.
                if (!(std::fabs(domain.lo()) <= 9007199254740992.0 && std::fabs(domain.hi()) <= 9007199254740992.0)) {
                    bad_default(flag, "integer bounds must lie within +-2^53");
                }
                std::optional<long long> d;
                if (default_value) {
                    const double value = numeric_default(flag, *default_value);
                    // Integer bounds lie within +-2^53; beyond that (or NaN) the cast below would be
                    // undefined, so such a default is reported here.
                    if (!(std::fabs(value) <= 9007199254740992.0)) {
                        bad_default(flag, "the default " + number_text(value) + " is outside [" +
                                              number_text(domain.lo()) + "," + number_text(domain.hi()) + "]");
                    }
                    if (value != std::floor(value)) {
                        bad_default(flag, "the default " + number_text(value) + " of an integer range must be an integer");
                    }
                    d = static_cast<long long>(value);
                }
                return Parameter::int_range(flag, static_cast<long long>(domain.lo()),
                                            static_cast<long long>(domain.hi()), domain.is_log(), d);
            }
            case Domain::Kind::choice: {
                std::optional<std::string> d;
                if (default_value) d = choice_default(flag, *default_value, domain.options());
                return Parameter::choice(flag, domain.options(), d);
            }
        }
        throw std::logic_error("unknown domain kind");
    });
}

}  // namespace

Domain Domain::float_range(double lo, double hi) {
    Domain domain;
    domain.kind_ = Kind::float_range;
    domain.lo_ = lo;
    domain.hi_ = hi;
    return domain;
}

Domain Domain::int_range(long long lo, long long hi) {
    Domain domain;
    domain.kind_ = Kind::int_range;
    domain.lo_ = static_cast<double>(lo);
    domain.hi_ = static_cast<double>(hi);
    return domain;
}

Domain Domain::choice(std::vector<std::string> options) {
    Domain domain;
    domain.kind_ = Kind::choice;
    domain.options_ = std::move(options);
    return domain;
}

Domain Domain::log() const {
    // A log choice means nothing; Parameter validates the rest (lo > 0) with the flag known.
    if (kind_ == Kind::choice) throw std::invalid_argument("a choice cannot be on a log scale");
    Domain domain = *this;
    domain.log_ = true;
    return domain;
}

Domain choice(std::initializer_list<std::string_view> options) {
    return Domain::choice(std::vector<std::string>(options.begin(), options.end()));
}

Domain choice(std::initializer_list<double> options) {
    std::vector<std::string> texts;
    for (double option : options) texts.push_back(number_text(option));
    return Domain::choice(std::move(texts));
}

Param::Param(std::string flag, Domain domain) : parameter_(build(flag, std::nullopt, domain)) {}

Param::Param(std::string flag, DefaultValue default_value, Domain domain)
    : parameter_(build(flag, default_value, domain)) {}

Params::Params(std::initializer_list<Param> params) {
    for (const auto& param : params) add(param);
}

Params::Params(const std::vector<Param>& params) {
    for (const auto& param : params) add(param);
}

Params Params::parse(const std::vector<std::string>& specs) {
    Params params;
    params.space_ = parse_search_space(specs);
    return params;
}

Params& Params::add(const Param& param) {
    for (const auto& existing : space_) {
        if (existing.flag() == param.parameter().flag()) {
            throw SpecError("parameter " + existing.flag() + ": given twice");
        }
    }
    space_.add(param.parameter());
    return *this;
}

}  // namespace hpo
