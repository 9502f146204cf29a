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

// Lines waiting for stderr, at most this many bytes: beyond, new lines are dropped.
constexpr std::size_t queue_bytes = 4 << 20;

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

// The writer thread and its queue. Made once and never destroyed: the thread may be blocked
// in write(2) when the process exits.
class EchoQueue {
public:
    static EchoQueue& instance() {
        static EchoQueue* queue = new EchoQueue;
        return *queue;
    }

    std::uint64_t push(std::string line) {
        std::lock_guard lock(mutex_);
        const std::uint64_t sequence = ++pushed_;
        if (bytes_ + line.size() > queue_bytes) {
            ++dropped_;
            ++done_;  // dropped lines count as done: nobody waits for them
            return sequence;
        }
        bytes_ += line.size();
        lines_.push_back(std::move(line));
        ready_.notify_one();
        return sequence;
    }

    void wait(std::uint64_t sequence, double max_seconds) {
        std::unique_lock lock(mutex_);
        written_.wait_for(lock, std::chrono::duration<double>(max_seconds), [&] { return done_ >= sequence; });
    }

private:
    EchoQueue() { std::thread([this] { run(); }).detach(); }

    void run() {
        std::unique_lock lock(mutex_);
        for (;;) {
            ready_.wait(lock, [&] { return !lines_.empty(); });
            std::string line = std::move(lines_.front());
            lines_.pop_front();
            bytes_ -= line.size();
            const std::size_t dropped = dropped_;
            dropped_ = 0;
            lock.unlock();
            if (dropped > 0) {
                write_all("hpo: " + std::to_string(dropped) +
                          " lines of kernel output were not echoed: stderr did not keep up (the files in the "
                          "trial directories have them)\n");
            }
            write_all(line);
            lock.lock();
            ++done_;
            written_.notify_all();
        }
    }

    std::mutex mutex_;
    std::condition_variable ready_, written_;
    std::deque<std::string> lines_;
    std::size_t bytes_ = 0;
    std::size_t dropped_ = 0;
    std::uint64_t pushed_ = 0;
    std::uint64_t done_ = 0;  // lines written or dropped; the queue keeps their order
};

}  // namespace

void LineEcho::feed(std::string_view chunk) {
    while (!chunk.empty()) {
        const auto newline = chunk.find('\n');
        const std::string_view part = chunk.substr(0, newline);
        const std::size_t room = max_line_ > line_.size() ? max_line_ - line_.size() : 0;
        line_.append(part.substr(0, room));
        dropped_ += part.size() - std::min(room, part.size());
        if (newline == std::string_view::npos) return;
        emit();
        chunk.remove_prefix(newline + 1);
    }
}

void LineEcho::finish() {
    if (!line_.empty() || dropped_ > 0) emit();
}

void LineEcho::emit() {
    std::string text = prefix_;
    if (dropped_ > 0) {
        // Cut on a character's boundary: a UTF-8 sequence is not split.
        std::size_t end = line_.size();
        while (end > 0 && (static_cast<unsigned char>(line_[end - 1]) & 0xC0) == 0x80) --end;
        if (end > 0 && (static_cast<unsigned char>(line_[end - 1]) & 0xC0) == 0xC0) --end;
        dropped_ += line_.size() - end;
        text.append(line_, 0, end);
        text += " [hpo: line cut, " + std::to_string(dropped_) + " more bytes]";
    } else {
        text += line_;
    }
    text += '\n';
    last_ = EchoQueue::instance().push(std::move(text));
    line_.clear();
    dropped_ = 0;
}

void wait_echoed(std::uint64_t sequence, double max_seconds) {
    if (sequence > 0) EchoQueue::instance().wait(sequence, max_seconds);
}

}  // namespace hpo::exec_detail
