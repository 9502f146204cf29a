// The echo of a kernel's output on hpo's stderr (KernelConfig::echo_output): each complete line,
// prefixed `[trial N] `, within one write(2) (several whole lines may share one). Memory stays
// bounded however much or how long the kernel prints: lines go through a bounded queue (4 MiB) to
// one writer thread per process. A slow stderr slows a flooding kernel as a slow disk does; a
// stuck one holds it up once, for at most a second, and then its lines are dropped (and
// counted) until stderr moves again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hpo::exec_detail {

// A line longer than this is cut: its first bytes are echoed with a note of how many followed.
// With the prefix and the note, one echoed line stays below PIPE_BUF (4096 bytes), which a pipe
// writes in one piece: under mpirun, where stderr is the launcher's pipe, lines of concurrent
// kernels never interleave.
inline constexpr std::size_t echo_line_bytes = 3800;

// One stream's lines (a kernel's stdout or stderr) on their way to the echo queue.
class LineEcho {
public:
    explicit LineEcho(std::string prefix, std::size_t max_line_bytes = echo_line_bytes)
        : prefix_(std::move(prefix)), max_line_(max_line_bytes) {}

    void feed(std::string_view chunk);
    void finish();  // a last line without its newline is echoed too
    // The queue's number of this stream's last lines (0: none yet), for wait_echoed.
    std::uint64_t last_sequence() const { return last_; }

private:
    void end_line();
    void push();

    std::string prefix_;
    std::size_t max_line_;
    std::string line_;         // the line being read, at most max_line_ bytes
    std::size_t dropped_ = 0;  // bytes of the current line beyond max_line_
    std::string ready_;        // lines ended by the current chunk, prefixed
    std::uint64_t last_ = 0;
};

// Waits until the echo queue has written (or dropped) every line up to `sequence`, at most
// `max_seconds`, and not at all while stderr is stuck: a trial's last lines reach stderr before
// its result goes on (and the run's summary after them).
void wait_echoed(std::uint64_t sequence, double max_seconds);

// Whether stderr is taken to be stuck: lines are being dropped until it moves again.
bool echo_stuck();

}  // namespace hpo::exec_detail
