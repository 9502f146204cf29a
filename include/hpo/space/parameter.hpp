// One hyperparameter: its flag, its domain (float range, integer range or choice), its scale and default.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace hpo {

enum class ParameterKind { float_range, int_range, choice };

// A parameter's values have two forms. The native form is a double: the value itself for ranges
// (an exact integer for integer ranges) and the index of the option for choices. The unit form is
// a point of [0,1] that every strategy can treat alike (Optuna's internal representation): log
// scales are linear there, integers and options own equal-width cells.
class Parameter {
public:
    static Parameter float_range(std::string flag, double lo, double hi, bool log = false,
                                 std::optional<double> default_value = std::nullopt);
    static Parameter int_range(std::string flag, long long lo, long long hi, bool log = false,
                               std::optional<long long> default_value = std::nullopt);
    static Parameter choice(std::string flag, std::vector<std::string> options,
                            std::optional<std::string> default_option = std::nullopt);

    const std::string& flag() const { return flag_; }
    ParameterKind kind() const { return kind_; }
    bool is_log() const { return log_; }
    double lo() const { return lo_; }  // ranges only
    double hi() const { return hi_; }  // ranges only
    const std::vector<std::string>& options() const { return options_; }  // choices only

    bool has_default() const { return default_.has_value(); }
    double default_value() const;  // native form; throws if there is none

    // Number of distinct values for integer ranges and choices; 0 for float ranges.
    std::size_t cardinality() const;

    double to_unit(double native) const;
    double from_unit(double unit) const;  // clamps to [0,1], rounds integers, picks an option
    bool contains(double native) const;

    // The value as the kernel receives it on its command line.
    std::string format(double native) const;
    // The spec this parameter parses from: `FLAG [DEFAULT] DOMAIN [log]`.
    std::string describe() const;

    friend bool operator==(const Parameter&, const Parameter&) = default;

private:
    Parameter() = default;
    void validate() const;

    std::string flag_;
    ParameterKind kind_ = ParameterKind::float_range;
    bool log_ = false;
    double lo_ = 0.0;
    double hi_ = 0.0;
    std::vector<std::string> options_;
    std::optional<double> default_;
};

}  // namespace hpo
