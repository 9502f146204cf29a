// hpo::Params: the search space of a driver, written as C++ values instead of `--param` specs.
#pragma once

#include <concepts>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hpo/space/parameter.hpp"
#include "hpo/space/search_space.hpp"

namespace hpo {

// Where a parameter lives: a float range, an integer range or a choice; optionally log scale.
// Made by hpo::range, hpo::log_range and hpo::choice below.
class Domain {
public:
    enum class Kind { float_range, int_range, choice };

    // The same range sampled and mutated on a logarithmic scale (needs lo > 0).
    Domain log() const;

    Kind kind() const { return kind_; }
    bool is_log() const { return log_; }
    double lo() const { return lo_; }
    double hi() const { return hi_; }
    const std::vector<std::string>& options() const { return options_; }

    static Domain float_range(double lo, double hi);
    static Domain int_range(long long lo, long long hi);
    static Domain choice(std::vector<std::string> options);

private:
    Domain() = default;

    Kind kind_ = Kind::float_range;
    bool log_ = false;
    double lo_ = 0;
    double hi_ = 0;
    std::vector<std::string> options_;
};

// hpo::range(1e-5, 0.1) is a float range; hpo::range(1, 8) (both integers) an integer range.
inline Domain range(double lo, double hi) { return Domain::float_range(lo, hi); }
template <std::integral T>
Domain range(T lo, T hi) { return Domain::int_range(static_cast<long long>(lo), static_cast<long long>(hi)); }

inline Domain log_range(double lo, double hi) { return range(lo, hi).log(); }
template <std::integral T>
Domain log_range(T lo, T hi) { return range(lo, hi).log(); }

// hpo::choice({"adam", "sgd"}), hpo::choice({16, 32, 64}), hpo::choice({0.1, 0.5}).
Domain choice(std::initializer_list<std::string_view> options);
Domain choice(std::initializer_list<double> options);
template <std::integral T>
Domain choice(std::initializer_list<T> options) {
    std::vector<std::string> texts;
    for (T option : options) texts.push_back(std::to_string(option));
    return Domain::choice(std::move(texts));
}
inline Domain choice(std::vector<std::string> options) { return Domain::choice(std::move(options)); }

// A parameter's default: a number or, for choices, the option's text.
class DefaultValue {
public:
    DefaultValue(double value) : value_(value) {}
    template <std::integral T>
    DefaultValue(T value) : value_(static_cast<long long>(value)) {}
    DefaultValue(const char* text) : value_(std::string(text)) {}
    DefaultValue(std::string text) : value_(std::move(text)) {}

    const std::variant<double, long long, std::string>& value() const { return value_; }

private:
    std::variant<double, long long, std::string> value_;
};

// One hyperparameter: {"--lr", 0.001, hpo::range(1e-5, 0.1)}, or without a default (drawn at
// random, the seed's semantics): {"--lr", hpo::log_range(1e-5, 0.1)}. Throws hpo::SpecError
// naming the flag when the domain or the default is invalid.
class Param {
public:
    Param(std::string flag, Domain domain);
    Param(std::string flag, DefaultValue default_value, Domain domain);

    const Parameter& parameter() const { return parameter_; }

private:
    Parameter parameter_;
};

class Params {
public:
    Params() = default;
    Params(std::initializer_list<Param> params);
    explicit Params(const std::vector<Param>& params);

    // From the CLI's `FLAG [DEFAULT] DOMAIN [log]` specs (README: Search space).
    static Params parse(const std::vector<std::string>& specs);

    Params& add(const Param& param);  // throws hpo::SpecError on a duplicate flag

    const SearchSpace& space() const { return space_; }
    std::size_t size() const { return space_.size(); }
    bool empty() const { return space_.empty(); }

private:
    SearchSpace space_;
};

}  // namespace hpo
