// A set of options declared once, as a table of fields: the command line, the config file, the
// checkpoint, the descriptions in logs and `hpo show`, the warnings about unused options and the
// driver API's keywords are all derived from it, so that an option is added in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace hpo {

// How an option's value is kept, stored in the checkpoint and read from text.
enum class OptionType {
    integer,  // int
    count,    // std::size_t: a whole number >= 0
    real,     // double: any finite number
    flag,     // bool
    word,     // an enum, as the word to_string gives it
};

// One option's value, whatever its type: bool, int, std::size_t, double, or a word.
using OptionValue = std::variant<bool, int, std::size_t, double, std::string>;

// The text of a value as a user would type it: numbers in their shortest exact form (0.05, not
// 0.050000000000000003), flags as true/false.
std::string option_text(const OptionValue& value);

// Reads a value of `type` from a user's text. Throws std::invalid_argument saying what was
// expected ("an integer", "a number"...); NaN and infinities are never accepted.
OptionValue parse_option_value(OptionType type, std::string_view text);

template <class Options>
struct OptionField {
    std::string_view keyword;     // the C++ member, the driver's and Python's keyword: num_demes
    std::string_view flag;        // the command line's --demes and the config file's `demes =`
    std::string_view value_name;  // in the help: --demes N
    std::string_view help;
    OptionType type;
    bool budget = false;          // how long the search goes on: a resume may change it
    std::function<OptionValue(const Options&)> get;
    std::function<void(Options&, const OptionValue&)> set;  // throws std::invalid_argument
    // The value that means "not given" (the value then follows from other options: 0 for
    // --pop-size, -1 for --elites): left out of descriptions and of the help's defaults, so that
    // `hpo show` and the log never show a value the user did not mean. None: every value is meant.
    std::optional<OptionValue> unset_value;

    bool unset(const OptionValue& value) const { return unset_value && value == *unset_value; }

    // The name of its attribute in the checkpoint: the flag with underscores (pop_size).
    std::string stored_name() const {
        std::string name(flag);
        for (char& c : name) if (c == '-') c = '_';
        return name;
    }
    void set_text(Options& options, std::string_view text) const { set(options, parse_option_value(type, text)); }
};

template <class Options>
using OptionTable = std::vector<OptionField<Options>>;

// The driver API's optimizer of a strategy whose options are `StrategyOptions`
// (hpo/driver/optimizer.hpp): each options header names it, as hpo::genetic::Optimizer.
template <class StrategyOptions>
class StrategyOptimizer;

// How options are written out: as `--flag value` words (`hpo show`, `hpo run` lines) or as
// `keyword=value` words (the log, error messages).
enum class OptionStyle { command_line, keywords };

// Every option of `table` with its value in `options`, in table order, in `style`; the options
// marked as a budget are left out when `with_budget` is false.
template <class Options>
std::string describe_fields(const Options& options, const OptionTable<Options>& table, OptionStyle style,
                            bool with_budget = true) {
    std::string text;
    for (const auto& field : table) {
        if (field.budget && !with_budget) continue;
        const OptionValue got = field.get(options);
        if (field.unset(got)) continue;
        const std::string value = option_text(got);
        if (!text.empty()) text += ' ';
        text += style == OptionStyle::command_line ? "--" + std::string(field.flag) + " " + value
                                                   : std::string(field.keyword) + "=" + value;
    }
    return text;
}

// One row of a table, from a member of an options struct: `option(&GeneticOptions::pop_size,
// "pop_size", "pop-size", "N", "individuals per deme")`. An enum member also needs the function
// that reads its word (to_string is found by argument-dependent lookup).
template <class Options, class T>
OptionField<Options> option(T Options::*member, std::string_view keyword, std::string_view flag,
                            std::string_view value_name, std::string_view help, bool budget = false,
                            T (*parse_word)(std::string_view) = nullptr) {
    OptionField<Options> field{keyword, flag, value_name, help, OptionType::integer, budget, {}, {}, {}};
    if constexpr (std::is_same_v<T, bool>) {
        field.type = OptionType::flag;
    } else if constexpr (std::is_same_v<T, int>) {
        field.type = OptionType::integer;
    } else if constexpr (std::is_same_v<T, std::size_t>) {
        field.type = OptionType::count;
    } else if constexpr (std::is_same_v<T, double>) {
        field.type = OptionType::real;
    } else {
        static_assert(std::is_enum_v<T>, "an option is a bool, int, std::size_t, double or enum");
        field.type = OptionType::word;
    }
    field.get = [member](const Options& options) -> OptionValue {
        if constexpr (std::is_enum_v<T>) {
            return std::string(to_string(options.*member));
        } else {
            return options.*member;
        }
    };
    if constexpr (std::is_enum_v<T>) {
        if (!parse_word) throw std::logic_error("option " + std::string(keyword) + ": an enum needs its parse function");
    }
    field.set = [member, parse_word](Options& options, const OptionValue& value) {
        if constexpr (std::is_enum_v<T>) {
            options.*member = parse_word(std::get<std::string>(value));
        } else {
            options.*member = std::get<T>(value);
        }
    };
    return field;
}

// The same row, with `value` meaning "not given" (see OptionField::unset_value).
template <class Options>
OptionField<Options> unset_when(OptionField<Options> field, OptionValue value) {
    field.unset_value = std::move(value);
    return field;
}

// The same row, with 0 meaning "not given".
template <class Options>
OptionField<Options> unset_when_zero(OptionField<Options> field) {
    OptionValue zero = field.type == OptionType::count ? OptionValue(std::size_t{0}) : OptionValue(0);
    return unset_when(std::move(field), std::move(zero));
}

}  // namespace hpo
