// The coordinator's pause between looks for a result (see result_pacing.hpp).
#include "result_pacing.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace hpo::mpi {

ResultPacing::ResultPacing(std::size_t workers) : dispatched_at_(workers) {
    if (workers == 0) throw std::invalid_argument("result pacing needs at least 1 worker, got 0");
    round_trips_.reserve(remembered);
}

void ResultPacing::dispatched(std::size_t worker, Clock::time_point when) { dispatched_at_.at(worker) = when; }

void ResultPacing::answered(std::size_t worker, Clock::time_point when, bool representative) {
    const std::optional<Clock::time_point> since = dispatched_at_.at(worker);
    dispatched_at_[worker].reset();
    if (!since || !representative) return;
    const Clock::duration round_trip = std::max(Clock::duration::zero(), when - *since);
    if (round_trips_.size() < remembered) {
        round_trips_.push_back(round_trip);
    } else {
        round_trips_[next_slot_] = round_trip;
    }
    next_slot_ = (next_slot_ + 1) % remembered;
    std::vector<Clock::duration> sorted = round_trips_;
    const auto middle = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2);
    std::nth_element(sorted.begin(), middle, sorted.end());
    typical_ = *middle;
}

std::chrono::microseconds ResultPacing::pause(Clock::time_point now) const {
    Clock::duration share_of_it = Clock::duration::zero();
    if (typical_) {
        share_of_it = *typical_ / share;
    } else {
        Clock::duration oldest = Clock::duration::zero();
        for (const auto& since : dispatched_at_) {
            if (since) oldest = std::max(oldest, now - *since);
        }
        share_of_it = oldest / share_before_first;
    }
    return std::clamp(std::chrono::duration_cast<std::chrono::microseconds>(share_of_it), shortest, longest);
}

}  // namespace hpo::mpi
