// The text of a strategy's saved state: writing and strict reading (internal to src/strategy).
//
// A state is a header line `hpo-strategy NAME VERSION`, then lines of tokens separated by single
// spaces, each line opening with a key, then a last line `end` (so a truncated state is caught).
// Doubles are written shortest-round-trip (std::to_chars), so they read back bit for bit, -0, inf
// and nan included; a generator as the standard's own text of its state. Everything is
// locale-independent. A reader rejects anything its strategy did not write, with
// std::invalid_argument naming the strategy, the line and the problem.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/space/search_space.hpp"

namespace hpo::detail {

class StateWriter {
public:
    StateWriter(std::string_view strategy, int version);

    // Starts a line; what follows with << goes on it.
    StateWriter& line(std::string_view key);

    template <std::integral T>
    StateWriter& operator<<(T value) {
        if constexpr (std::is_signed_v<T>) return put_signed(static_cast<std::int64_t>(value));
        else return put_unsigned(static_cast<std::uint64_t>(value));
    }
    StateWriter& operator<<(double value);
    StateWriter& operator<<(std::string_view word);
    StateWriter& operator<<(const char* word) { return *this << std::string_view(word); }
    StateWriter& operator<<(const std::vector<double>& values);
    StateWriter& operator<<(const std::vector<std::size_t>& values);
    StateWriter& operator<<(const std::mt19937_64& rng);

    // The `dimension N` line StateReader::dimension() checks.
    StateWriter& dimension(const SearchSpace& space) { return line("dimension") << space.size(); }
    // One `pending ID VALUES...` line per proposal not yet told, in id order.
    StateWriter& pending_points(const std::map<std::uint64_t, Point>& pending);

    // The whole state, `end` line included.
    std::string finish();

private:
    StateWriter& put_signed(std::int64_t value);
    StateWriter& put_unsigned(std::uint64_t value);
    void token(std::string_view text);

    std::string text_;
};

class StateReader {
public:
    // Checks the header (this strategy, this version) and the closing `end` line.
    StateReader(std::string_view text, std::string_view strategy, int version);

    // Moves to the next line, which must open with `key`; the previous line must be used up.
    void line(std::string_view key);
    // The key of the next line, without moving; "end" after the last line of content.
    std::string_view next_key() const;
    // True when every token of the current line has been read.
    bool line_done() const { return token_ >= tokens_.size(); }

    std::uint64_t unsigned_number();
    std::int64_t signed_number();
    // An integer in [lo, hi]: counts and indices that must fit the strategy's options.
    std::uint64_t unsigned_number(std::uint64_t lo, std::uint64_t hi);
    int int_number(int lo, int hi);
    bool flag();  // 0 or 1
    double real();
    std::string_view word();
    std::string_view peek();  // the next token, without moving past it
    Point point(std::size_t dimension);         // exactly `dimension` doubles
    Point point(const SearchSpace& space);      // and it must be a point of `space`
    std::vector<std::size_t> counts_to_end();   // the rest of the line
    // The id of a pending trial: already proposed (below `next_id`) and, as pending trials are
    // written in id order, at least `from` (one past the previous one).
    std::uint64_t pending_id(std::uint64_t from, std::uint64_t next_id);
    void rng(std::mt19937_64& rng);             // the rest of the line

    // A `dimension N` line, which must match the space's: the first sign of another space.
    void dimension(const SearchSpace& space);
    // The `next-id N` line of a strategy with an evaluation budget: a resume may raise the
    // budget, not lower it below what was already proposed.
    std::uint64_t proposals_within(std::uint64_t budget);
    // The `pending` lines StateWriter::pending_points wrote, each a point of `space`.
    std::map<std::uint64_t, Point> pending_points(const SearchSpace& space, std::uint64_t next_id);

    // Requires the `end` line to come next.
    void finish();

    // Rejects the state, naming the current line.
    [[noreturn]] void fail(const std::string& problem) const;

private:
    std::string_view token(const char* what);
    void require_line_used() const;

    std::string strategy_;
    std::vector<std::string_view> lines_;
    std::size_t line_ = 0;  // index into lines_ of the current line
    std::vector<std::string_view> tokens_;
    std::size_t token_ = 0;
};

}  // namespace hpo::detail
