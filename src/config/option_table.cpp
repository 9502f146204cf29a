// The text forms of option values (see option_table.hpp).
#include "hpo/config/option_table.hpp"

#include "hpo/number_text.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace hpo {

namespace {

template <class T>
bool read_whole(std::string_view text, T& value) {
    const char* last = text.data() + text.size();
    const auto [end, ec] = std::from_chars(text.data(), last, value);
    return !text.empty() && ec == std::errc() && end == last;
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

std::string option_text(const OptionValue& value) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
            else if constexpr (std::is_same_v<T, std::string>) return v;
            else if constexpr (std::is_same_v<T, double>) return number_text(v);
            else return std::to_string(v);
        },
        value);
}

OptionValue parse_option_value(OptionType type, std::string_view text) {
    switch (type) {
    case OptionType::flag:
        if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
        if (text == "false" || text == "0" || text == "no" || text == "off") return false;
        throw std::invalid_argument("expected true or false, got " + quoted(text));
    case OptionType::integer: {
        int value = 0;
        if (!read_whole(text, value)) throw std::invalid_argument("expected an integer, got " + quoted(text));
        return value;
    }
    case OptionType::count: {
        if (!text.empty() && text.front() == '-')
            throw std::invalid_argument("must not be negative, got " + quoted(text));
        std::size_t value = 0;
        if (!read_whole(text, value)) throw std::invalid_argument("expected a whole number, got " + quoted(text));
        return value;
    }
    case OptionType::real: {
        double value = 0;
        if (!read_whole(text, value) || !std::isfinite(value))
            throw std::invalid_argument("expected a finite number, got " + quoted(text));
        return value;
    }
    case OptionType::word:
        if (text.empty()) throw std::invalid_argument("expected a word, got nothing");
        return std::string(text);
    }
    throw std::invalid_argument("unknown option type");
}

}  // namespace hpo
