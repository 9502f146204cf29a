// The echo of kernel output lines and the process's one echo writer (see output_echo.hpp).
#include "output_echo.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace hpo::exec_detail {

namespace {

// Lines waiting for stderr, at most this many bytes. When they are more, a kernel's lines wait
// for room as its writes to a file wait for the disk, but at most stuck_seconds: then stderr is
// taken to be stuck and new lines are dropped until the queue is half empty again.
constexpr std::size_t queue_bytes = 4 << 20;
constexpr double stuck_seconds = 1;

// A pipe writes at most this many bytes in one piece (POSIX: at least 512; Linux: 4096). Each
// write(2) holds whole lines up to this, so that other processes' lines never cut into them.
constexpr std::size_t atomic_write_bytes = 4096;

void write_all(std::string_view text) {
    while (!text.empty()) {
        const auto n = ::write(STDERR_FILENO, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return;  // stderr closed or broken: the echo is lost, the run goes on
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Whole lines, in writes of at most atomic_write_bytes (a line is never longer: echo_line_bytes).
void write_lines(std::string_view lines) {
    while (!lines.empty()) {
        std::size_t size = lines.size();
        if (size > atomic_write_bytes) {
            const auto end = lines.rfind('\n', atomic_write_bytes - 1);
            size = end == std::string_view::npos ? atomic_write_bytes : end + 1;
        }
        write_all(lines.substr(0, size));
        lines.remove_prefix(size);
    }
}

// The writer thread and its queue of blocks of whole lines. Made once and never destroyed: the
// thread may be blocked in write(2) when the process exits.
class EchoQueue {
public:
    static EchoQueue& instance() {
        static EchoQueue* queue = new EchoQueue;
        return *queue;
    }

    std::uint64_t push(std::string lines) {
        std::unique_lock lock(mutex_);
        const std::uint64_t sequence = ++pushed_;
        const auto fits = [&] { return bytes_ + lines.size() <= queue_bytes; };
        if (!fits() && !stuck_) {
            stuck_ = !room_.wait_for(lock, std::chrono::duration<double>(stuck_seconds), fits);
        }
        if (!fits()) {
            dropped_ += static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n'));
            lines.clear();  // an empty block keeps its place in the order: done once those before it are
            if (!blocks_.empty() && blocks_.back().lines.empty()) {
                blocks_.back().sequence = sequence;  // one empty block stands for a run of dropped ones
                return sequence;
            }
        }
        bytes_ += lines.size();
        if (blocks_.empty()) ready_.notify_one();
        blocks_.push_back({sequence, std::move(lines)});
        return sequence;
    }

    void wait(std::uint64_t sequence, double max_seconds) {
        std::unique_lock lock(mutex_);
        // A stuck stderr has cost its second already: nobody waits for it again.
        written_.wait_for(lock, std::chrono::duration<double>(max_seconds), [&] { return done_ >= sequence || stuck_; });
    }

    bool stuck() {
        std::lock_guard lock(mutex_);
        return stuck_;
    }

private:
    EchoQueue() { std::thread([this] { run(); }).detach(); }

    void run() {
        std::unique_lock lock(mutex_);
        for (;;) {
            ready_.wait(lock, [&] { return !blocks_.empty(); });
            std::deque<Block> blocks;
            blocks.swap(blocks_);
            const std::size_t dropped = dropped_;
            dropped_ = 0;
            lock.unlock();
            if (dropped > 0) {
                write_all("hpo: " + std::to_string(dropped) +
                          " lines of kernel output were not echoed: stderr did not keep up (the files in the "
                          "trial directories have them)\n");
            }
            for (const auto& block : blocks) write_lines(block.lines);
            lock.lock();
            for (const auto& block : blocks) bytes_ -= block.lines.size();
            done_ = blocks.back().sequence;
            if (bytes_ <= queue_bytes / 2) stuck_ = false;
            written_.notify_all();
            room_.notify_all();
        }
    }

    std::mutex mutex_;
    std::condition_variable ready_, written_, room_;
    struct Block {
        std::uint64_t sequence;
        std::string lines;  // empty: lines dropped
    };
    std::deque<Block> blocks_;
    std::size_t bytes_ = 0;    // of the blocks queued or being written
    std::size_t dropped_ = 0;  // lines, since the last note
    bool stuck_ = false;       // stderr did not make room within stuck_seconds: lines are dropped
    std::uint64_t pushed_ = 0;
    std::uint64_t done_ = 0;   // the sequence of the last block written (or dropped)
};

}  // namespace

void LineEcho::feed(std::string_view chunk) {
    while (!chunk.empty()) {
        const auto newline = chunk.find('\n');
        const std::string_view part = chunk.substr(0, newline);
        const std::size_t room = max_line_ > line_.size() ? max_line_ - line_.size() : 0;
        line_.append(part.substr(0, room));
        dropped_ += part.size() - std::min(room, part.size());
        if (newline == std::string_view::npos) break;
        end_line();
        chunk.remove_prefix(newline + 1);
    }
    push();
}

void LineEcho::finish() {
    if (!line_.empty() || dropped_ > 0) end_line();
    push();
}

void LineEcho::end_line() {
    ready_ += prefix_;
    if (dropped_ > 0) {
        // Cut on a character's boundary: a UTF-8 sequence is not split.
        std::size_t end = line_.size();
        while (end > 0 && (static_cast<unsigned char>(line_[end - 1]) & 0xC0) == 0x80) --end;
        if (end > 0 && (static_cast<unsigned char>(line_[end - 1]) & 0xC0) == 0xC0) --end;
        dropped_ += line_.size() - end;
        ready_.append(line_, 0, end);
        ready_ += " [hpo: line cut, " + std::to_string(dropped_) + " more bytes]";
    } else {
        ready_ += line_;
    }
    ready_ += '\n';
    line_.clear();
    dropped_ = 0;
}

// The lines a chunk completed go to the queue together: one lock and one wake-up per chunk read,
// not per line, so that a kernel printing many short lines is echoed as fast as it prints.
void LineEcho::push() {
    if (ready_.empty()) return;
    last_ = EchoQueue::instance().push(std::move(ready_));
    ready_.clear();
}

void wait_echoed(std::uint64_t sequence, double max_seconds) {
    if (sequence > 0) EchoQueue::instance().wait(sequence, max_seconds);
}

bool echo_stuck() { return EchoQueue::instance().stuck(); }

}  // namespace hpo::exec_detail
