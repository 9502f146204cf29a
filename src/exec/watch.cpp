// The supervision loop of one kernel process; see watch.hpp.
#include "watch.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <memory>

namespace hpo::exec_detail {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A pipe's default capacity: one read takes all a kernel could write between two polls.
constexpr std::size_t read_chunk_bytes = 64 * 1024;
constexpr auto stop_check_interval = 50ms;    // the contract asks for at least every 100 ms
constexpr auto drain_after_exit = 500ms;      // leftover output once the kernel is gone
constexpr auto exit_check_interval = 20ms;    // only without a pidfd (kernels before 5.3)
constexpr auto longest_poll = 60s;

Clock::duration seconds(double s) {
    s = std::clamp(s, 0.0, 1e9);  // a timeout of centuries must not overflow the clock
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

// The read buffer of this thread's watches, allocated once: a fresh one per trial cost a
// zeroing and, at this size, an mmap and munmap of its own (a tenth of hpo's work per trial).
char* read_buffer() {
    thread_local const std::unique_ptr<char[]> buffer(new char[read_chunk_bytes]);
    return buffer.get();
}

UniqueFd open_pidfd(pid_t pid) {
#if defined(SYS_pidfd_open)
    return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
#else
    (void)pid;
    return UniqueFd();
#endif
}

class Watch {
public:
    Watch(pid_t pid, UniqueFd out, UniqueFd err, OutputCapture& capture, const WatchLimits& limits,
          const InterruptionPoll& stop)
        : pid_(pid), out_(std::move(out)), err_(std::move(err)), pidfd_(open_pidfd(pid)),
          capture_(capture), stop_(stop), buffer_(read_buffer()) {
        const auto now = Clock::now();
        if (limits.timeout_seconds > 0) deadline_ = now + seconds(limits.timeout_seconds);  // else never
        grace_ = seconds(limits.kill_grace_seconds);
        next_stop_check_ = now;
    }

    // Only reached if the loop is left by an exception (a throwing stop callback): the kernel
    // must not outlive run_kernel.
    ~Watch() {
        if (!exited_) {
            ::kill(-pid_, SIGKILL);
            reap();
        }
    }

    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

    WatchResult run() {
        for (;;) {
            const auto now = Clock::now();
            if (!exited_) {
                enforce_limits(now);
                if (exit_may_have_happened_ || !pidfd_) check_exit(now);
            }
            if (exited_ && !out_ && !err_) break;
            if (exited_ && now >= drain_until_) {
                result_.drain_cut = true;
                break;
            }
            wait_for_events(now);
        }
        capture_.finish();
        return result_;
    }

private:
    void enforce_limits(Clock::time_point now) {
        if (result_.interruption == Interruption::none) {
            if (now >= deadline_) {
                terminate(Interruption::timeout, now);
            } else if (stop_ && now >= next_stop_check_) {
                next_stop_check_ = now + stop_check_interval;
                if (const Interruption asked = stop_(); asked != Interruption::none) terminate(asked, now);
            }
        } else if (!result_.killed && now >= kill_at_) {
            ::kill(-pid_, SIGKILL);
            result_.killed = true;
        }
    }

    void terminate(Interruption why, Clock::time_point now) {
        result_.interruption = why;
        ::kill(-pid_, SIGTERM);
        kill_at_ = now + grace_;
        if (grace_ <= Clock::duration::zero()) {
            ::kill(-pid_, SIGKILL);
            result_.killed = true;
        }
    }

    // WNOWAIT leaves the child a zombie, which keeps its process group id reserved: the group
    // can then be killed without any risk of hitting a recycled pid, and only then is it reaped.
    void check_exit(Clock::time_point now) {
        exit_may_have_happened_ = false;
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
            if (errno == ECHILD) {
                exited_ = true;
                result_.lost = true;
                drain_until_ = now + drain_after_exit;
            }
            return;
        }
        if (info.si_pid != pid_) return;
        ::kill(-pid_, SIGKILL);  // leftovers, e.g. a grandchild still holding the pipes
        reap();
        drain_until_ = now + drain_after_exit;
    }

    void reap() {
        int status = 0;
        pid_t r;
        while ((r = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
        }
        exited_ = true;
        if (r == pid_) {
            result_.wait_status = status;
        } else {
            result_.lost = true;
        }
    }

    int poll_timeout_ms(Clock::time_point now) const {
        auto next = Clock::time_point::max();
        if (!exited_) {
            if (result_.interruption == Interruption::none) {
                next = std::min(next, deadline_);
                if (stop_) next = std::min(next, next_stop_check_);
            } else if (!result_.killed) {
                next = std::min(next, kill_at_);
            }
            if (!pidfd_) next = std::min(next, now + exit_check_interval);
        } else {
            next = std::min(next, drain_until_);
        }
        if (next == Clock::time_point::max()) return -1;
        const auto wait = std::chrono::ceil<std::chrono::milliseconds>(std::min<Clock::duration>(next - now, longest_poll));
        return static_cast<int>(std::max<std::chrono::milliseconds::rep>(wait.count(), 0));
    }

    void wait_for_events(Clock::time_point now) {
        std::array<pollfd, 3> fds{};
        nfds_t n = 0;
        int out_at = -1, err_at = -1, pid_at = -1;
        if (out_) { out_at = static_cast<int>(n); fds[n++] = {out_.get(), POLLIN, 0}; }
        if (err_) { err_at = static_cast<int>(n); fds[n++] = {err_.get(), POLLIN, 0}; }
        if (!exited_ && pidfd_) { pid_at = static_cast<int>(n); fds[n++] = {pidfd_.get(), POLLIN, 0}; }

        if (::poll(fds.data(), n, poll_timeout_ms(now)) <= 0) return;  // timeout or EINTR: re-check
        if (out_at >= 0 && fds[out_at].revents != 0) read_once(out_, true);
        if (err_at >= 0 && fds[err_at].revents != 0) read_once(err_, false);
        if (pid_at >= 0 && fds[pid_at].revents != 0) exit_may_have_happened_ = true;
    }

    // One read per readiness keeps the loop responsive to the timeout under a flood.
    void read_once(UniqueFd& fd, bool is_stdout) {
        const auto n = ::read(fd.get(), buffer_, read_chunk_bytes);
        if (n > 0) {
            const std::string_view chunk(buffer_, static_cast<std::size_t>(n));
            is_stdout ? capture_.on_stdout(chunk) : capture_.on_stderr(chunk);
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            fd.reset();
        }
    }

    pid_t pid_;
    UniqueFd out_, err_, pidfd_;
    OutputCapture& capture_;
    const InterruptionPoll& stop_;
    char* buffer_;  // read_buffer()

    Clock::time_point deadline_ = Clock::time_point::max();
    Clock::duration grace_{};
    Clock::time_point next_stop_check_;
    Clock::time_point kill_at_;
    Clock::time_point drain_until_;
    bool exited_ = false;
    bool exit_may_have_happened_ = true;
    WatchResult result_;
};

}  // namespace

WatchResult watch_kernel(pid_t pid, UniqueFd stdout_pipe, UniqueFd stderr_pipe, OutputCapture& capture,
                         const WatchLimits& limits, const InterruptionPoll& poll) {
    Watch watch(pid, std::move(stdout_pipe), std::move(stderr_pipe), capture, limits, poll);
    return watch.run();
}

}  // namespace hpo::exec_detail
