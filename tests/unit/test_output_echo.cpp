// The echo of kernel output on hpo's stderr (exec/output_echo.hpp): whole prefixed lines, long
// lines cut on a character boundary, the last unterminated line, and a stderr nobody reads
// holding the kernel's side up only once (then lines are dropped and counted) until it moves.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "../../src/exec/output_echo.hpp"

using hpo::exec_detail::LineEcho;
using hpo::exec_detail::wait_echoed;

namespace {

// While alive, this process's descriptor 2 is the write end of a pipe whose other end a thread
// reads to the end; text() restores descriptor 2 and returns everything written meanwhile.
// `reading = false` leaves the pipe unread until start_reading(): a stuck stderr.
class PipedStderr {
public:
    explicit PipedStderr(bool reading = true) {
        std::fflush(stderr);
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        read_end_ = fds[0];
        saved_ = ::dup(2);
        ::dup2(fds[1], 2);
        ::close(fds[1]);
        if (reading) start_reading();
    }
    ~PipedStderr() { text(); }

    void start_reading() {
        if (reader_.joinable()) return;
        reader_ = std::thread([this] {
            char buffer[65536];
            for (ssize_t n; (n = ::read(read_end_, buffer, sizeof buffer)) > 0;) text_.append(buffer, static_cast<std::size_t>(n));
        });
    }

    std::string text() {
        if (saved_ >= 0) {
            start_reading();
            ::dup2(saved_, 2);  // the pipe's last write end goes: the reader sees its end
            ::close(saved_);
            saved_ = -1;
            reader_.join();
            ::close(read_end_);
        }
        return text_;
    }

private:
    int read_end_ = -1;
    int saved_ = -1;
    std::thread reader_;
    std::string text_;
};

}  // namespace

TEST_CASE("echo: each line whole after its prefix, however the chunks cut it", "[output_echo]") {
    PipedStderr captured;
    LineEcho echo("[trial 7] ");
    for (const char* chunk : {"fir", "st\nsec", "ond\n", "\nthird\nunterminated"}) echo.feed(chunk);
    echo.finish();
    wait_echoed(echo.last_sequence(), 10);
    CHECK(captured.text() == "[trial 7] first\n[trial 7] second\n[trial 7] \n[trial 7] third\n[trial 7] unterminated\n");
}

TEST_CASE("echo: a line beyond the limit is cut, the rest counted, never inside a character", "[output_echo]") {
    PipedStderr captured;
    LineEcho echo("[trial 1] ", 10);
    echo.feed("0123456789abcdef\n");
    echo.feed("12345678\xC3\xA9xyz\n");  // é straddles the limit
    echo.feed(std::string(1 << 20, 'x'));  // a MiB without a newline, then its end
    echo.feed("\nshort\n");
    wait_echoed(echo.last_sequence(), 10);
    CHECK(captured.text() == "[trial 1] 0123456789 [hpo: line cut, 6 more bytes]\n"
                             "[trial 1] 12345678 [hpo: line cut, 5 more bytes]\n"
                             "[trial 1] xxxxxxxxxx [hpo: line cut, 1048566 more bytes]\n"
                             "[trial 1] short\n");
}

TEST_CASE("echo: a stderr nobody reads never blocks the kernel's side; dropped lines are counted", "[output_echo]") {
    constexpr int lines = 10000;
    const std::string body(1000, 'y');
    PipedStderr captured(/*reading=*/false);
    LineEcho echo("[trial 3] ");
    // 10 MB of lines against a pipe that holds 64 KiB: feed() returns all the same (it would hang
    // here if it waited for stderr; it waits once, a second, to tell a slow stderr from a stuck one).
    for (int i = 0; i < lines; ++i) echo.feed(std::to_string(i) + body + "\n");
    CHECK(hpo::exec_detail::echo_stuck());
    captured.start_reading();  // now stderr is read: the queued lines follow, and it is not stuck
    for (int i = 0; i < 6000 && hpo::exec_detail::echo_stuck(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE_FALSE(hpo::exec_detail::echo_stuck());
    wait_echoed(echo.last_sequence(), 60);
    const std::string text = captured.text();
    std::size_t echoed = 0;
    for (std::size_t at = text.find("[trial 3] "); at != std::string::npos; at = text.find("[trial 3] ", at + 1)) ++echoed;
    const auto note = text.find(" lines of kernel output were not echoed: stderr did not keep up");
    REQUIRE(note != std::string::npos);
    const std::size_t line_start = text.rfind('\n', note) + 1;
    const std::size_t dropped = std::stoul(text.substr(line_start + 5, note - line_start - 5));  // after "hpo: "
    CHECK(dropped > 0);
    CHECK(echoed + dropped == lines);
    CHECK(text.find("[trial 3] 0" + body + "\n") != std::string::npos);  // the first line made it whole
}
