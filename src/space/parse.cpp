// The `FLAG [DEFAULT] DOMAIN [log]` grammar (README: Search space).
//
// FLAG is the first whitespace-separated word, or a quoted string of words separated by single
// spaces (the seed's `'--optimizer lr'`: several argv words before the value). DEFAULT is one word, or a quoted string.
// DOMAIN is `[lo,hi]` (an integer range when both bounds are integer literals such as `0`, `-3`,
// `+8`; a float range otherwise, so `[0.0,1.0]` and `[1e-5,0.1]` are float) or `{a,b,c}`, whose
// options are separated by commas and trimmed; an option may hold spaces, and is quoted
// ("..." or '...', backslash escapes the next character) when it holds a comma, a brace or a
// quote. A choice default matches an option by its text, or else by numeric value (`32.0` picks
// `32`). The optional trailing word `log` asks for a log scale.
#include "hpo/space/parse.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace hpo {
namespace {

[[noreturn]] void fail(std::string_view flag, const std::string& problem) {
    throw SpecError("parameter '" + std::string(flag) + "': " + problem);
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

bool is_integer_literal(std::string_view text) {
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
    if (text.empty()) return false;
    for (char c : text)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

// The whole text as a number (from_chars: no locale, no hex, no trailing junk).
std::optional<double> parse_number(std::string_view text) {
    if (text.size() > 1 && text.front() == '+' && text[1] != '-') text.remove_prefix(1);
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<long long> parse_integer(std::string_view text) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// A left-to-right reader over one spec.
class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}

    bool done() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }
    void skip_space() {
        while (!done() && is_space(peek())) ++pos_;
    }
    std::string_view rest() const { return text_.substr(pos_); }

    std::string_view word() {
        const std::size_t start = pos_;
        while (!done() && !is_space(peek())) ++pos_;
        return text_.substr(start, pos_ - start);
    }

    // Called on the opening quote; false if the closing quote is missing.
    bool quoted(std::string& out) {
        const char quote = text_[pos_++];
        while (!done()) {
            char c = text_[pos_++];
            if (c == quote) return true;
            if (c == '\\' && !done()) c = text_[pos_++];
            out += c;
        }
        return false;
    }

    // Up to (not including) the first of `stops`; false if none occurs.
    bool until(std::string_view stops, std::string_view& out) {
        const std::size_t end = text_.find_first_of(stops, pos_);
        if (end == std::string_view::npos) return false;
        out = text_.substr(pos_, end - pos_);
        pos_ = end;
        return true;
    }

    void advance() { ++pos_; }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

bool is_quote(char c) { return c == '"' || c == '\''; }

std::string read_default(Cursor& cursor, std::string_view flag) {
    if (!is_quote(cursor.peek())) return std::string(cursor.word());
    std::string text;
    if (!cursor.quoted(text)) fail(flag, "unterminated quote in the default");
    if (!cursor.done() && !is_space(cursor.peek()))
        fail(flag, "unexpected '" + std::string(cursor.word()) + "' after the quoted default");
    return text;
}

std::vector<std::string> read_options(Cursor& cursor, std::string_view flag) {
    cursor.advance();  // '{'
    cursor.skip_space();
    if (!cursor.done() && cursor.peek() == '}') fail(flag, "empty choice {}: give at least one option");
    std::vector<std::string> options;
    for (;;) {
        cursor.skip_space();
        if (cursor.done()) fail(flag, "unterminated '{'");
        std::string option;
        if (is_quote(cursor.peek())) {
            if (!cursor.quoted(option)) fail(flag, "unterminated quote in the choice");
            cursor.skip_space();
            if (cursor.done()) fail(flag, "unterminated '{'");
            if (cursor.peek() != ',' && cursor.peek() != '}')
                fail(flag, "expected ',' or '}' after the quoted option \"" + option + "\"");
        } else {
            std::string_view raw;
            if (!cursor.until(",}", raw)) fail(flag, "unterminated '{'");
            raw = trim(raw);
            if (raw.empty()) fail(flag, "empty option in the choice");
            if (raw.find_first_of("{\"'") != std::string_view::npos)
                fail(flag, "option '" + std::string(raw) + "' holds a brace or a quote: quote the whole option");
            option = raw;
        }
        options.push_back(std::move(option));
        const char separator = cursor.peek();
        cursor.advance();
        if (separator == '}') return options;
    }
}

// The option a default names: the same text, else the same number (`32.0` for `32`).
std::string resolve_choice_default(std::string_view flag, const std::vector<std::string>& options,
                                   const std::string& text) {
    for (const auto& o : options)
        if (o == text) return o;
    if (auto value = parse_number(text)) {
        for (const auto& o : options)
            if (auto v = parse_number(o); v && *v == *value) return o;
    }
    std::string list;
    for (const auto& o : options) list += (list.empty() ? "" : ",") + o;
    fail(flag, "default '" + text + "' is not one of the options {" + list + "}");
}

struct Bounds {
    std::string lo, hi;
};

Bounds read_bounds(Cursor& cursor, std::string_view flag) {
    cursor.advance();  // '['
    std::string_view inside;
    if (!cursor.until("]", inside)) fail(flag, "unterminated '['");
    cursor.advance();
    const std::size_t comma = inside.find(',');
    if (comma == std::string_view::npos || inside.find(',', comma + 1) != std::string_view::npos)
        fail(flag, "a range needs exactly two bounds, [lo,hi]: got [" + std::string(inside) + "]");
    Bounds bounds{std::string(trim(inside.substr(0, comma))), std::string(trim(inside.substr(comma + 1)))};
    for (const auto& b : {bounds.lo, bounds.hi}) {
        if (b.empty()) fail(flag, "missing bound in [" + std::string(inside) + "]");
        if (!parse_number(b)) fail(flag, "bound '" + b + "' is not a number");
    }
    return bounds;
}

Parameter make_int_range(std::string_view flag, const Bounds& bounds, bool log,
                         const std::optional<std::string>& default_text) {
    const auto lo = parse_integer(bounds.lo), hi = parse_integer(bounds.hi);
    if (!lo || !hi) fail(flag, "integer bound out of range in [" + bounds.lo + "," + bounds.hi + "]");
    std::optional<long long> default_value;
    if (default_text) {
        const auto d = parse_number(*default_text);
        if (!d) fail(flag, "default '" + *default_text + "' is not a number");
        if (!std::isfinite(*d) || *d != std::floor(*d))
            fail(flag, "default " + *default_text + " is not an integer (integer range [" + bounds.lo +
                           "," + bounds.hi + "])");
        // Compared before the conversion, which is undefined for out-of-range doubles.
        if (*d < static_cast<double>(*lo) || *d > static_cast<double>(*hi))
            fail(flag, "default " + *default_text + " is outside [" + bounds.lo + "," + bounds.hi + "]");
        default_value = static_cast<long long>(*d);
    }
    return Parameter::int_range(std::string(flag), *lo, *hi, log, default_value);
}

Parameter make_float_range(std::string_view flag, const Bounds& bounds, bool log,
                           const std::optional<std::string>& default_text) {
    std::optional<double> default_value;
    if (default_text) {
        default_value = parse_number(*default_text);
        if (!default_value) fail(flag, "default '" + *default_text + "' is not a number");
    }
    return Parameter::float_range(std::string(flag), *parse_number(bounds.lo), *parse_number(bounds.hi),
                                  log, default_value);
}

}  // namespace

Parameter parse_parameter(std::string_view spec) {
    Cursor cursor(spec);
    cursor.skip_space();
    if (cursor.done()) throw SpecError("empty parameter spec");
    if (cursor.peek() == '[' || cursor.peek() == '{')
        throw SpecError("parameter spec '" + std::string(trim(spec)) + "': missing flag before the domain");
    std::string flag;
    if (is_quote(cursor.peek())) {
        if (!cursor.quoted(flag)) throw SpecError("parameter spec '" + std::string(trim(spec)) + "': unterminated quote in the flag");
    } else {
        flag = cursor.word();
    }
    if (flag.find('=') != std::string::npos)
        fail(flag, "the flag contains '=' (write `FLAG DEFAULT DOMAIN`, e.g. `--lr 0.01 [1e-4,1.0]`)");

    cursor.skip_space();
    std::optional<std::string> default_text;
    if (!cursor.done() && cursor.peek() != '[' && cursor.peek() != '{') {
        default_text = read_default(cursor, flag);
        cursor.skip_space();
    }
    if (cursor.done()) fail(flag, "missing domain: expected [lo,hi] or {a,b,...}");
    if (cursor.peek() != '[' && cursor.peek() != '{')
        fail(flag, "expected a domain [lo,hi] or {a,b,...}, got '" + std::string(cursor.word()) + "'");

    const bool is_choice = cursor.peek() == '{';
    std::vector<std::string> options;
    Bounds bounds;
    if (is_choice)
        options = read_options(cursor, flag);
    else
        bounds = read_bounds(cursor, flag);

    bool log = false;
    if (!cursor.done() && !is_space(cursor.peek()))
        fail(flag, "unexpected '" + std::string(cursor.word()) + "' right after the domain");
    cursor.skip_space();
    if (!cursor.done()) {
        const std::string_view word = cursor.word();
        if (word != "log") fail(flag, "unexpected '" + std::string(word) + "' after the domain");
        log = true;
        cursor.skip_space();
        if (!cursor.done()) fail(flag, "unexpected '" + std::string(trim(cursor.rest())) + "' after 'log'");
    }

    if (is_choice) {
        if (log) fail(flag, "'log' applies to ranges only, not to a choice");
        std::optional<std::string> default_option;
        if (default_text) default_option = resolve_choice_default(flag, options, *default_text);
        return Parameter::choice(flag, std::move(options), default_option);
    }
    if (is_integer_literal(bounds.lo) && is_integer_literal(bounds.hi))
        return make_int_range(flag, bounds, log, default_text);
    return make_float_range(flag, bounds, log, default_text);
}

SearchSpace parse_search_space(const std::vector<std::string>& specs) {
    SearchSpace space;
    for (const auto& spec : specs) space.add(parse_parameter(spec));
    return space;
}

}  // namespace hpo
