// The genetic strategy's older saved states, written from a current one as the older releases
// wrote them, for the tests that load them (src/strategy/genetic_state.cpp keeps reading them).
#pragma once

#include <string>
#include <vector>

namespace strategy_test {

namespace detail {

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t end = text.find('\n', pos);
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return lines;
}

// `line` without its token number `index` (0: the key).
inline std::string without_token(const std::string& line, int index) {
    std::size_t at = 0;
    for (int token = 0; token < index; ++token) at = line.find(' ', at) + 1;
    const std::size_t next = line.find(' ', at);
    return line.substr(0, at) + (next == std::string::npos ? "" : line.substr(next + 1));
}

inline std::string token_of(const std::string& line, int index) {
    std::size_t at = 0;
    for (int token = 0; token < index; ++token) at = line.find(' ', at) + 1;
    return line.substr(at, line.find(' ', at) - at);
}

}  // namespace detail

// Version 3 (one generation and one generator for all demes, summarized at the barrier): the
// same state without each deme's generation, generator and summaries and each member's
// generation and deme, with one `generation` line, and next-report 0 (unused then). Every deme
// must be at the same generation, as version 3 had them.
inline std::string genetic_version_3(const std::string& state) {
    std::string out = "hpo-strategy genetic 3\n", generation;
    bool in_demes = false;
    for (const std::string& line : detail::lines_of(state)) {
        const std::string key = detail::token_of(line, 0);
        if (key == "hpo-strategy") continue;
        if (key == "deme") in_demes = true;
        if (in_demes && key == "generation") {
            if (!generation.empty() && generation != line) return "demes at different generations";
            generation = line;
            continue;
        }
        if (key == "next-report") continue;
        if ((in_demes && key == "rng") || key == "best-fom" || key == "mean-fom") continue;
        if (key == "member") {
            out += detail::without_token(detail::without_token(line, 8), 8) + "\n";
            continue;
        }
        out += line + "\n";
        if (key == "next-id") out += "@generation@\nnext-report 0\n";
    }
    out.replace(out.find("@generation@"), 12, generation);
    return out;
}

// Version 2 (no parents) from a version 3 state; `had_parent`: some member named one.
inline std::string genetic_version_2(const std::string& version_3, bool& had_parent) {
    std::string out = "hpo-strategy genetic 2\n";
    had_parent = false;
    for (const std::string& line : detail::lines_of(version_3)) {
        if (detail::token_of(line, 0) == "hpo-strategy") continue;
        if (detail::token_of(line, 0) == "member") {
            had_parent = had_parent || detail::token_of(line, 8) != "none";
            out += detail::without_token(line, 8) + "\n";
            continue;
        }
        out += line + "\n";
    }
    return out;
}

}  // namespace strategy_test
