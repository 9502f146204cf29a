// The coordinator's event loop over an in-process transport that answers out of order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include <time.h>

#include "hpo/dist/coordinator.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/strategy/factory.hpp"

using namespace hpo;

namespace {

// Evaluates f(x, y) = (x - 0.3)^2 + (y - 2)^2 from the `--x=` and `--y=` arguments, answering the
// outstanding orders in a shuffled order, one per wait.
class ShuffledTransport final : public Transport {
public:
    ShuffledTransport(std::size_t workers, std::uint64_t seed) : busy_(workers), rng_(seed) {}

    std::size_t worker_count() const override { return busy_.size(); }

    void dispatch(std::size_t worker, const WorkOrder& order) override {
        REQUIRE(worker < busy_.size());
        REQUIRE_FALSE(busy_[worker].has_value());  // never two orders at once
        busy_[worker] = order;
        ++dispatched;
        max_outstanding = std::max(max_outstanding, outstanding());
    }

    std::optional<WorkResult> wait_result(std::chrono::milliseconds) override {
        std::vector<std::size_t> candidates;
        for (std::size_t w = 0; w < busy_.size(); ++w) if (busy_[w]) candidates.push_back(w);
        if (candidates.empty()) return std::nullopt;
        const std::size_t worker = candidates[rng_() % candidates.size()];
        WorkOrder order = *busy_[worker];
        busy_[worker].reset();
        WorkResult result{order.trial_id, static_cast<int>(worker), "host" + std::to_string(worker % 2), stopping_, {}};
        if (!stopping_) {
            double x = 0, y = 0;
            for (const auto& arg : order.hyperparameter_args) {
                if (arg.rfind("--x=", 0) == 0) x = std::stod(arg.substr(4));
                if (arg.rfind("--y=", 0) == 0) y = std::stod(arg.substr(4));
            }
            result.outcome.fom = (x - 0.3) * (x - 0.3) + (y - 2) * (y - 2);
            if (fail_every && order.trial_id % fail_every == 1) {
                result.outcome.status = TrialStatus::crashed;
                result.outcome.signal = 11;
            }
        }
        deme_of_worker_seen[worker].insert(order.deme);
        if (stop_after && ++answered == stop_after && stop_flag) stop_flag->store(true);
        return result;
    }

    void stop_running() override { stopping_ = true; }
    void shutdown() override { ++shutdowns; }

    std::size_t outstanding() const {
        return static_cast<std::size_t>(std::count_if(busy_.begin(), busy_.end(), [](auto& b) { return b.has_value(); }));
    }

    std::size_t dispatched = 0, max_outstanding = 0, shutdowns = 0, answered = 0;
    std::size_t fail_every = 0, stop_after = 0;
    std::atomic<bool>* stop_flag = nullptr;
    std::map<std::size_t, std::set<int>> deme_of_worker_seen;

private:
    std::vector<std::optional<WorkOrder>> busy_;
    std::mt19937_64 rng_;
    bool stopping_ = false;
};

SearchSpace two_parameter_space() {
    return parse_search_space({"--x 0.9 [0.0,1.0]", "--y 5 [0,10]"});
}

GeneticOptions genetic_config(int demes) {
    return {.generations = 6, .pop_size = 6, .num_demes = demes, .migration_interval = 2};
}

// A strategy that records the size of every ask, around a real one.
class AskRecorder final : public Strategy {
public:
    explicit AskRecorder(std::unique_ptr<Strategy> inner) : inner_(std::move(inner)) {}
    std::string_view name() const override { return inner_->name(); }
    std::vector<Proposal> ask(std::size_t max_count, int deme) override {
        asks.push_back(max_count);
        return inner_->ask(max_count, deme);
    }
    void tell(const Trial& trial) override { inner_->tell(trial); }
    bool exhausted() const override { return inner_->exhausted(); }
    std::size_t planned_evaluations() const override { return inner_->planned_evaluations(); }
    std::string save_state() const override { return inner_->save_state(); }
    void load_state(std::string_view state) override { inner_->load_state(state); }
    std::vector<Proposal> pending() const override { return inner_->pending(); }

    std::vector<std::size_t> asks;

private:
    std::unique_ptr<Strategy> inner_;
};

}  // namespace

TEST_CASE("results that arrived together are told first, then one ask serves every idle worker") {
    const auto space = two_parameter_space();
    AskRecorder strategy(make_strategy(BayesOptions{.evals = 40}, space, {.seed = 3}));
    ShuffledTransport transport(4, 8);  // every outstanding order is answered as soon as asked
    Coordinator coordinator(strategy, space, transport, make_worker_layout({"a", "a", "a", "a"}, 1), {});
    const RunResult result = coordinator.run();
    CHECK(result.trials.size() == 40);
    // The first ask fills the four workers; every later one comes after all four results were
    // drained, so it asks for four (ten asks in all, not one per trial).
    REQUIRE(strategy.asks.size() == 10);
    for (std::size_t count : strategy.asks) CHECK(count == 4);
    CHECK(transport.max_outstanding == 4);
}

TEST_CASE("every planned trial is dispatched once, results in any order") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(genetic_config(2), space, {.seed = 11});
    ShuffledTransport transport(4, 99);
    Coordinator coordinator(*strategy, space, transport, make_worker_layout({"a", "a", "b", "b"}, 2), {});
    const RunResult result = coordinator.run();

    CHECK(result.trials.size() == strategy->planned_evaluations());
    CHECK(transport.dispatched == result.trials.size());
    CHECK(transport.shutdowns == 1);
    CHECK(transport.max_outstanding == 4);  // all workers kept busy
    std::set<TrialId> ids;
    for (const auto& trial : result.trials) ids.insert(trial.id);
    CHECK(ids.size() == result.trials.size());
    REQUIRE(result.best);
    const double default_fom = (0.9 - 0.3) * (0.9 - 0.3) + 9.0;
    CHECK(result.best->fom <= default_fom);
    CHECK_FALSE(result.interrupted);
}

TEST_CASE("a deme's trials go only to its own workers") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(genetic_config(2), space, {.seed = 11});
    ShuffledTransport transport(4, 5);
    const auto layout = make_worker_layout({"a", "b", "a", "b"}, 2);
    Coordinator coordinator(*strategy, space, transport, layout, {});
    coordinator.run();
    for (const auto& [worker, demes] : transport.deme_of_worker_seen) {
        CHECK(demes == std::set<int>(layout.demes_of_worker[worker].begin(), layout.demes_of_worker[worker].end()));
    }
}

TEST_CASE("demes sharing too few workers still all run") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(genetic_config(3), space, {.seed = 11});
    ShuffledTransport transport(2, 3);
    Coordinator coordinator(*strategy, space, transport, make_worker_layout({"a", "a"}, 3), {});
    const RunResult result = coordinator.run();
    CHECK(result.trials.size() == strategy->planned_evaluations());
    std::set<int> demes;
    for (const auto& trial : result.trials) demes.insert(trial.deme);
    CHECK(demes == std::set<int>{0, 1, 2});
}

TEST_CASE("failed trials are recorded and never the best") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(RandomOptions{.evals = 40}, space);
    ShuffledTransport transport(3, 1);
    transport.fail_every = 4;
    Coordinator coordinator(*strategy, space, transport, make_worker_layout({"a", "a", "a"}, 1), {});
    const RunResult result = coordinator.run();
    REQUIRE(result.trials.size() == 40);
    const auto crashed = std::count_if(result.trials.begin(), result.trials.end(),
                                       [](const Trial& t) { return t.status == TrialStatus::crashed; });
    CHECK(crashed == 10);
    REQUIRE(result.best);
    CHECK(result.best->ok());
    for (const auto& trial : result.trials) {
        if (trial.ok()) CHECK(result.best->fom <= trial.fom);
    }
}

TEST_CASE("a stop request drains running trials and leaves them out") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(RandomOptions{.evals = 100}, space);
    ShuffledTransport transport(4, 2);
    std::atomic<bool> stop{false};
    transport.stop_flag = &stop;
    transport.stop_after = 10;
    CoordinatorSettings settings;
    settings.stop_requested = &stop;
    Coordinator coordinator(*strategy, space, transport, make_worker_layout({"a", "a", "a", "a"}, 1), settings);
    const RunResult result = coordinator.run();
    CHECK(result.interrupted);
    CHECK(result.trials.size() == 10);
    // The trials running when the stop came were stopped: no results, still owed.
    CHECK(transport.dispatched > 10);
    CHECK(strategy->pending().size() == transport.dispatched - 10);
    CHECK(transport.outstanding() == 0);
    CHECK(transport.shutdowns == 1);
}

TEST_CASE("the layout must match the transport") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(genetic_config(1), space, {.seed = 11});
    ShuffledTransport transport(2, 1);
    CHECK_THROWS_AS(Coordinator(*strategy, space, transport, make_worker_layout({"a"}, 1), {}), std::invalid_argument);
}

namespace {

double thread_cpu_now() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// Spins until the calling thread has used `seconds` of CPU; returns what it used.
double burn_cpu(double seconds) {
    const double start = thread_cpu_now();
    volatile double sink = 0;
    while (thread_cpu_now() - start < seconds) {
        for (int i = 0; i < 1000; ++i) sink = sink + 1.0;
    }
    return thread_cpu_now() - start;
}

// Costs the coordinator's thread a known CPU time per result (as a slow strategy or transport
// would), while another thread of the same process (as the local workers, or Open MPI's threads
// on rank 0) burns much more: only the former is the coordinator's.
class BurningTransport final : public Transport {
public:
    explicit BurningTransport(std::size_t workers) : busy_(workers) {}

    std::size_t worker_count() const override { return busy_.size(); }
    void dispatch(std::size_t worker, const WorkOrder& order) override { busy_[worker] = order.trial_id; }

    std::optional<WorkResult> wait_result(std::chrono::milliseconds) override {
        if (other_burned == 0) {  // the coordinator's thread sleeps meanwhile
            std::thread([this] { other_burned = burn_cpu(0.3); }).join();
        }
        coordinator_burned += burn_cpu(0.002);
        for (std::size_t w = 0; w < busy_.size(); ++w) {
            if (!busy_[w]) continue;
            WorkResult result{*busy_[w], static_cast<int>(w), "host", false, {}};
            result.outcome.fom = static_cast<double>(*busy_[w]);
            busy_[w].reset();
            return result;
        }
        return std::nullopt;
    }
    void stop_running() override {}
    void shutdown() override {}

    double coordinator_burned = 0, other_burned = 0;

private:
    std::vector<std::optional<TrialId>> busy_;
};

}  // namespace

TEST_CASE("the result holds the CPU time of the coordinator's thread, not the process's") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(RandomOptions{.evals = 30}, space);
    BurningTransport transport(3);
    Coordinator coordinator(*strategy, space, transport, make_worker_layout({"a", "a", "a"}, 1), {});
    const auto started = std::chrono::steady_clock::now();
    const RunResult result = coordinator.run();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    REQUIRE(result.trials.size() == 30);
    REQUIRE(transport.other_burned >= 0.3);
    const double cpu = result.coordinator_cpu_seconds;
    CHECK(cpu >= 0.95 * transport.coordinator_burned);  // 30 x 2 ms, and more
    CHECK(cpu <= wall);                                   // one thread, at most its wall time
    // Its own loop over 30 random trials costs far less than the other thread's 0.3 s.
    CHECK(cpu < transport.coordinator_burned + 0.1);
}

namespace {

// Answers every order at once, except those of the workers in `silent`, which never answer nor
// send a heartbeat (as a SIGSTOPped rank) until abandoned; then each "wakes up" and sends its late
// result, which must be ignored. Sleeps for the coordinator's wait when only silent workers are busy.
class SilentWorkerTransport final : public Transport {
public:
    SilentWorkerTransport(std::size_t workers, std::set<std::size_t> silent) : busy_(workers), silent_(std::move(silent)) {}

    std::size_t worker_count() const override { return busy_.size(); }

    void dispatch(std::size_t worker, const WorkOrder& order) override {
        REQUIRE_FALSE(abandoned.count(worker));  // a lost worker gets no more work
        REQUIRE_FALSE(busy_.at(worker).has_value());
        busy_[worker] = order;
        orders.push_back({worker, order.trial_id});
    }

    std::optional<WorkResult> wait_result(std::chrono::milliseconds max_wait) override {
        if (!late_.empty()) {
            WorkResult result = late_.front();
            late_.erase(late_.begin());
            return result;
        }
        for (std::size_t w = 0; w < busy_.size(); ++w) {
            if (!busy_[w] || silent_.count(w)) continue;
            WorkResult result{busy_[w]->trial_id, static_cast<int>(w), "host", stopping_, {}};
            result.outcome.fom = static_cast<double>(busy_[w]->trial_id);
            busy_[w].reset();
            if (stop_after && ++answered == stop_after && stop_flag) stop_flag->store(true);
            return result;
        }
        std::this_thread::sleep_for(max_wait);
        return std::nullopt;
    }

    void stop_running() override { stopping_ = true; }
    void shutdown() override { ++shutdowns; }
    std::vector<std::size_t> unconfirmed_shutdown() const override { return unconfirmed; }

    void abandon(std::size_t worker) override {
        abandoned.insert(worker);
        if (busy_.at(worker)) {
            WorkResult late{busy_[worker]->trial_id, static_cast<int>(worker), "host", false, {}};
            late.outcome.fom = -1000;  // better than any: it must not become the best
            late_.push_back(late);
            busy_[worker].reset();
        }
    }

    std::vector<std::pair<std::size_t, TrialId>> orders;  // (worker, trial) in dispatch order
    std::set<std::size_t> abandoned;
    std::vector<std::size_t> unconfirmed;  // workers that "do not confirm" the shutdown
    std::size_t shutdowns = 0, answered = 0, stop_after = 0;
    std::atomic<bool>* stop_flag = nullptr;

private:
    std::vector<std::optional<WorkOrder>> busy_;
    std::set<std::size_t> silent_;
    std::vector<WorkResult> late_;
    bool stopping_ = false;
};

CoordinatorSettings watching(WatchLimits limits) {
    CoordinatorSettings settings;
    settings.poll_interval = std::chrono::milliseconds(5);
    settings.watch = limits;
    return settings;
}

WatchLimits silence_limit() {
    WatchLimits limits;
    limits.silence = std::chrono::milliseconds(50);
    return limits;
}

}  // namespace

TEST_CASE("a silent worker is lost: its trial runs again elsewhere, it gets no more work") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(RandomOptions{.evals = 12}, space);
    SilentWorkerTransport transport(3, {1});
    Coordinator coordinator(*strategy, space, transport, make_worker_layout({"a", "b", "c"}, 1), watching(silence_limit()));
    const RunResult result = coordinator.run();

    CHECK_FALSE(result.interrupted);
    REQUIRE(result.trials.size() == 12);
    std::set<TrialId> ids;
    for (const auto& trial : result.trials) ids.insert(trial.id);
    CHECK(ids.size() == 12);  // each once: the late answer was not counted
    REQUIRE(result.best);
    CHECK(result.best->fom >= 0);  // the late answer's -1000 was ignored
    REQUIRE(result.lost_workers.size() == 1);
    const LostWorker& lost = result.lost_workers.front();
    CHECK(lost.worker == 1);
    CHECK(lost.node == "b");
    CHECK(lost.reason.find("no heartbeat") != std::string::npos);
    REQUIRE(lost.trial);
    CHECK(transport.abandoned == std::set<std::size_t>{1});
    // Its trial went to another worker under the same id, and was recorded from there.
    const auto rerun = std::find_if(result.trials.begin(), result.trials.end(), [&](const Trial& t) { return t.id == *lost.trial; });
    REQUIRE(rerun != result.trials.end());
    CHECK(rerun->worker != 1);
    CHECK(std::count_if(transport.orders.begin(), transport.orders.end(),
                        [](const auto& order) { return order.first == 1; }) == 1);
    CHECK(transport.shutdowns == 1);
}

TEST_CASE("a trial past its limit loses its worker, without heartbeats") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(RandomOptions{.evals = 6}, space);
    SilentWorkerTransport transport(2, {0});
    WatchLimits limits;
    limits.trial_limit = std::chrono::milliseconds(50);
    Coordinator coordinator(*strategy, space, transport, make_worker_layout({"a", "b"}, 1), watching(limits));
    const RunResult result = coordinator.run();
    CHECK(result.trials.size() == 6);
    REQUIRE(result.lost_workers.size() == 1);
    CHECK(result.lost_workers.front().worker == 0);
    CHECK(result.lost_workers.front().reason.find("after its order") != std::string::npos);
}

TEST_CASE("a stop still ends the run when a worker never answers it") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(RandomOptions{.evals = 100}, space);
    SilentWorkerTransport transport(3, {2});
    std::atomic<bool> stop{false};
    transport.stop_flag = &stop;
    transport.stop_after = 5;
    WatchLimits limits;
    limits.stop_limit = std::chrono::milliseconds(50);  // no silence limit: only the stop bounds the wait
    CoordinatorSettings settings = watching(limits);
    settings.stop_requested = &stop;
    Coordinator coordinator(*strategy, space, transport, make_worker_layout({"a", "a", "a"}, 1), settings);
    const RunResult result = coordinator.run();

    CHECK(result.interrupted);
    CHECK(result.trials.size() == 5);
    REQUIRE(result.lost_workers.size() == 1);
    REQUIRE(result.lost_workers.front().trial);
    const TrialId owed = *result.lost_workers.front().trial;
    // Not run again after the stop: still pending, for the resume.
    const auto pending = strategy->pending();
    CHECK(std::any_of(pending.begin(), pending.end(), [&](const Proposal& p) { return p.id == owed; }));
    CHECK(std::none_of(result.trials.begin(), result.trials.end(), [&](const Trial& t) { return t.id == owed; }));
}

TEST_CASE("a deme whose last worker is lost goes to a live worker") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(genetic_config(2), space, {.seed = 11});
    SilentWorkerTransport transport(2, {1});
    const auto layout = make_worker_layout({"a", "b"}, 2);
    REQUIRE(layout.demes_of_worker[1] == std::vector<int>{1});
    Coordinator coordinator(*strategy, space, transport, layout, watching(silence_limit()));
    const RunResult result = coordinator.run();
    CHECK_FALSE(result.interrupted);
    CHECK(result.trials.size() == strategy->planned_evaluations());
    std::set<int> demes;
    for (const auto& trial : result.trials) {
        demes.insert(trial.deme);
        CHECK(trial.worker == 0);
    }
    CHECK(demes == std::set<int>{0, 1});
}

TEST_CASE("when every worker is lost the run ends as interrupted, its trials pending") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(RandomOptions{.evals = 10}, space);
    SilentWorkerTransport transport(2, {0, 1});
    Coordinator coordinator(*strategy, space, transport, make_worker_layout({"a", "b"}, 1), watching(silence_limit()));
    const RunResult result = coordinator.run();
    CHECK(result.interrupted);
    CHECK(result.trials.empty());
    CHECK(result.lost_workers.size() == 2);
    CHECK(strategy->pending().size() == 2);
}

TEST_CASE("a worker that does not confirm the shutdown is lost, without a trial") {
    const auto space = two_parameter_space();
    auto strategy = make_strategy(RandomOptions{.evals = 6}, space);
    SilentWorkerTransport transport(3, {});
    transport.unconfirmed = {2};
    Coordinator coordinator(*strategy, space, transport, make_worker_layout({"a", "b", "c"}, 1), watching(silence_limit()));
    const RunResult result = coordinator.run();
    CHECK_FALSE(result.interrupted);
    CHECK(result.trials.size() == 6);
    REQUIRE(result.lost_workers.size() == 1);
    CHECK(result.lost_workers.front().worker == 2);
    CHECK_FALSE(result.lost_workers.front().trial);
    CHECK(result.lost_workers.front().reason.find("end of the run") != std::string::npos);
    CHECK(transport.abandoned == std::set<std::size_t>{2});
}
