// The MPI coordinator's pause between looks for a result: a share of the evaluations' round trip,
// within bounds (synthetic times: nothing here sleeps or measures).
#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>

#include "../../src/dist/result_pacing.hpp"

using hpo::mpi::ResultPacing;
using namespace std::chrono_literals;

namespace {
const ResultPacing::Clock::time_point t0{};
}

TEST_CASE("pacing needs a worker") {
    CHECK_THROWS_WITH(ResultPacing(0), Catch::Contains("got 0"));
}

TEST_CASE("before any round trip, the pause grows with the oldest running evaluation's age") {
    ResultPacing pacing(2);
    CHECK(pacing.pause(t0) == ResultPacing::shortest);  // nothing runs yet
    pacing.dispatched(0, t0);
    pacing.dispatched(1, t0 + 100ms);
    CHECK(pacing.pause(t0 + 1ms) == ResultPacing::shortest);
    CHECK(pacing.pause(t0 + 200ms) == 8ms);  // the oldest is 200 ms old: a 25th of it
    CHECK(pacing.pause(t0 + 1000s) == ResultPacing::longest);
}

TEST_CASE("once round trips are known, the pause is a hundredth of their median") {
    ResultPacing pacing(3);
    pacing.dispatched(0, t0);
    pacing.dispatched(1, t0);
    pacing.dispatched(2, t0);
    pacing.answered(0, t0 + 1s, true);
    pacing.answered(1, t0 + 3s, true);
    pacing.answered(2, t0 + 2s, true);
    CHECK(pacing.pause(t0 + 10s) == 20ms);  // median 2 s; the time waited no longer counts

    // A stopped evaluation's round trip says nothing of the others'.
    pacing.dispatched(0, t0 + 10s);
    pacing.answered(0, t0 + 10s + 1ms, false);
    CHECK(pacing.pause(t0 + 11s) == 20ms);

    // Only the last `remembered` round trips count: kernels that became short are followed.
    for (std::size_t i = 0; i < ResultPacing::remembered; ++i) {
        pacing.dispatched(1, t0 + 20s);
        pacing.answered(1, t0 + 20s + 10ms, true);
    }
    CHECK(pacing.pause(t0 + 21s) == 100us);
}

TEST_CASE("the pause stays between its bounds") {
    ResultPacing pacing(1);
    pacing.dispatched(0, t0);
    pacing.answered(0, t0 + 1ms, true);  // an instant kernel
    CHECK(pacing.pause(t0 + 2ms) == ResultPacing::shortest);
    ResultPacing slow(1);
    slow.dispatched(0, t0);
    slow.answered(0, t0 + 3600s, true);  // an hour-long kernel
    CHECK(slow.pause(t0 + 3600s) == ResultPacing::longest);
}

TEST_CASE("an answer from a worker that was sent nothing changes nothing, an unknown worker throws") {
    ResultPacing pacing(2);
    pacing.answered(1, t0 + 5s, true);
    CHECK(pacing.pause(t0 + 5s) == ResultPacing::shortest);
    CHECK_THROWS_AS(pacing.dispatched(2, t0), std::out_of_range);
}
