// Finding the figure of merit in a kernel's stdout, streamed in chunks of any size.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace hpo {

// Each line holding the prefix is one step (the n-th is step n: an epoch, say), told to the step
// listener as it completes, with NaN for a value that is not a number.
using StepListener = std::function<void(int step, double value)>;

// Feeds on stdout as it arrives and remembers the last `PREFIX value` it saw. Memory stays
// bounded whatever the kernel prints: only the current line is kept, and only its last
// max_line_bytes (the value ends its line, so a FoM after a long progress bar is still seen).
class FomParser {
public:
    explicit FomParser(std::string prefix, std::size_t max_line_bytes = 64 * 1024);

    void on_step(StepListener listener) { listener_ = std::move(listener); }

    void feed(std::string_view chunk);
    void finish();  // the output ended; a last line without a newline still counts

    bool seen() const { return steps_ > 0; }      // a line with the prefix appeared
    int steps() const { return steps_; }          // how many
    std::optional<double> value() const;          // the last parsable value (inf allowed, NaN kept)
    bool last_was_unparsable() const { return last_unparsable_; }
    const std::string& last_text() const { return last_text_; }  // what followed the prefix

private:
    void line_complete();

    std::string prefix_;
    std::size_t max_line_bytes_;
    std::string line_;
    int steps_ = 0;
    StepListener listener_;
    bool last_unparsable_ = false;
    double last_value_ = 0;
    std::string last_text_;
};

}  // namespace hpo
