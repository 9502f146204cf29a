// Parameters: validation, the native <-> unit mapping and the text forms of values.
#include "hpo/space/parameter.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "hpo/space/parse.hpp"

namespace hpo {
namespace {

// Integers beyond 2^53 are not exact in the double that carries native values.
constexpr long long max_integer_bound = 1LL << 53;
// The unit form of an integer is the centre of its cell, (k - lo + 0.5) / n: for it to read back
// as k (unit * n rounds by at most n * 2^-52 < 0.5), an integer range holds at most 2^50 values.
constexpr double max_integer_width = 0x1.0p50;
// On a log scale the unit form goes through log and exp, whose rounding grows with the value:
// up to 2^40 every integer still reads back as itself (an error below 0.05).
constexpr double max_log_integer = 0x1.0p40;

std::string shortest(double x) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
    return std::string(buffer, end);
}

// A float bound printed so that it parses back as a float, not as an integer literal.
std::string float_literal(double x) {
    std::string text = shortest(x);
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    return text;
}

// Quoting keeps describe() parseable whatever characters an option holds.
bool needs_quotes(const std::string& text) {
    if (text.empty()) return true;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '{' || c == '}' ||
            c == '[' || c == ']' || c == '"' || c == '\'' || c == '\\')
            return true;
    }
    return false;
}

std::string quoted_if_needed(const std::string& text) {
    if (!needs_quotes(text)) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

[[noreturn]] void fail(const std::string& flag, const std::string& problem) {
    throw SpecError("parameter '" + flag + "': " + problem);
}

double clamp01(double unit) {
    if (std::isnan(unit)) throw std::invalid_argument("unit value is NaN");
    return std::clamp(unit, 0.0, 1.0);
}

// The option that first repeats an earlier one, or null: sorted, not compared pairwise, so that
// a choice of 100,000 options is checked at once.
const std::string* first_duplicate(const std::vector<std::string>& texts) {
    std::vector<std::size_t> order(texts.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return texts[a] < texts[b]; });
    std::optional<std::size_t> first;
    for (std::size_t k = 1; k < order.size(); ++k)
        if (texts[order[k]] == texts[order[k - 1]] && (!first || order[k] < *first)) first = order[k];
    return first ? &texts[*first] : nullptr;
}

// `--lr`, `-a`, `lr`, `+model.lr`: what a kernel's argument parser takes for a name. A number
// (`0.5`, `-1`) or a bare dash is not, so a spec that forgot its flag (`0.5 [0,1]`) is refused
// instead of sending the kernel `0.5=0.3`.
bool looks_like_flag(const std::string& flag) {
    std::size_t start = 0;
    if (flag.rfind("--", 0) == 0) start = 2;
    else if (flag.front() == '-' || flag.front() == '+') start = 1;
    if (start >= flag.size()) return false;
    const auto first = static_cast<unsigned char>(flag[start]);
    return std::isalpha(first) || first == '_';
}

bool is_integral(double x) { return std::isfinite(x) && x == std::floor(x); }

// Which of `n` equal cells of [0,1] holds `unit`; the upper end belongs to the last cell.
std::size_t cell_of(double unit, std::size_t n) {
    auto cell = static_cast<std::size_t>(std::floor(unit * static_cast<double>(n)));
    return std::min(cell, n - 1);
}

// A range whose unit form cannot be computed would only fail once a strategy maps a point
// (`unit value is NaN`): refuse it here, before anything runs.
void check_unit_form(const std::string& flag_, ParameterKind kind_, bool log_, double lo_, double hi_,
                     const std::string& domain) {
    if (kind_ == ParameterKind::int_range) {
        if (hi_ - lo_ >= max_integer_width)
            fail(flag_, "integer range " + domain + " holds more than 2^50 (about 1.1e15) values; narrow it, "
                        "or make it a float range");
        if (log_ && hi_ > max_log_integer)
            fail(flag_, "integer log range " + domain + " goes beyond 2^40 (about 1.1e12), where neighbouring "
                        "integers cannot be told apart on a log scale; make it a float range");
        return;
    }
    if (!std::isfinite(hi_ - lo_))
        fail(flag_, "range " + domain + " is too wide: hi - lo overflows a double (at most about 1.8e308)");
    if (log_) {
        const double width = std::log(hi_) - std::log(lo_);
        if (!(width > 0) || !std::isfinite(width))
            fail(flag_, "range " + domain + " is too narrow for a log scale: log(hi) - log(lo) rounds to 0");
    }
}

}  // namespace

Parameter Parameter::float_range(std::string flag, double lo, double hi, bool log,
                                 std::optional<double> default_value) {
    Parameter p;
    p.flag_ = std::move(flag);
    p.kind_ = ParameterKind::float_range;
    p.log_ = log;
    p.lo_ = lo;
    p.hi_ = hi;
    p.default_ = default_value;
    p.validate();
    return p;
}

Parameter Parameter::int_range(std::string flag, long long lo, long long hi, bool log,
                               std::optional<long long> default_value) {
    Parameter p;
    p.flag_ = std::move(flag);
    p.kind_ = ParameterKind::int_range;
    p.log_ = log;
    p.lo_ = static_cast<double>(lo);
    p.hi_ = static_cast<double>(hi);
    if (default_value) p.default_ = static_cast<double>(*default_value);
    if (lo < -max_integer_bound || hi > max_integer_bound)
        fail(p.flag_, "integer bounds must lie within +-2^53 (9007199254740992)");
    p.validate();
    return p;
}

Parameter Parameter::choice(std::string flag, std::vector<std::string> options,
                            std::optional<std::string> default_option) {
    Parameter p;
    p.flag_ = std::move(flag);
    p.kind_ = ParameterKind::choice;
    p.options_ = std::move(options);
    p.validate();
    if (default_option) {
        auto it = std::find(p.options_.begin(), p.options_.end(), *default_option);
        if (it == p.options_.end()) {
            std::string list;
            for (const auto& o : p.options_) list += (list.empty() ? "" : ",") + o;
            fail(p.flag_, "default '" + *default_option + "' is not one of the options {" + list + "}");
        }
        p.default_ = static_cast<double>(it - p.options_.begin());
    }
    return p;
}

void Parameter::validate() const {
    if (flag_.empty()) throw SpecError("parameter with an empty flag");
    if (const auto nul = flag_.find('\0'); nul != std::string::npos) {
        // Named up to the NUL, which would end the message itself.
        throw SpecError("parameter '" + flag_.substr(0, nul) + "\\0...': the flag contains a NUL byte");
    }
    for (std::size_t i = 0; i < flag_.size(); ++i) {
        const char c = flag_[i];
        // One space between words (the seed's '--optimizer lr': argv words before the value).
        const bool word_break = c == ' ' && i > 0 && i + 1 < flag_.size() && flag_[i - 1] != ' ' && flag_[i + 1] != ' ';
        if (std::isspace(static_cast<unsigned char>(c)) && !word_break) {
            fail(flag_, "the flag contains whitespace other than single spaces between words");
        }
        if (c == '=') fail(flag_, "the flag contains '=' (write the default after a space)");
    }
    if (flag_.front() == '[' || flag_.front() == '{') fail(flag_, "missing flag before the domain");
    if (!looks_like_flag(flag_.substr(0, flag_.find(' '))))
        fail(flag_, "a flag is a name, with up to two leading dashes or a '+', that starts with a letter or '_' "
                    "(--lr, -a, lr, +model.lr): '" + flag_ + "' is not (a value before the domain needs a flag first)");

    if (kind_ == ParameterKind::choice) {
        if (log_) fail(flag_, "'log' applies to ranges only, not to a choice");
        if (options_.empty()) fail(flag_, "empty choice: give at least one option");
        for (const auto& option : options_) {
            if (option.empty()) fail(flag_, "empty option in the choice");
            // The kernel's argv and the checkpoint's strings end at a NUL: the option would be cut.
            if (option.find('\0') != std::string::npos) fail(flag_, "an option of the choice contains a NUL byte");
        }
        if (const std::string* twice = first_duplicate(options_)) fail(flag_, "duplicate option '" + *twice + "'");
        return;
    }

    const std::string domain = "[" + shortest(lo_) + "," + shortest(hi_) + "]";
    if (!std::isfinite(lo_) || !std::isfinite(hi_)) fail(flag_, "range bounds must be finite: " + domain);
    if (!(lo_ < hi_)) fail(flag_, "lo must be < hi: " + domain);
    if (log_ && !(lo_ > 0)) fail(flag_, "'log' needs lo > 0: " + domain);
    check_unit_form(flag_, kind_, log_, lo_, hi_, domain);
    if (!default_) return;
    const double d = *default_;
    if (!std::isfinite(d)) fail(flag_, "default " + shortest(d) + " is not finite");
    if (kind_ == ParameterKind::int_range && !is_integral(d))
        fail(flag_, "default " + shortest(d) + " is not an integer (integer range " + domain + ")");
    if (d < lo_ || d > hi_) fail(flag_, "default " + shortest(d) + " is outside " + domain);
}

double Parameter::default_value() const {
    if (!default_) throw std::logic_error("parameter '" + flag_ + "' has no default");
    return *default_;
}

std::size_t Parameter::cardinality() const {
    switch (kind_) {
    case ParameterKind::int_range: return static_cast<std::size_t>(hi_ - lo_) + 1;
    case ParameterKind::choice: return options_.size();
    case ParameterKind::float_range: break;
    }
    return 0;
}

// Integers own the cell [k-0.5, k+0.5] of the (log-)scaled axis, so every integer, ends
// included, is as likely as its width on that axis; on a linear axis the cells are equal.
double Parameter::to_unit(double native) const {
    if (std::isnan(native)) throw std::invalid_argument("parameter '" + flag_ + "': value is NaN");
    switch (kind_) {
    case ParameterKind::float_range:
        if (log_) {
            if (native <= lo_) return 0.0;
            return clamp01((std::log(native) - std::log(lo_)) / (std::log(hi_) - std::log(lo_)));
        }
        return clamp01((native - lo_) / (hi_ - lo_));
    case ParameterKind::int_range: {
        const double k = std::clamp(std::round(native), lo_, hi_);
        if (log_) {
            const double a = std::log(lo_ - 0.5), b = std::log(hi_ + 0.5);
            const double centre = 0.5 * (std::log(k - 0.5) + std::log(k + 0.5));
            return clamp01((centre - a) / (b - a));
        }
        return (k - lo_ + 0.5) / static_cast<double>(cardinality());
    }
    case ParameterKind::choice: {
        const double n = static_cast<double>(options_.size());
        const double index = std::clamp(std::round(native), 0.0, n - 1);
        return (index + 0.5) / n;
    }
    }
    return 0.0;
}

double Parameter::from_unit(double unit) const {
    unit = clamp01(unit);
    switch (kind_) {
    case ParameterKind::float_range: {
        // The ends are returned exactly: exp(log(lo)) need not give lo back.
        if (unit == 0.0) return lo_;
        if (unit == 1.0) return hi_;
        const double x = log_ ? std::exp(std::log(lo_) + unit * (std::log(hi_) - std::log(lo_)))
                              : lo_ + unit * (hi_ - lo_);
        return std::clamp(x, lo_, hi_);
    }
    case ParameterKind::int_range: {
        if (log_) {
            const double a = std::log(lo_ - 0.5), b = std::log(hi_ + 0.5);
            return std::clamp(std::round(std::exp(a + unit * (b - a))), lo_, hi_);
        }
        return lo_ + static_cast<double>(cell_of(unit, cardinality()));
    }
    case ParameterKind::choice:
        return static_cast<double>(cell_of(unit, options_.size()));
    }
    return 0.0;
}

bool Parameter::contains(double native) const {
    if (!std::isfinite(native)) return false;
    switch (kind_) {
    case ParameterKind::float_range: return native >= lo_ && native <= hi_;
    case ParameterKind::int_range: return is_integral(native) && native >= lo_ && native <= hi_;
    case ParameterKind::choice:
        return is_integral(native) && native >= 0 && native < static_cast<double>(options_.size());
    }
    return false;
}

std::string Parameter::format(double native) const {
    switch (kind_) {
    case ParameterKind::float_range: return shortest(native);
    case ParameterKind::int_range: return std::to_string(std::llround(native));
    case ParameterKind::choice: {
        if (!contains(native))
            throw std::out_of_range("parameter '" + flag_ + "': no option at index " + shortest(native));
        return options_[static_cast<std::size_t>(native)];
    }
    }
    return {};
}

std::string Parameter::describe() const {
    std::string text = flag_.find(' ') == std::string::npos ? flag_ : quoted_if_needed(flag_);
    if (default_) {
        text += ' ';
        text += kind_ == ParameterKind::choice ? quoted_if_needed(format(*default_)) : format(*default_);
    }
    text += ' ';
    switch (kind_) {
    case ParameterKind::float_range:
        text += "[" + float_literal(lo_) + "," + float_literal(hi_) + "]";
        break;
    case ParameterKind::int_range:
        text += "[" + format(lo_) + "," + format(hi_) + "]";
        break;
    case ParameterKind::choice: {
        text += '{';
        for (std::size_t i = 0; i < options_.size(); ++i)
            text += (i ? "," : "") + quoted_if_needed(options_[i]);
        text += '}';
        break;
    }
    }
    if (log_) text += " log";
    return text;
}

}  // namespace hpo
