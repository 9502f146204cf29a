// The text of a strategy's saved state: writing and strict reading.
#include "state_text.hpp"

#include <charconv>
#include <locale>
#include <sstream>
#include <stdexcept>

namespace hpo::detail {
namespace {

constexpr std::string_view magic = "hpo-strategy";
constexpr std::string_view end_key = "end";

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (;;) {
        const std::size_t at = text.find(separator);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos) return parts;
        text.remove_prefix(at + 1);
    }
}

std::string shortest(double value) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, end);
}

std::string_view first_word(std::string_view line) { return line.substr(0, line.find(' ')); }

template <class T>
bool parse_whole(std::string_view token, T& value) {
    const char* const last = token.data() + token.size();
    auto [end, ec] = std::from_chars(token.data(), last, value);
    return ec == std::errc() && end == last;
}

}  // namespace

// ---- writing ---------------------------------------------------------------------------------

StateWriter::StateWriter(std::string_view strategy, int version) {
    text_ = magic;
    token(strategy);
    put_signed(version);
}

StateWriter& StateWriter::line(std::string_view key) {
    text_ += '\n';
    text_ += key;
    return *this;
}

void StateWriter::token(std::string_view text) {
    text_ += ' ';
    text_ += text;
}

StateWriter& StateWriter::put_signed(std::int64_t value) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    token(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
    return *this;
}

StateWriter& StateWriter::put_unsigned(std::uint64_t value) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    token(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
    return *this;
}

// The shortest text that reads back to the same double: exact, and still readable.
StateWriter& StateWriter::operator<<(double value) {
    token(shortest(value));
    return *this;
}

StateWriter& StateWriter::operator<<(std::string_view word) {
    token(word);
    return *this;
}

StateWriter& StateWriter::operator<<(const std::vector<double>& values) {
    for (double v : values) *this << v;
    return *this;
}

StateWriter& StateWriter::operator<<(const std::vector<std::size_t>& values) {
    for (std::size_t v : values) *this << v;
    return *this;
}

// The standard fixes this text (numbers separated by single spaces); the classic locale keeps a
// global locale's digit grouping out of it.
StateWriter& StateWriter::operator<<(const std::mt19937_64& rng) {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << rng;
    token(out.str());
    return *this;
}

StateWriter& StateWriter::pending_points(const std::map<std::uint64_t, Point>& pending) {
    for (const auto& [id, values] : pending) line("pending") << id << values;
    return *this;
}

std::string StateWriter::finish() {
    line(end_key);
    text_ += '\n';
    return std::move(text_);
}

// ---- reading ---------------------------------------------------------------------------------

StateReader::StateReader(std::string_view text, std::string_view strategy, int version) : strategy_(strategy) {
    if (text.empty()) throw std::invalid_argument(strategy_ + " state: empty");
    if (text.back() == '\n') text.remove_suffix(1);  // the final newline is optional
    lines_ = split(text, '\n');
    tokens_ = split(lines_[0], ' ');
    const std::string expected = std::string(magic) + " " + strategy_ + " " + std::to_string(version);
    if (tokens_.size() != 3 || tokens_[0] != magic)
        fail("not a strategy state (the first line should be '" + expected + "')");
    if (tokens_[1] != strategy)
        fail("a state of the '" + std::string(tokens_[1]) + "' strategy, not of '" + strategy_ + "'");
    if (tokens_[2] != std::to_string(version))
        fail("format version '" + std::string(tokens_[2]) + "' is not supported (expected '" + expected + "')");
    token_ = tokens_.size();
    if (lines_.size() < 2 || lines_.back() != end_key) {
        line_ = lines_.size() - 1;
        fail("truncated (the last line is not 'end')");
    }
}

void StateReader::fail(const std::string& problem) const {
    throw std::invalid_argument(strategy_ + " state, line " + std::to_string(line_ + 1) + ": " + problem);
}

void StateReader::require_line_used() const {
    if (token_ < tokens_.size()) fail("unexpected '" + std::string(tokens_[token_]) + "' at the end of the line");
}

std::string_view StateReader::next_key() const {
    return line_ + 1 < lines_.size() ? first_word(lines_[line_ + 1]) : end_key;
}

void StateReader::line(std::string_view key) {
    require_line_used();
    ++line_;
    // The constructor checked that the last line is `end`, so this stays in range.
    if (line_ + 1 == lines_.size()) fail("expected a '" + std::string(key) + "' line, found the end");
    tokens_ = split(lines_[line_], ' ');
    for (std::string_view t : tokens_)
        if (t.empty()) fail("empty token (lines are tokens separated by single spaces)");
    if (tokens_[0] != key)
        fail("expected a '" + std::string(key) + "' line, found '" + std::string(tokens_[0]) + "'");
    token_ = 1;
}

void StateReader::finish() {
    require_line_used();
    ++line_;
    if (line_ + 1 != lines_.size()) fail("unexpected line '" + std::string(first_word(lines_[line_])) + "'");
}

std::string_view StateReader::token(const char* what) {
    if (token_ >= tokens_.size()) fail(std::string("missing ") + what);
    return tokens_[token_++];
}

std::uint64_t StateReader::unsigned_number() {
    const std::string_view t = token("a number");
    std::uint64_t value = 0;
    if (!parse_whole(t, value)) fail("'" + std::string(t) + "' is not an unsigned integer");
    return value;
}

std::int64_t StateReader::signed_number() {
    const std::string_view t = token("a number");
    std::int64_t value = 0;
    if (!parse_whole(t, value)) fail("'" + std::string(t) + "' is not an integer");
    return value;
}

std::uint64_t StateReader::unsigned_number(std::uint64_t lo, std::uint64_t hi) {
    const std::uint64_t value = unsigned_number();
    if (value < lo || value > hi)
        fail(std::to_string(value) + " is out of range [" + std::to_string(lo) + "," + std::to_string(hi) + "]");
    return value;
}

int StateReader::int_number(int lo, int hi) {
    const std::int64_t value = signed_number();
    if (value < lo || value > hi)
        fail(std::to_string(value) + " is out of range [" + std::to_string(lo) + "," + std::to_string(hi) + "]");
    return static_cast<int>(value);
}

bool StateReader::flag() { return unsigned_number(0, 1) == 1; }

double StateReader::real() {
    const std::string_view t = token("a number");
    double value = 0;
    if (!parse_whole(t, value)) fail("'" + std::string(t) + "' is not a number");
    return value;
}

std::string_view StateReader::word() { return token("a word"); }

std::string_view StateReader::peek() {
    const std::string_view t = token("a word");
    --token_;
    return t;
}

Point StateReader::point(std::size_t dimension) {
    Point values(dimension);
    for (std::size_t i = 0; i < dimension; ++i) {
        if (token_ >= tokens_.size())
            fail("a point has " + std::to_string(i) + " values, the space has " + std::to_string(dimension) +
                 " parameters");
        values[i] = real();
    }
    return values;
}

Point StateReader::point(const SearchSpace& space) {
    Point values = point(space.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!space[i].contains(values[i]))
            fail("value " + shortest(values[i]) + " is outside the domain of parameter '" + space[i].flag() + "'");
    return values;
}

void StateReader::dimension(const SearchSpace& space) {
    line("dimension");
    const std::uint64_t n = unsigned_number();
    if (n != space.size())
        fail("the state is of a space of " + std::to_string(n) + " parameters, this space has " +
             std::to_string(space.size()));
}

std::vector<std::size_t> StateReader::counts_to_end() {
    std::vector<std::size_t> counts;
    while (token_ < tokens_.size()) counts.push_back(static_cast<std::size_t>(unsigned_number()));
    return counts;
}

std::uint64_t StateReader::pending_id(std::uint64_t from, std::uint64_t next_id) {
    const std::uint64_t id = unsigned_number();
    if (id >= next_id)
        fail("pending trial " + std::to_string(id) + " was never proposed (next-id is " + std::to_string(next_id) + ")");
    if (id < from) fail("pending trial " + std::to_string(id) + " is out of order or repeated");
    return id;
}

std::uint64_t StateReader::proposals_within(std::uint64_t budget) {
    line("next-id");
    const std::uint64_t next_id = unsigned_number();
    if (next_id > budget)
        fail("the state has made " + std::to_string(next_id) + " proposals, more than evals (" +
             std::to_string(budget) + ")");
    return next_id;
}

std::map<std::uint64_t, Point> StateReader::pending_points(const SearchSpace& space, std::uint64_t next_id) {
    std::map<std::uint64_t, Point> pending;
    while (next_key() == "pending") {
        line("pending");
        const std::uint64_t id = pending_id(pending.empty() ? 0 : pending.rbegin()->first + 1, next_id);
        pending.emplace(id, point(space));
    }
    return pending;
}

void StateReader::rng(std::mt19937_64& rng) {
    if (token_ >= tokens_.size()) fail("missing the generator state");
    // Streams would take a sign or stop quietly inside a token; the state is plain digits only.
    for (std::size_t t = token_; t < tokens_.size(); ++t)
        if (tokens_[t].find_first_not_of("0123456789") != std::string_view::npos)
            fail("malformed generator state ('" + std::string(tokens_[t]) + "')");
    // The rest of the line, as it was written.
    const char* const first = tokens_[token_].data();
    const char* const last = tokens_.back().data() + tokens_.back().size();
    std::istringstream in(std::string(first, last));
    in.imbue(std::locale::classic());
    std::mt19937_64 read;
    in >> read;
    if (in.fail()) fail("malformed generator state");
    in >> std::ws;
    if (!in.eof()) fail("unexpected text after the generator state");
    token_ = tokens_.size();
    rng = read;
}

}  // namespace hpo::detail
