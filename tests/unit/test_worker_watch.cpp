// The limits after which a busy MPI worker is lost, and each worker's clocks (no MPI, no sleeping:
// the clocks are given).
#include <catch2/catch.hpp>

#include "hpo/dist/worker_watch.hpp"
#include "hpo/exec/kernel.hpp"

using namespace hpo;
using namespace std::chrono_literals;
using Clock = WorkerWatch::Clock;

TEST_CASE("the limits come from the worker timeout and the kernel's timeout and kill grace") {
    KernelConfig kernel;
    kernel.kill_grace_seconds = 5;
    WatchLimits limits = watch_limits(kernel, 300);
    CHECK(limits.silence.count() == 300);
    CHECK(limits.trial_limit.count() == 0);  // no --timeout: no trial limit
    CHECK(limits.stop_limit.count() == 5 + answer_margin_seconds);

    kernel.timeout_seconds = 60;
    limits = watch_limits(kernel, 0);
    CHECK(limits.silence.count() == 0);
    CHECK(limits.trial_limit.count() == 60 + 5 + answer_margin_seconds);
    CHECK(limits.any());

    // An interrupted srun evaluation waits for its job step to end before the worker answers.
    kernel.launcher = Launcher::srun;
    limits = watch_limits(kernel, 0);
    CHECK(limits.trial_limit.count() == 60 + 5 + answer_margin_seconds + slurm_step_end_patience_seconds);
    CHECK(limits.stop_limit.count() == 5 + answer_margin_seconds + slurm_step_end_patience_seconds);
}

TEST_CASE("heartbeats come well within the worker timeout, neither too often nor too rarely") {
    CHECK(heartbeat_interval_seconds(0) == 0);
    CHECK(heartbeat_interval_seconds(8) == 1);
    CHECK(heartbeat_interval_seconds(300) == 10);  // the default: every 10 s
    CHECK(heartbeat_interval_seconds(1) == 0.125);
    CHECK(heartbeat_interval_seconds(0.2) == 0.1);  // the worker looks every 50 ms
}

TEST_CASE("a busy worker is lost once silent past the limit; heartbeats keep it") {
    WatchLimits limits;
    limits.silence = 30s;
    WorkerWatch watch(2, limits);
    const auto t0 = Clock::now();
    CHECK_FALSE(watch.overdue(0, t0 + 1h));  // idle: no limit applies
    watch.dispatched(0, t0);
    CHECK_FALSE(watch.overdue(0, t0 + 29s));
    const auto why = watch.overdue(0, t0 + 31s);
    REQUIRE(why);
    CHECK(why->find("no heartbeat for 31 s") != std::string::npos);

    watch.heard(0, t0 + 20s);
    CHECK_FALSE(watch.overdue(0, t0 + 31s));
    watch.heard(0, t0 + 10s);  // an older one changes nothing
    CHECK(watch.overdue(0, t0 + 51s));
    watch.answered(0);
    CHECK_FALSE(watch.overdue(0, t0 + 1h));
    CHECK_FALSE(watch.overdue(1, t0 + 1h));
}

TEST_CASE("heartbeats do not extend a trial past its timeout, grace and margin") {
    WatchLimits limits;
    limits.silence = 30s;
    limits.trial_limit = 20s;
    WorkerWatch watch(1, limits);
    const auto t0 = Clock::now();
    watch.dispatched(0, t0);
    watch.heard(0, t0 + 19s);
    CHECK_FALSE(watch.overdue(0, t0 + 20s));
    const auto why = watch.overdue(0, t0 + 21s);
    REQUIRE(why);
    CHECK(why->find("after its order") != std::string::npos);
}

TEST_CASE("after a stop, a worker has the stop limit to answer") {
    WatchLimits limits;
    limits.stop_limit = 15s;
    WorkerWatch watch(1, limits);
    const auto t0 = Clock::now();
    watch.dispatched(0, t0);
    CHECK_FALSE(watch.overdue(0, t0 + 1h));  // no silence or trial limit: it may run for ever
    watch.stop_sent(0, t0 + 1h);
    CHECK_FALSE(watch.overdue(0, t0 + 1h + 14s));
    const auto why = watch.overdue(0, t0 + 1h + 16s);
    REQUIRE(why);
    CHECK(why->find("after the stop") != std::string::npos);
}
