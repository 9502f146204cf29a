// The ask/tell contract, checked alike over every strategy (as Optuna's sampler tests do).
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <tuple>

#include "hpo/exec/command_line.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/strategy/factory.hpp"
#include "test_strategy_support.hpp"

using namespace hpo;

namespace {

SearchSpace contract_space() {
    return parse_search_space({"-a 0.5 [-1.0,1.0]", "--lr 0.001 [1e-5,0.1] log", "--layers 2 [1,8]",
                               "--units [4,256] log", "--opt adam {adam,sgd,rmsprop}"});
}

StrategyConfig genetic_config(GeneticMode mode) {
    return GeneticOptions{.generations = 6, .pop_size = 8, .num_demes = 3, .mutation_rate = 0.2,
                          .migration_interval = 2, .elites = 1, .mode = mode};
}

// Each maker names a strategy configuration (the seed is the run's, given apart); `order_free` says the proposals must not depend on
// how asks are chunked or in which order results arrive; `ids_follow_results` that their ids
// may (the generational genetic strategy: its demes evolve apart, and a deme's ids are reserved
// when its generation forms), though not what each deme's generations hold.
struct RandomMaker {
    static constexpr bool order_free = true;
    static constexpr bool ids_follow_results = false;
    static StrategyConfig config() { return RandomOptions{.evals = 60}; }
};
struct GridMaker {
    static constexpr bool order_free = true;
    static constexpr bool ids_follow_results = false;
    static StrategyConfig config() { return GridOptions{.grid_size = 3}; }
};
struct GenerationalMaker {
    static constexpr bool order_free = true;
    static constexpr bool ids_follow_results = true;
    static StrategyConfig config() { return genetic_config(GeneticMode::generational); }
};
struct SteadyStateMaker {
    static constexpr bool order_free = false;
    static StrategyConfig config() { return genetic_config(GeneticMode::steady_state); }
};
// The proposals depend on the order of results (each one conditions on the results so far).
struct BayesMaker {
    static constexpr bool order_free = false;
    static StrategyConfig config() { return BayesOptions{.evals = 24, .initial = 6}; }
};
// No barrier: each member's next round is decided when its round is told, from the ranking then.
struct PbtMaker {
    static constexpr bool order_free = false;
    static StrategyConfig config() { return PbtOptions{.population = 6, .rounds = 5, .exploit_fraction = 0.34}; }
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

// What must not depend on chunking and the order of results: the proposals; or, for a maker
// whose ids follow the results, the proposals in (deme, generation, id) order with each id (and
// parent) replaced by its place in that order.
template <class Maker>
std::vector<Proposal> order_free_part(std::vector<Proposal> proposals) {
    if constexpr (Maker::ids_follow_results) {
        std::sort(proposals.begin(), proposals.end(), [](const Proposal& a, const Proposal& b) {
            return std::tie(a.deme, a.generation, a.id) < std::tie(b.deme, b.generation, b.id);
        });
        std::map<TrialId, TrialId> place;
        for (std::size_t i = 0; i < proposals.size(); ++i) place[proposals[i].id] = i;
        for (Proposal& p : proposals) {
            p.id = place.at(p.id);
            if (p.parent) p.parent = place.at(*p.parent);
        }
    }
    return proposals;
}

Trial evaluate(const SearchSpace& space, const Proposal& p, const Simulation& sim) {
    Trial t = strategy_test::told(p, objective(space, p.values));
    if (sim.all_fail || (sim.failures && fails(p.values))) {
        t.status = p.id % 2 ? TrialStatus::failed : TrialStatus::crashed;
        t.fom = -100.0;  // a failed kernel may still have printed a FoM: it must never count
    }
    return t;
}

// Simulated workers: free ones are filled by ask(), one running evaluation finishes per step.
// A copy of the workers (running trials and order generator) can drive a restored strategy on.
struct Workers {
    SearchSpace space;
    Simulation sim;
    std::vector<Proposal> running;
    std::mt19937_64 order;
    Run run;

    Workers(SearchSpace s, const Simulation& simulation) : space(std::move(s)), sim(simulation), order(sim.order_seed) {}

    void fill(Strategy& strategy) {
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
    }

    // One evaluation finishes; false when nothing runs (the strategy must then be done).
    bool finish_one(Strategy& strategy) {
        if (running.empty()) {
            REQUIRE(strategy.exhausted());  // nothing running and nothing proposed: it must be done
            return false;
        }
        const std::size_t i = sim.shuffle ? order() % running.size() : 0;
        const Proposal done = running[i];
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        run.trials.push_back(evaluate(space, done, sim));
        strategy.tell(run.trials.back());
        return true;
    }

    bool step(Strategy& strategy) {
        fill(strategy);
        return finish_one(strategy);
    }
};

Run simulate(Strategy& strategy, const SearchSpace& space, const Simulation& sim) {
    Workers workers(space, sim);
    for (std::size_t step = 0; workers.step(strategy); ++step) REQUIRE(step < 100000);
    return workers.run;
}

template <class Maker>
std::unique_ptr<Strategy> make(std::uint64_t seed) {
    return make_strategy(Maker::config(), contract_space(), {.seed = seed});
}

template <class Maker>
Run full_run(std::uint64_t seed, const Simulation& sim) {
    auto strategy = make<Maker>(seed);
    return simulate(*strategy, contract_space(), sim);
}

// ---- saved state -----------------------------------------------------------------------------

// Bit for bit: -0 is not 0, a NaN equals a NaN of the same bits.
bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

bool identical(const Proposal& a, const Proposal& b) {
    return a.id == b.id && a.deme == b.deme && a.generation == b.generation && a.parent == b.parent &&
           a.member == b.member && a.values.size() == b.values.size() &&
           std::equal(a.values.begin(), a.values.end(), b.values.begin(), same_bits);
}

bool identical(const std::vector<Proposal>& a, const std::vector<Proposal>& b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](const Proposal& x, const Proposal& y) { return identical(x, y); });
}

std::string exact(double x) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%a", x);
    return buffer;
}

// The observer's events as exact text, so that two runs can be compared event by event.
struct EventLog : StrategyObserver {
    std::vector<std::string> events;
    void on_generation_end(const GenerationSummary& s) override {
        std::ostringstream out;
        out << "generation " << s.generation << " best " << exact(s.global_best_fom);
        for (const auto& d : s.demes)
            out << " | deme " << d.deme << ' ' << exact(d.best_fom) << ' ' << exact(d.mean_fom) << ' ' << d.evaluated
                << ' ' << d.failed;
        events.push_back(out.str());
    }
    void on_migration(const Migration& m) override {
        std::ostringstream out;
        out << "migration " << m.generation << ' ' << m.from_deme << "->" << m.to_deme << " trial " << m.individual
            << ' ' << exact(m.fom);
        events.push_back(out.str());
    }
};

std::vector<Proposal> by_id(std::vector<Proposal> proposals) {
    std::sort(proposals.begin(), proposals.end(), [](const Proposal& a, const Proposal& b) { return a.id < b.id; });
    return proposals;
}

constexpr std::uint64_t state_seed = 31;

// Runs a strategy to `results` finished evaluations (then, if `then_ask`, the asks that follow),
// saves it, loads the state into a fresh strategy from the factory, and drives both on in
// lockstep with the same workers: the proposals, the pending lists, exhausted(), the planned
// evaluations and the observer events must be identical. False if the run ended before.
template <class Maker>
bool check_restart_at(std::size_t results, bool then_ask, const Simulation& sim) {
    auto original = make<Maker>(state_seed);
    EventLog original_log;
    original->set_observer(&original_log);
    Workers workers(contract_space(), sim);
    for (std::size_t i = 0; i < results; ++i)
        if (!workers.step(*original)) return false;
    if (then_ask) workers.fill(*original);

    const std::string state = original->save_state();
    auto copy = make<Maker>(state_seed);
    copy->restore(state, workers.run.trials);  // a checkpoint's trials: those told, in that order
    REQUIRE(copy->save_state() == state);
    // What a restart evaluates again is exactly what was running.
    REQUIRE(identical(original->pending(), by_id(workers.running)));
    EventLog copy_log;
    copy->set_observer(&copy_log);
    const auto events_before = static_cast<std::ptrdiff_t>(original_log.events.size());
    Workers copy_workers = workers;  // the same running trials, the same order of results from here

    for (std::size_t step = 0;; ++step) {
        REQUIRE(step < 100000);
        REQUIRE(copy->exhausted() == original->exhausted());
        REQUIRE(copy->planned_evaluations() == original->planned_evaluations());
        REQUIRE(identical(copy->pending(), original->pending()));
        workers.fill(*original);
        copy_workers.fill(*copy);
        REQUIRE(copy_workers.run.proposals.size() == workers.run.proposals.size());
        const bool more = workers.finish_one(*original);
        REQUIRE(copy_workers.finish_one(*copy) == more);
        if (!more) break;
    }
    CHECK(identical(copy_workers.run.proposals, workers.run.proposals));
    CHECK(copy_log.events == std::vector<std::string>(original_log.events.begin() + events_before, original_log.events.end()));
    CHECK(copy->save_state() == original->save_state());
    return true;
}

}  // namespace

TEMPLATE_TEST_CASE("every proposal is a valid point of the space", "[contract]", RandomMaker, GridMaker,
                   GenerationalMaker, SteadyStateMaker, BayesMaker, PbtMaker) {
    const SearchSpace space = contract_space();
    auto strategy = make<TestType>(5);
    const Run run = simulate(*strategy, space, {.workers = 4, .shuffle = true, .failures = true});
    REQUIRE_FALSE(run.proposals.empty());
    for (std::size_t i = 0; i < run.proposals.size(); ++i) {
        const Proposal& p = run.proposals[i];
        INFO("proposal " << i << ": " << shell_join(hyperparameter_args(space, p.values, ArgStyle::equals)));
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
                   GridMaker, GenerationalMaker, SteadyStateMaker, BayesMaker, PbtMaker) {
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
                   GridMaker, GenerationalMaker, SteadyStateMaker, BayesMaker, PbtMaker) {
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
    const auto part = [](const Run& run) { return order_free_part<TestType>(run.proposals); };
    CHECK(part(serial) == part(ones));
    CHECK(part(serial) == part(wide));
    CHECK(part(serial) == part(odd));
    // The failing trials are a function of the point, so failures keep the runs identical too.
    const Run f1 = full_run<TestType>(77, {.workers = 2, .failures = true});
    const Run f2 = full_run<TestType>(77, {.workers = 50, .shuffle = true, .order_seed = 5, .failures = true});
    CHECK(part(f1) == part(f2));
}

TEMPLATE_TEST_CASE("results may arrive in any order", "[contract]", RandomMaker, GridMaker, GenerationalMaker,
                   SteadyStateMaker, BayesMaker, PbtMaker) {
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
                   GenerationalMaker, SteadyStateMaker, BayesMaker, PbtMaker) {
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
                   GenerationalMaker, SteadyStateMaker, BayesMaker, PbtMaker) {
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
                   SteadyStateMaker, BayesMaker, PbtMaker) {
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
    CHECK(strategy_names() == std::vector<std::string_view>{"genetic", "random", "grid", "bayes", "pbt"});
    for (const auto name : strategy_names()) {
        const StrategyConfig config = strategy_config_from_name(name);
        CHECK(strategy_name(config) == name);
        CHECK(make_strategy(config, contract_space())->name() == name);
    }
    CHECK(std::holds_alternative<GeneticOptions>(StrategyConfig{}));  // the default strategy
    CHECK_THROWS_AS(strategy_config_from_name("bayesian"), std::invalid_argument);
    CHECK_THROWS_AS(strategy_config_from_name(""), std::invalid_argument);
    StrategyConfig bad = GeneticOptions{.pop_size = -1};  // 0: from the budget (issue 16)
    CHECK_THROWS_AS(make_strategy(bad, contract_space()), std::invalid_argument);
    CHECK_THROWS_AS(check(bad), std::invalid_argument);
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

// One section per simulation and save point, named "simulation S saved after a result" or
// "simulation S then the asks that follow": tests/CMakeLists.txt runs steady-state's four (the
// bulk of this file's time) as tests of their own, so that they run side by side.
TEMPLATE_TEST_CASE("save -> load continues exactly, from any point of the run", "[contract][state]", RandomMaker,
                   GridMaker, GenerationalMaker, SteadyStateMaker, BayesMaker, PbtMaker) {
    const Simulation sims[] = {{.workers = 5, .shuffle = true, .order_seed = 7, .failures = true},
                               {.workers = 3, .ask_chunk = 2, .order_seed = 8}};
    bool simulated = false;  // each run of this case enters one section, unless -c names none of them
    for (std::size_t s = 0; s < std::size(sims); ++s)
        for (bool then_ask : {false, true})
            DYNAMIC_SECTION("simulation " << s << (then_ask ? " then the asks that follow" : " saved after a result")) {
                simulated = true;
                const Simulation& sim = sims[s];
                std::size_t results = 0;
                for (;; ++results) {
                    INFO("saved after " << results << " results" << (then_ask ? ", then the asks that follow" : "")
                                        << ", " << sim.workers << " workers");
                    if (!check_restart_at<TestType>(results, then_ask, sim)) break;
                }
                CHECK(results > make<TestType>(state_seed)->planned_evaluations());  // every point, the end included
            }
    CHECK(simulated);
}

// As a restart runs: the copy re-evaluates its pending trials in id order, then goes on. For the
// strategies whose proposals do not depend on the order of results, the run ends exactly as the
// uninterrupted one did, with any number of restarts (the generational genetic strategy: up to
// its ids, which follow the order of results).
TEMPLATE_TEST_CASE("restarts from saved states give the uninterrupted run's proposals", "[contract][state]",
                   RandomMaker, GridMaker, GenerationalMaker) {
    const SearchSpace space = contract_space();
    const Simulation sim{.workers = 4, .shuffle = true, .order_seed = 3, .failures = true};
    const Run uninterrupted = full_run<TestType>(state_seed, sim);

    auto strategy = make<TestType>(state_seed);
    Workers workers(space, sim);
    std::vector<Proposal> proposals;
    for (std::size_t restart = 0;; ++restart) {
        REQUIRE(restart < 1000);
        for (int i = 0; i < 17 && workers.step(*strategy); ++i) {}
        const bool done = workers.running.empty() && strategy->exhausted();
        for (std::size_t i = proposals.size(); i < workers.run.proposals.size(); ++i)
            if (std::none_of(proposals.begin(), proposals.end(), [&](const Proposal& p) { return p.id == workers.run.proposals[i].id; }))
                proposals.push_back(workers.run.proposals[i]);
        if (done) break;
        const std::string state = strategy->save_state();  // then the run dies
        strategy = make<TestType>(state_seed);
        strategy->restore(state, workers.run.trials);  // the checkpoint's trials, told so far
        workers.running = strategy->pending();
        workers.order.seed(restart + 100);  // results arrive in another order after a restart
    }
    CHECK(identical(order_free_part<TestType>(by_id(proposals)), order_free_part<TestType>(uninterrupted.proposals)));
}

TEMPLATE_TEST_CASE("a state that is not this strategy's is rejected, and changes nothing", "[contract][state]",
                   RandomMaker, GridMaker, GenerationalMaker, SteadyStateMaker, BayesMaker, PbtMaker) {
    const SearchSpace space = contract_space();
    auto source = make<TestType>(3);
    Workers workers(space, {.workers = 4, .shuffle = true, .failures = true});
    for (int i = 0; i < 30; ++i) workers.step(*source);
    workers.fill(*source);
    const std::string state = source->save_state();

    auto target = make<TestType>(3);
    REQUIRE_FALSE(target->ask(2).empty());  // a strategy with a state of its own to keep
    const std::string before = target->save_state();
    const std::string name(target->name());
    auto rejected = [&](const std::string& bad, const std::string& why, const std::string& message = "") {
        INFO(why << ": '" << bad.substr(0, 120) << "'");
        CHECK_THROWS_AS(target->load_state(bad), std::invalid_argument);
        CHECK_THROWS_WITH(target->load_state(bad), Catch::Contains(name + " state") && Catch::Contains(message));
        CHECK(target->save_state() == before);
    };
    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string text = state;
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        return text.replace(at, from.size(), to);
    };

    rejected("", "empty", "empty");
    rejected("garbage", "garbage", "not a strategy state");
    rejected("hpo-strategy\n", "a header alone", "not a strategy state");
    const std::string header = state.substr(0, state.find('\n') + 1);  // "hpo-strategy NAME VERSION\n"
    rejected(replaced(header, header.substr(0, header.rfind(' ')) + " 99\n"), "another format version",
             "format version '99'");
    rejected(replaced("\nend", "\nextra 1\nend"), "an unknown line", "unexpected line 'extra'");
    rejected(replaced("next-id ", "next-id x"), "a bad number", "is not an unsigned integer");
    rejected(replaced("next-id ", "next-id  "), "a double space", "empty token");
    rejected(replaced("next-id ", "next-id -"), "a negative count");
    rejected(replaced("\n", "\r\n"), "CRLF line ends");
    if (state.find("\nrng ") != std::string::npos) {
        rejected(replaced("rng ", "rng -"), "a signed generator word", "generator");
        rejected(replaced("rng ", "rng 18446744073709551616 "), "a generator word beyond 64 bits", "generator");
        const auto rng_line = state.find("\nrng ");
        const auto cut = state.find(' ', rng_line + 100);
        rejected(state.substr(0, cut) + state.substr(state.find('\n', rng_line + 1)), "a generator cut short", "generator");
    }

    // Every cut of the text: only the final newline may go.
    for (std::size_t length = 0; length + 1 < state.size(); ++length) {
        INFO("truncated to " << length << " of " << state.size() << " characters");
        REQUIRE_THROWS_AS(target->load_state(state.substr(0, length)), std::invalid_argument);
    }
    CHECK(target->save_state() == before);

    // The state of every other strategy, or of the same one over a space of another dimension.
    std::vector<std::unique_ptr<Strategy>> others;
    others.push_back(make<RandomMaker>(3));
    others.push_back(make<GridMaker>(3));
    others.push_back(make<GenerationalMaker>(3));
    others.push_back(make<SteadyStateMaker>(3));
    others.push_back(make<BayesMaker>(3));
    others.push_back(make<PbtMaker>(3));
    // A strategy is told apart by its name and, for the genetic one, its mode.
    auto kind = [](const std::string& text) {
        const auto mode = text.find("\nmode ");
        return text.substr(0, text.find('\n')) + (mode == std::string::npos ? "" : text.substr(mode, text.find('\n', mode + 1) - mode));
    };
    for (auto& other : others) {
        other->ask(3);
        const std::string text = other->save_state();
        if (kind(text) == kind(state)) continue;
        if (other->name() != target->name())
            rejected(text, "another strategy's state", "a state of the '" + std::string(other->name()) + "' strategy");
        else
            rejected(text, "another genetic mode's state", "mode, this strategy is");
    }
    const SearchSpace smaller = parse_search_space({"-a 0.5 [-1.0,1.0]", "--lr 0.001 [1e-5,0.1] log", "--layers 2 [1,8]", "--units [4,256] log"});
    auto narrow = make_strategy(TestType::config(), smaller, {.seed = 3});
    narrow->ask(3);
    rejected(narrow->save_state(), "a state over a space of another dimension", "space of 4 parameters");

    // The final newline is optional; the state then loads, and the target continues as the source.
    target->restore(state.substr(0, state.size() - 1), workers.run.trials);
    CHECK(target->save_state() == state);
    CHECK(identical(target->pending(), source->pending()));
}
