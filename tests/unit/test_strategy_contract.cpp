// The ask/tell contract, checked alike over every strategy (as Optuna's sampler tests do).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <set>

#include "hpo/space/parse.hpp"
#include "hpo/strategy/factory.hpp"

using namespace hpo;

namespace {

SearchSpace contract_space() {
    return parse_search_space({"-a 0.5 [-1.0,1.0]", "--lr 0.001 [1e-5,0.1] log", "--layers 2 [1,8]",
                               "--units [4,256] log", "--opt adam {adam,sgd,rmsprop}"});
}

StrategyConfig genetic_config(GeneticMode mode, std::uint64_t seed) {
    StrategyConfig config;
    config.kind = StrategyKind::genetic;
    config.genetic.generations = 6;
    config.genetic.pop_size = 8;
    config.genetic.num_demes = 3;
    config.genetic.migration_interval = 2;
    config.genetic.elites = 1;
    config.genetic.mutation_rate = 0.2;
    config.genetic.mode = mode;
    config.genetic.seed = seed;
    return config;
}

// Each maker names a strategy configuration; `order_free` says the proposals must not depend on
// how asks are chunked or in which order results arrive.
struct RandomMaker {
    static constexpr bool order_free = true;
    static StrategyConfig config(std::uint64_t seed) {
        StrategyConfig c;
        c.kind = StrategyKind::random;
        c.random.evals = 60;
        c.random.seed = seed;
        return c;
    }
};
struct GridMaker {
    static constexpr bool order_free = true;
    static StrategyConfig config(std::uint64_t seed) {
        StrategyConfig c;
        c.kind = StrategyKind::grid;
        c.grid.grid_size = 3;
        c.grid.seed = seed;
        return c;
    }
};
struct GenerationalMaker {
    static constexpr bool order_free = true;
    static StrategyConfig config(std::uint64_t seed) { return genetic_config(GeneticMode::generational, seed); }
};
struct SteadyStateMaker {
    static constexpr bool order_free = false;
    static StrategyConfig config(std::uint64_t seed) { return genetic_config(GeneticMode::steady_state, seed); }
};

// A smooth deterministic objective over the unit form, best near the middle of every axis.
double objective(const SearchSpace& space, const Point& values) {
    const auto unit = space.to_unit(values);
    double loss = 0;
    for (std::size_t i = 0; i < unit.size(); ++i) loss += (unit[i] - 0.4 - 0.05 * i) * (unit[i] - 0.4 - 0.05 * i);
    return loss;
}

// A pure function of the point, so repeated runs fail the same trials; about a quarter fail.
bool fails(const Point& values) {
    double sum = 0;
    for (double v : values) sum += v;
    return std::fmod(std::abs(sum) * 997.0, 1.0) < 0.25;
}

struct Simulation {
    std::size_t workers = 1;
    std::size_t ask_chunk = 0;        // 0: ask for every free worker at once
    bool shuffle = false;             // results arrive in random order, else first in first out
    std::uint64_t order_seed = 1;
    bool failures = false;
    bool all_fail = false;
};

struct Run {
    std::vector<Proposal> proposals;  // in proposal order
    std::vector<Trial> trials;        // in the order told
};

Trial evaluate(const SearchSpace& space, const Proposal& p, const Simulation& sim) {
    Trial t;
    t.id = p.id;
    t.deme = p.deme;
    t.generation = p.generation;
    t.values = p.values;
    t.fom = objective(space, p.values);
    if (sim.all_fail || (sim.failures && fails(p.values))) {
        t.status = p.id % 2 ? TrialStatus::failed : TrialStatus::crashed;
        t.fom = -100.0;  // a failed kernel may still have printed a FoM: it must never count
    }
    return t;
}

// Simulated workers: free ones are filled by ask(), one running evaluation finishes per step.
Run simulate(Strategy& strategy, const SearchSpace& space, const Simulation& sim) {
    Run run;
    std::vector<Proposal> running;
    std::mt19937_64 order(sim.order_seed);
    for (std::size_t step = 0;; ++step) {
        REQUIRE(step < 100000);
        while (running.size() < sim.workers) {
            const std::size_t want = sim.workers - running.size();
            const std::size_t n = sim.ask_chunk ? std::min(sim.ask_chunk, want) : want;
            auto got = strategy.ask(n);
            REQUIRE(got.size() <= n);
            for (auto& p : got) {
                run.proposals.push_back(p);
                running.push_back(std::move(p));
            }
            if (got.size() < n) break;
        }
        if (running.empty()) {
            REQUIRE(strategy.exhausted());  // nothing running and nothing proposed: it must be done
            return run;
        }
        const std::size_t i = sim.shuffle ? order() % running.size() : 0;
        const Proposal done = running[i];
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        run.trials.push_back(evaluate(space, done, sim));
        strategy.tell(run.trials.back());
    }
}

template <class Maker>
std::unique_ptr<Strategy> make(std::uint64_t seed) {
    return make_strategy(Maker::config(seed), contract_space());
}

template <class Maker>
Run full_run(std::uint64_t seed, const Simulation& sim) {
    auto strategy = make<Maker>(seed);
    return simulate(*strategy, contract_space(), sim);
}

}  // namespace

TEMPLATE_TEST_CASE("every proposal is a valid point of the space", "[contract]", RandomMaker, GridMaker,
                   GenerationalMaker, SteadyStateMaker) {
    const SearchSpace space = contract_space();
    auto strategy = make<TestType>(5);
    const Run run = simulate(*strategy, space, {.workers = 4, .shuffle = true, .failures = true});
    REQUIRE_FALSE(run.proposals.empty());
    for (std::size_t i = 0; i < run.proposals.size(); ++i) {
        const Proposal& p = run.proposals[i];
        INFO("proposal " << i << ": " << space.format(p.values));
        CHECK(p.id == i);  // ids in proposal order from 0
        REQUIRE(space.contains(p.values));
        CHECK(p.deme >= 0);
        CHECK(p.deme < strategy->num_demes());
        CHECK(p.generation >= 0);
        for (std::size_t k : {2u, 3u}) {  // the integer parameters
            CHECK(p.values[k] == std::floor(p.values[k]));
            CHECK(space[k].format(p.values[k]).find_first_of(".e") == std::string::npos);
        }
    }
}

TEMPLATE_TEST_CASE("the run makes exactly the planned proposals, then is exhausted", "[contract]", RandomMaker,
                   GridMaker, GenerationalMaker, SteadyStateMaker) {
    auto strategy = make<TestType>(9);
    CHECK_FALSE(strategy->exhausted());
    const std::size_t planned = strategy->planned_evaluations();
    REQUIRE(planned > 0);
    const Run run = simulate(*strategy, contract_space(), {.workers = 5, .shuffle = true});
    CHECK(run.proposals.size() == planned);
    CHECK(run.trials.size() == planned);
    CHECK(strategy->exhausted());
    CHECK(strategy->ask(10).empty());
}

TEMPLATE_TEST_CASE("the same seed gives the same proposals; another seed others", "[contract]", RandomMaker,
                   GridMaker, GenerationalMaker, SteadyStateMaker) {
    const Simulation sim{.workers = 3, .shuffle = true, .order_seed = 17, .failures = true};
    const Run a = full_run<TestType>(123, sim);
    const Run b = full_run<TestType>(123, sim);
    CHECK(a.proposals == b.proposals);
    const Run c = full_run<TestType>(124, sim);
    CHECK(a.proposals != c.proposals);
}

TEMPLATE_TEST_CASE("chunking of asks and the order of results do not change the proposals", "[contract]",
                   RandomMaker, GridMaker, GenerationalMaker) {
    const Run serial = full_run<TestType>(77, {.workers = 1});
    const Run ones = full_run<TestType>(77, {.workers = 6, .ask_chunk = 1, .shuffle = true, .order_seed = 2});
    const Run wide = full_run<TestType>(77, {.workers = 100, .shuffle = true, .order_seed = 3});
    const Run odd = full_run<TestType>(77, {.workers = 7, .ask_chunk = 3, .shuffle = true, .order_seed = 4});
    CHECK(serial.proposals == ones.proposals);
    CHECK(serial.proposals == wide.proposals);
    CHECK(serial.proposals == odd.proposals);
    // The failing trials are a function of the point, so failures keep the runs identical too.
    const Run f1 = full_run<TestType>(77, {.workers = 2, .failures = true});
    const Run f2 = full_run<TestType>(77, {.workers = 50, .shuffle = true, .order_seed = 5, .failures = true});
    CHECK(f1.proposals == f2.proposals);
}

TEMPLATE_TEST_CASE("results may arrive in any order", "[contract]", RandomMaker, GridMaker, GenerationalMaker,
                   SteadyStateMaker) {
    for (std::uint64_t order_seed : {1u, 2u, 3u}) {
        auto strategy = make<TestType>(11);
        const Run run = simulate(*strategy, contract_space(), {.workers = 9, .shuffle = true, .order_seed = order_seed});
        CHECK(run.trials.size() == strategy->planned_evaluations());
        std::set<TrialId> told;
        for (const auto& t : run.trials) told.insert(t.id);
        CHECK(told.size() == run.trials.size());
    }
}

TEMPLATE_TEST_CASE("failed trials never stop the run nor count as the best", "[contract]", RandomMaker, GridMaker,
                   GenerationalMaker, SteadyStateMaker) {
    auto strategy = make<TestType>(21);
    const Run run = simulate(*strategy, contract_space(), {.workers = 4, .shuffle = true, .failures = true});
    CHECK(strategy->exhausted());
    std::size_t failed = 0;
    const Trial* best = &run.trials.front();
    double best_ok = INFINITY;
    for (const auto& t : run.trials) {
        if (!t.ok()) ++failed;
        if (t.ok()) best_ok = std::min(best_ok, t.fom);
        if (better_trial(t, *best, false)) best = &t;
    }
    REQUIRE(failed > 0);
    REQUIRE(failed < run.trials.size());
    CHECK(best->ok());
    CHECK(best->fom == best_ok);

    auto doomed = make<TestType>(22);
    const Run all = simulate(*doomed, contract_space(), {.workers = 4, .shuffle = true, .all_fail = true});
    CHECK(doomed->exhausted());
    CHECK(all.trials.size() == doomed->planned_evaluations());
}

TEMPLATE_TEST_CASE("tell rejects trials that are not pending", "[contract]", RandomMaker, GridMaker,
                   GenerationalMaker, SteadyStateMaker) {
    auto strategy = make<TestType>(1);
    const auto proposals = strategy->ask(2);
    REQUIRE(proposals.size() == 2);
    Trial never;
    never.id = 999999;
    CHECK_THROWS_AS(strategy->tell(never), std::invalid_argument);
    Trial first;
    first.id = proposals[0].id;
    first.values = proposals[0].values;
    first.fom = 1.0;
    strategy->tell(first);
    CHECK_THROWS_AS(strategy->tell(first), std::invalid_argument);  // told twice
}

TEMPLATE_TEST_CASE("ask honours its count and its deme", "[contract]", RandomMaker, GridMaker, GenerationalMaker,
                   SteadyStateMaker) {
    auto strategy = make<TestType>(1);
    CHECK(strategy->ask(0).empty());
    CHECK_THROWS_AS(strategy->ask(1, strategy->num_demes()), std::invalid_argument);
    CHECK_THROWS_AS(strategy->ask(1, -2), std::invalid_argument);
    for (int d = strategy->num_demes() - 1; d >= 0; --d) {
        const auto got = strategy->ask(3, d);
        CHECK(got.size() == 3);
        for (const auto& p : got) CHECK(p.deme == d);
    }
}

TEST_CASE("strategy kinds by name, and the factory", "[contract]") {
    for (auto kind : {StrategyKind::genetic, StrategyKind::random, StrategyKind::grid}) {
        CHECK(strategy_kind_from_string(to_string(kind)) == kind);
        StrategyConfig config;
        config.kind = kind;
        CHECK(make_strategy(config, contract_space())->name() == to_string(kind));
    }
    CHECK_THROWS_AS(strategy_kind_from_string("bayes"), std::invalid_argument);
    CHECK_THROWS_AS(strategy_kind_from_string(""), std::invalid_argument);
    StrategyConfig bad;
    bad.genetic.pop_size = 0;
    CHECK_THROWS_AS(make_strategy(bad, contract_space()), std::invalid_argument);
}

TEST_CASE("trial statuses as text, the loss, and the better trial", "[trial]") {
    for (auto s : {TrialStatus::ok, TrialStatus::failed, TrialStatus::crashed, TrialStatus::timeout,
                   TrialStatus::no_fom, TrialStatus::bad_fom})
        CHECK(trial_status_from_string(to_string(s)) == s);
    CHECK(to_string(TrialStatus::no_fom) == "no_fom");
    CHECK(to_string(TrialStatus::bad_fom) == "bad_fom");
    CHECK_FALSE(trial_status_from_string("OK").has_value());
    CHECK_FALSE(trial_status_from_string("").has_value());

    Trial good;
    good.id = 5;
    good.fom = 2.0;
    CHECK(loss_of(good, false) == 2.0);
    CHECK(loss_of(good, true) == -2.0);
    Trial bad = good;
    bad.status = TrialStatus::failed;
    bad.fom = -50.0;
    CHECK(loss_of(bad, false) == INFINITY);
    CHECK(loss_of(bad, true) == INFINITY);
    Trial nan_ok = good;
    nan_ok.fom = NAN;
    CHECK(loss_of(nan_ok, false) == INFINITY);

    CHECK(better_trial(good, bad, false));
    CHECK_FALSE(better_trial(bad, good, false));
    CHECK(better_trial(good, bad, true));
    Trial higher = good;
    higher.id = 6;
    higher.fom = 3.0;
    CHECK(better_trial(good, higher, false));
    CHECK(better_trial(higher, good, true));
    Trial tie = good;
    tie.id = 9;
    CHECK(better_trial(good, tie, false));  // ties go to the older trial
    CHECK_FALSE(better_trial(tie, good, false));
    CHECK_FALSE(better_trial(good, good, false));
}
