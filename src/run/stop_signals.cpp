// Signal handlers that only set a lock-free flag (async-signal-safe).
#include "stop_signals.hpp"

namespace hpo {

namespace {

constexpr int handled[StopSignals::count] = {SIGTERM, SIGINT, SIGUSR1, SIGHUP};
std::atomic<bool> stop_flag{false};
std::atomic<int> stop_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int signal) {
    stop_signal.store(signal);
    stop_flag.store(true);
}

}  // namespace

StopSignals::StopSignals() {
    stop_flag = false;
    stop_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < count; ++i) {
        sigaction(handled[i], nullptr, &previous_[i]);
        // Started under nohup (SIGHUP ignored), hpo goes on ignoring the hang-up it was shielded from.
        if (handled[i] == SIGHUP && previous_[i].sa_handler == SIG_IGN) continue;
        sigaction(handled[i], &action, nullptr);
    }
}

StopSignals::~StopSignals() {
    for (int i = 0; i < count; ++i) sigaction(handled[i], &previous_[i], nullptr);
}

const std::atomic<bool>& StopSignals::requested() { return stop_flag; }
int StopSignals::last_signal() { return stop_signal.load(); }

}  // namespace hpo
