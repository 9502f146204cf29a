// Streaming search for the figure-of-merit line in a kernel's stdout.
#include "hpo/exec/fom_parser.hpp"

#include <cstdlib>
#include <cstring>
#include <limits>

namespace hpo {

namespace {

bool only_whitespace(const char* p) {
    for (; *p != '\0'; ++p) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '\v' && *p != '\f') return false;
    }
    return true;
}

// strtod needs a NUL-terminated string; the whole rest of the line must be the number, so that
// `FoM: 12 epochs left` is rejected rather than silently read as 12.
std::optional<double> parse_number(const std::string& text) {
    const char* begin = text.c_str();
    char* end = nullptr;
    const double value = std::strtod(begin, &end);
    if (end == begin || !only_whitespace(end)) return std::nullopt;
    return value;
}

}  // namespace

FomParser::FomParser(std::string prefix, std::size_t max_line_bytes)
    : prefix_(std::move(prefix)), max_line_bytes_(max_line_bytes) {}

// An over-long line keeps its last max_line_bytes, not its first: the value must end its line,
// so a FoM printed after a long run of progress-bar updates (`\r` without `\n`) is still seen.
void FomParser::feed(std::string_view chunk) {
    const std::size_t max = max_line_bytes_;
    while (!chunk.empty()) {
        const void* nl = std::memchr(chunk.data(), '\n', chunk.size());
        const std::size_t piece = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - chunk.data())
                                     : chunk.size();
        std::string_view part = chunk.substr(0, piece);
        if (part.size() > max) part.remove_prefix(part.size() - max);

        // The common case, a whole line inside one chunk, costs no copy unless it holds the prefix.
        if (nl && line_.empty()) {
            if (part.find(prefix_) != std::string_view::npos) {
                line_.assign(part);
                line_complete();
            }
        } else {
            line_.append(part);
            if (line_.size() > 2 * max) line_.erase(0, line_.size() - max);  // amortized trimming
            if (nl) line_complete();
        }
        chunk.remove_prefix(nl ? piece + 1 : piece);
    }
}

void FomParser::finish() {
    if (!line_.empty()) line_complete();
}

// The last FoM line wins: once a later line is unparsable there is no value any more, exactly
// as run_kernel judges it (bad_fom).
std::optional<double> FomParser::value() const {
    if (steps_ == 0 || last_unparsable_) return std::nullopt;
    return last_value_;
}

void FomParser::line_complete() {
    std::string_view line(line_);
    if (line.size() > max_line_bytes_) line.remove_prefix(line.size() - max_line_bytes_);
    const auto at = line.find(prefix_);
    if (at != std::string_view::npos) {
        ++steps_;
        last_text_ = line.substr(at + prefix_.size());
        if (auto parsed = parse_number(last_text_)) {
            last_value_ = *parsed;
            last_unparsable_ = false;
        } else {
            last_unparsable_ = true;
        }
        if (listener_) listener_(steps_, last_unparsable_ ? std::numeric_limits<double>::quiet_NaN() : last_value_);
    }
    line_.clear();
}

}  // namespace hpo
