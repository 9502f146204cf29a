// How long the coordinator of an MPI job sleeps between two looks for a result while some
// running worker has no doorbell (doorbell.hpp: those that do wake it). Internal to src/dist/
// (used by mpi_transport.cpp); free of MPI, so that its arithmetic is unit-tested.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace hpo::mpi {

// MPI cannot wake a sleeping process when a message arrives (Open MPI's blocking calls spin and
// would steal the kernels' cores), so the coordinator looks, sleeps, looks again. Every look is a
// wakeup that costs CPU (20-60 us on this 2-core VM); every result that arrives during a
// sleep keeps its worker idle until the next look. A fixed pause makes the looks per result grow
// with the kernels' duration (2 ms: 500 looks per second of waiting, 3-7 ms of CPU per evaluation
// of 1 s kernels on 4 workers); here the pause is a fixed share of the time an evaluation takes
// (the median of the last round trips, dispatch to result), so that a result is seen on average
// half a percent of an evaluation late, whatever the kernels' duration, for a bounded number of
// looks per result. Before any round trip is known, the oldest running evaluation's age stands
// for it, with a larger share: the pause grows from the shortest as the first evaluations go on,
// in fewer looks (the first results only may be seen up to 4 % of their evaluation late).
class ResultPacing {
public:
    using Clock = std::chrono::steady_clock;

    static constexpr int share = 100;                          // pause = typical round trip / share
    static constexpr int share_before_first = 25;              // pause = oldest running one's age / this
    static constexpr std::chrono::microseconds shortest{50};  // a shorter sleep costs the timer's slack anyway
    static constexpr std::chrono::microseconds longest{50'000};
    static constexpr std::size_t remembered = 31;              // round trips the median is taken over

    // Throws std::invalid_argument for no workers.
    explicit ResultPacing(std::size_t workers);

    void dispatched(std::size_t worker, Clock::time_point when);
    // `representative`: false for a stopped evaluation, whose round trip says nothing of the others'.
    void answered(std::size_t worker, Clock::time_point when, bool representative);

    std::chrono::microseconds pause(Clock::time_point now) const;

private:
    std::vector<std::optional<Clock::time_point>> dispatched_at_;  // per worker, while it runs one
    std::vector<Clock::duration> round_trips_;                     // the last `remembered`, a ring
    std::size_t next_slot_ = 0;
    std::optional<Clock::duration> typical_;  // their median, once one is known
};

}  // namespace hpo::mpi
