// Signal handlers that only set a lock-free flag (async-signal-safe).
#include "stop_signals.hpp"

namespace hpo {

namespace {

constexpr int handled[3] = {SIGTERM, SIGINT, SIGUSR1};
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
    for (int i = 0; i < 3; ++i) sigaction(handled[i], &action, &previous_[i]);
}

StopSignals::~StopSignals() {
    for (int i = 0; i < 3; ++i) sigaction(handled[i], &previous_[i], nullptr);
}

const std::atomic<bool>& StopSignals::requested() { return stop_flag; }
int StopSignals::last_signal() { return stop_signal.load(); }

}  // namespace hpo
