// Where a kernel's output goes while it runs: capped files on disk, the FoM parser, a bounded
// stderr tail and, if asked, the echo on hpo's stderr. Memory stays fixed whatever the kernel prints.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "hpo/exec/fom_parser.hpp"
#include "output_echo.hpp"
#include "unique_fd.hpp"

namespace hpo::exec_detail {

// A file that keeps the first `limit` bytes written to it and counts the rest.
class CappedFile {
public:
    CappedFile(UniqueFd fd, std::size_t limit) : fd_(std::move(fd)), limit_(limit) {}

    void write(std::string_view data);
    bool cut() const { return total_ > written_; }
    std::size_t written() const { return written_; }

private:
    UniqueFd fd_;
    std::size_t limit_;
    std::size_t written_ = 0;
    std::size_t total_ = 0;
    bool failed_ = false;  // a full disk stops the copy, never the kernel
};

// The last `capacity` bytes of a stream.
class TailBuffer {
public:
    explicit TailBuffer(std::size_t capacity) : capacity_(capacity) {}

    void append(std::string_view data);
    std::string text() const;
    bool cut() const { return total_ > capacity_; }

private:
    std::size_t capacity_;
    std::size_t total_ = 0;
    std::string data_;  // up to twice the capacity, so that trimming is amortized
};

class OutputCapture {
public:
    OutputCapture(UniqueFd stdout_file, UniqueFd stderr_file, std::string fom_prefix,
                  std::size_t output_limit_bytes, std::size_t stderr_tail_bytes);

    // Each line of both streams also to hpo's stderr, after `prefix` (output_echo.hpp).
    void echo_lines(const std::string& prefix);

    void on_stdout(std::string_view chunk);
    void on_stderr(std::string_view chunk);
    void finish();
    // After finish(): waits, at most `max_seconds`, until the echoed lines are written.
    void wait_echoed(double max_seconds) const;

    // Each FoM line as it completes (fom_parser.hpp).
    void on_step(StepListener listener) { parser_.on_step(std::move(listener)); }

    const FomParser& fom() const { return parser_; }
    const CappedFile& stdout_file() const { return stdout_; }
    const CappedFile& stderr_file() const { return stderr_; }
    const TailBuffer& stderr_tail() const { return tail_; }

private:
    CappedFile stdout_;
    CappedFile stderr_;
    FomParser parser_;
    TailBuffer tail_;
    std::optional<LineEcho> echo_out_, echo_err_;
};

}  // namespace hpo::exec_detail
