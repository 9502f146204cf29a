// The genetic island model: options, generation 0, elites, migration, steady-state, improvement.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <tuple>
#include <type_traits>

#include "hpo/space/parse.hpp"
#include "hpo/strategy/genetic.hpp"

#include "genetic_state_versions.hpp"

using namespace hpo;
using Catch::Matchers::Contains;

namespace {

SearchSpace quadratic_space() {
    return parse_search_space({"-x 0.9 [-1.0,1.0]", "-y -0.8 [-1.0,1.0]", "--n 7 [0,10]", "--c d {a,b,c,d}"});
}

// Minimum 0 at x=0.2, y=-0.3, n=3, c=b; the default point is far from it.
double quadratic(const Point& v) {
    return (v[0] - 0.2) * (v[0] - 0.2) + (v[1] + 0.3) * (v[1] + 0.3) + 0.01 * (v[2] - 3) * (v[2] - 3) +
           (v[3] == 1.0 ? 0.0 : 0.1);
}

using Objective = std::function<Trial(const Proposal&)>;

Trial trial_of(const Proposal& p, double fom, TrialStatus status = TrialStatus::ok) {
    Trial t;
    t.id = p.id;
    t.deme = p.deme;
    t.generation = p.generation;
    t.values = p.values;
    t.fom = fom;
    t.status = status;
    return t;
}

Objective minimize_quadratic() {
    return [](const Proposal& p) { return trial_of(p, quadratic(p.values)); };
}

// Observes summaries and migrations, and checks the best against the trials told so far.
struct Recorder : StrategyObserver {
    std::vector<GenerationSummary> generations;
    std::vector<Migration> migrations;
    const std::vector<Trial>* told = nullptr;
    std::vector<double> best_ok_at_end;  // the minimum ok FoM told when each generation ended

    void on_generation_end(const GenerationSummary& s) override {
        generations.push_back(s);
        double best = NAN;
        if (told)
            for (const auto& t : *told)
                if (t.ok() && (std::isnan(best) || t.fom < best)) best = t.fom;
        best_ok_at_end.push_back(best);
    }
    void on_migration(const Migration& m) override { migrations.push_back(m); }
};

struct Outcome {
    std::vector<Proposal> proposals;
    std::vector<Trial> trials;
};

// Asks in batches of `batch`, tells each batch in a shuffled order, until the strategy is done.
Outcome run(GeneticStrategy& strategy, const Objective& f, std::size_t batch = 5, Recorder* recorder = nullptr,
            std::uint64_t order_seed = 1) {
    Outcome out;
    if (recorder) {
        recorder->told = &out.trials;
        strategy.set_observer(recorder);
    }
    std::mt19937_64 order(order_seed);
    for (int guard = 0; guard < 100000; ++guard) {
        auto got = strategy.ask(batch);
        if (got.empty()) break;
        out.proposals.insert(out.proposals.end(), got.begin(), got.end());
        std::shuffle(got.begin(), got.end(), order);
        for (const auto& p : got) {
            out.trials.push_back(f(p));  // recorded before tell(), so the observer sees it
            strategy.tell(out.trials.back());
        }
    }
    REQUIRE(strategy.exhausted());
    return out;
}

GeneticOptions options(int generations, int pop, int demes, GeneticMode mode = GeneticMode::generational) {
    GeneticOptions o;
    o.generations = generations;
    o.pop_size = pop;
    o.num_demes = demes;
    o.mode = mode;
    o.mutation_rate = 0.3;
    o.crossover_rate = 0.5;
    o.migration_interval = 2;
    o.elites = 1;
    return o;
}

double best_fom(const Outcome& o) {
    double best = INFINITY;
    for (const auto& t : o.trials)
        if (t.ok()) best = std::min(best, t.fom);
    return best;
}

// Deme 1 scored far worse than the others: its best never migrates to a deme holding better.
double deme1_penalized(const Proposal& p) { return quadratic(p.values) + (p.deme == 1 ? 100.0 : 0.0); }

// A proposal named by what does not depend on the order of results: its deme, its generation
// and its place in that generation (ids within one deme's generation follow population order).
using Slot = std::tuple<int, int, std::size_t>;

// Every proposal by its slot: genes and the slot of its parent (the trial it inherits from).
std::map<Slot, std::pair<Point, std::optional<Slot>>> by_deme_generation(const std::vector<Proposal>& proposals) {
    std::map<std::pair<int, int>, std::vector<TrialId>> ids;
    for (const auto& p : proposals) ids[{p.deme, p.generation}].push_back(p.id);
    std::map<TrialId, Slot> slot;
    for (auto& [key, list] : ids) {
        std::sort(list.begin(), list.end());
        for (std::size_t i = 0; i < list.size(); ++i) slot[list[i]] = {key.first, key.second, i};
    }
    std::map<Slot, std::pair<Point, std::optional<Slot>>> out;
    for (const auto& p : proposals) {
        std::optional<Slot> parent;
        if (p.parent) parent = slot.at(*p.parent);
        out[slot.at(p.id)] = {p.values, parent};
    }
    return out;
}

// The same summaries (every count and FoM of each deme) and the same migrations (ids aside).
bool same_events(const Recorder& a, const Recorder& b) {
    if (a.generations.size() != b.generations.size() || a.migrations.size() != b.migrations.size()) return false;
    auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
    for (std::size_t g = 0; g < a.generations.size(); ++g) {
        const auto &x = a.generations[g], &y = b.generations[g];
        if (x.generation != y.generation || x.demes.size() != y.demes.size()) return false;
        for (std::size_t d = 0; d < x.demes.size(); ++d) {
            const auto &p = x.demes[d], &q = y.demes[d];
            if (!same(p.best_fom, q.best_fom) || !same(p.mean_fom, q.mean_fom) || p.evaluated != q.evaluated ||
                p.failed != q.failed)
                return false;
        }
    }
    auto key = [](const Migration& m) { return std::tuple(m.generation, m.from_deme, m.to_deme, m.fom); };
    std::vector<std::tuple<int, int, int, double>> ma, mb;
    for (const auto& m : a.migrations) ma.push_back(key(m));
    for (const auto& m : b.migrations) mb.push_back(key(m));
    return ma == mb;
}

// Each deme in `order` in turn asks and is told until it can go no further (its generations
// done, or at a migration's barrier), then the next; round after round until the end.
Outcome run_demes_in_turn(GeneticStrategy& strategy, const std::vector<int>& order, Recorder* recorder = nullptr) {
    Outcome out;
    if (recorder) {
        recorder->told = &out.trials;
        strategy.set_observer(recorder);
    }
    for (int guard = 0; guard < 1000 && !strategy.exhausted(); ++guard)
        for (int deme : order)
            for (auto got = strategy.ask(3, deme); !got.empty(); got = strategy.ask(3, deme))
                for (const auto& p : got) {
                    out.proposals.push_back(p);
                    out.trials.push_back(minimize_quadratic()(p));
                    strategy.tell(out.trials.back());
                }
    REQUIRE(strategy.exhausted());
    return out;
}

}  // namespace

TEST_CASE("genetic: mode names", "[genetic]") {
    CHECK(to_string(GeneticMode::generational) == "generational");
    CHECK(to_string(GeneticMode::steady_state) == "steady-state");
    CHECK(genetic_mode_from_string("generational") == GeneticMode::generational);
    CHECK(genetic_mode_from_string("steady-state") == GeneticMode::steady_state);
    CHECK(genetic_mode_from_string("steady_state") == GeneticMode::steady_state);
    CHECK_THROWS_WITH(genetic_mode_from_string("async"), Contains("'async'"));
}

TEST_CASE("genetic: options are validated, naming the bad value", "[genetic]") {
    const auto space = quadratic_space();
    auto bad = [&](auto change, const char* message) {
        GeneticOptions o;
        change(o);
        INFO(message);
        CHECK_THROWS_AS(GeneticStrategy(space, o), std::invalid_argument);
        CHECK_THROWS_WITH(GeneticStrategy(space, o), Contains(message));
    };
    // 0 means "not given" since issue 16 (the budget is then --evals).
    bad([](GeneticOptions& o) { o.generations = -1; }, "generations must be >= 1, or 0 for a budget given as evals (got -1)");
    bad([](GeneticOptions& o) { o.pop_size = -3; }, "pop_size must be >= 1, or 0 for a population sized by the budget (got -3)");
    bad([](GeneticOptions& o) { o.evals = 3; o.num_demes = 2; }, "give at least 4 evals, or fewer elites");
    bad([](GeneticOptions& o) { o.num_demes = 0; }, "num_demes must be >= 1 (got 0)");
    bad([](GeneticOptions& o) { o.mutation_rate = 1.5; }, "mutation_rate must be in [0,1] (got 1.5)");
    bad([](GeneticOptions& o) { o.mutation_rate = NAN; }, "mutation_rate");
    bad([](GeneticOptions& o) { o.crossover_rate = -0.1; }, "crossover_rate must be in [0,1] (got -0.1)");
    bad([](GeneticOptions& o) { o.migration_interval = 0; }, "migration_interval must be >= 1 (got 0)");
    bad([](GeneticOptions& o) { o.elites = -2; }, "elites must be >= 0, or -1 for elites that follow from the budget (got -2)");
    bad([](GeneticOptions& o) { o.elites = o.pop_size = 10; }, "elites must be >= 0 and < pop_size (got elites 10");
    bad([](GeneticOptions& o) { o.generations = 1 << 30, o.pop_size = o.num_demes = 1000; }, "too large");
    // Every individual is held in memory: a typo must not end in std::bad_alloc.
    bad([](GeneticOptions& o) { o.pop_size = 1001, o.num_demes = 1000; }, "pop_size * num_demes must be at most 1000000");
    bad([](GeneticOptions& o) { o.pop_size = o.num_demes = 1 << 30; }, "pop_size * num_demes must be at most 1000000");
    GeneticOptions edge;
    edge.pop_size = 1;
    edge.elites = 0;
    edge.mutation_rate = 0.0;
    edge.crossover_rate = 1.0;
    CHECK_NOTHROW(GeneticStrategy(space, edge));
}

TEST_CASE("genetic: the budget, with elites carried and not re-evaluated", "[genetic]") {
    const auto space = quadratic_space();
    auto o = options(5, 6, 3);
    o.elites = 2;
    GeneticStrategy generational(space, o);
    CHECK(generational.planned_evaluations() == 3 * (6 + 4 * (6 - 2)));
    const auto out = run(generational, minimize_quadratic(), 4);
    CHECK(out.proposals.size() == generational.planned_evaluations());
    std::map<std::pair<int, int>, int> per_deme_generation;
    for (const auto& p : out.proposals) ++per_deme_generation[{p.deme, p.generation}];
    for (auto [key, count] : per_deme_generation) {
        INFO("deme " << key.first << " generation " << key.second);
        CHECK(count == (key.second == 0 ? 6 : 4));
    }
    CHECK(per_deme_generation.size() == 3 * 5);

    o.mode = GeneticMode::steady_state;
    GeneticStrategy steady(space, o);
    CHECK(steady.planned_evaluations() == 3 * 5 * 6);
    CHECK(run(steady, minimize_quadratic(), 4).proposals.size() == 3 * 5 * 6);
}

// Issue 16: generation 0 is the initial genotype (deme 0 only) and space-filling points, no longer
// the initial genotype in every deme and its mutants (tests/unit/test_genetic_operators.cpp).
TEST_CASE("genetic: generation 0 is the initial genotype in deme 0, then distinct points spread over the space", "[genetic]") {
    const auto space = quadratic_space();
    for (auto mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        GeneticStrategy strategy(space, options(3, 12, 3, mode));
        const auto gen0 = strategy.ask(1000);
        REQUIRE(gen0.size() == 36);  // and no more until results come back
        CHECK(strategy.ask(1000).empty());
        const Point initial{0.9, -0.8, 7.0, 3.0};
        for (int d = 0; d < 3; ++d) {
            std::vector<Point> deme;
            for (const auto& p : gen0)
                if (p.deme == d) {
                    CHECK(p.generation == 0);
                    deme.push_back(p.values);
                }
            REQUIRE(deme.size() == 12);
            CHECK((deme.front() == initial) == (d == 0));
            std::set<Point> distinct(deme.begin(), deme.end());
            CHECK(distinct.size() == 12);  // every point differs from the initial and, here, each other
            // Spread: the points are far apart in the float genes.
            double spread = 0;
            for (const auto& v : deme) spread = std::max(spread, std::abs(v[0] - 0.9));
            CHECK(spread > 0.2);
        }
    }
}

TEST_CASE("genetic: a parameter without default starts deme 0 at one seeded draw", "[genetic]") {
    const auto space = parse_search_space({"--x [0.0,1.0]", "--n 3 [1,8]"});
    GeneticStrategy a(space, options(2, 4, 2)), b(space, options(2, 4, 2));
    const auto pa = a.ask(8), pb = b.ask(8);
    CHECK(pa == pb);
    CHECK(pa[0].deme == 0);
    CHECK(pa[0].values[1] == 3.0);
}

TEST_CASE("genetic: a deme breeds its next generation as soon as its own is told", "[genetic]") {
    auto o = options(4, 4, 2);
    o.migration_interval = 3;  // the first migration after generation 2
    GeneticStrategy strategy(quadratic_space(), o);
    Recorder recorder;
    strategy.set_observer(&recorder);
    const auto gen0 = strategy.ask(100);
    REQUIRE(gen0.size() == 8);
    std::vector<Proposal> deme0, deme1;
    for (const auto& p : gen0) (p.deme == 0 ? deme0 : deme1).push_back(p);
    for (std::size_t i = 0; i + 1 < deme0.size(); ++i) strategy.tell(trial_of(deme0[i], quadratic(deme0[i].values)));
    CHECK(strategy.ask(100).empty());  // deme 0 still waits for one of its own
    strategy.tell(trial_of(deme0.back(), quadratic(deme0.back().values)));
    // Deme 1 has told nothing of generation 0, deme 0 goes on all the same.
    for (int g = 1; g <= 2; ++g) {
        INFO("generation " << g);
        const auto next = strategy.ask(100);
        REQUIRE(next.size() == 3);  // pop-size 4 less its elite
        for (const auto& p : next) {
            CHECK(p.deme == 0);
            CHECK(p.generation == g);
            strategy.tell(trial_of(p, quadratic(p.values)));
        }
    }
    CHECK(recorder.generations.empty());  // generation 0 is summarized once deme 1 has finished it too
    CHECK(strategy.ask(100).empty());     // deme 0 waits at the migration after generation 2
    for (const auto& p : deme1) strategy.tell(trial_of(p, quadratic(p.values)));
    REQUIRE(recorder.generations.size() == 1);
    CHECK(recorder.generations[0].generation == 0);
    const auto deme1_gen1 = strategy.ask(100);
    REQUIRE(deme1_gen1.size() == 3);
    for (const auto& p : deme1_gen1) {
        CHECK(p.deme == 1);
        CHECK(p.generation == 1);
    }
}

TEST_CASE("genetic: at a migration every deme waits until all have finished the generation", "[genetic]") {
    auto o = options(4, 4, 3);
    o.migration_interval = 2;  // a migration after generation 1
    GeneticStrategy strategy(quadratic_space(), o);
    Recorder recorder;
    strategy.set_observer(&recorder);
    auto tell_all = [&](const std::vector<Proposal>& ps) {
        for (const auto& p : ps) strategy.tell(trial_of(p, deme1_penalized(p)));
    };
    // Demes 0 and 1 finish generations 0 and 1; deme 2 keeps one trial of generation 0 pending.
    tell_all(strategy.ask(8, 0));
    tell_all(strategy.ask(8, 1));
    auto deme2 = strategy.ask(8, 2);
    REQUIRE(deme2.size() == 4);
    const Proposal straggler = deme2.back();
    deme2.pop_back();
    tell_all(deme2);
    tell_all(strategy.ask(8, 0));
    tell_all(strategy.ask(8, 1));
    CHECK(strategy.ask(8, 0).empty());  // at the barrier: nothing until deme 2 is done
    CHECK(strategy.ask(8, 1).empty());
    CHECK(strategy.ask(8).empty());
    CHECK(strategy.ask(8, 2).empty());  // deme 2's last trial is still out
    CHECK(recorder.migrations.empty());
    strategy.tell(trial_of(straggler, deme1_penalized(straggler)));
    CHECK(recorder.migrations.empty());
    const auto deme2_gen1 = strategy.ask(8, 2);  // deme 2 catches up; the others still wait
    REQUIRE(deme2_gen1.size() == 3);
    for (const auto& p : deme2_gen1) CHECK(p.generation == 1);
    CHECK(strategy.ask(8, 0).empty());
    tell_all(deme2_gen1);
    // The migration happened, each deme's best taken before any deme received.
    REQUIRE_FALSE(recorder.migrations.empty());
    for (const auto& m : recorder.migrations) {
        CHECK(m.generation == 1);
        CHECK(m.to_deme == (m.from_deme + 1) % 3);
    }
    REQUIRE(recorder.generations.size() == 2);
    const auto gen2 = strategy.ask(100);
    CHECK(gen2.size() == 3 * 3);
    for (const auto& p : gen2) CHECK(p.generation == 2);
}

TEST_CASE("genetic: the search improves on the default point", "[genetic]") {
    const double default_loss = quadratic({0.9, -0.8, 7.0, 3.0});
    for (auto mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            auto o = options(10, 10, 2, mode);
            GeneticStrategy strategy(quadratic_space(), o, {.seed = seed});
            const auto out = run(strategy, minimize_quadratic(), 7);
            INFO("mode " << to_string(mode) << " seed " << seed);
            CHECK(best_fom(out) <= default_loss);
            CHECK(best_fom(out) < 0.25 * default_loss);
            // Later generations are better on average than generation 0.
            double first = 0, last = 0;
            int n_first = 0, n_last = 0;
            for (const auto& t : out.trials) {
                if (t.generation == 0) first += t.fom, ++n_first;
                if (t.generation == 9) last += t.fom, ++n_last;
            }
            CHECK(last / n_last < first / n_first);
        }
    }
}

TEST_CASE("genetic: maximizing negates the loss", "[genetic]") {
    auto o = options(8, 8, 1);
    GeneticStrategy strategy(quadratic_space(), o, {.maximize = true});
    const auto out = run(strategy, [](const Proposal& p) { return trial_of(p, 10.0 - quadratic(p.values)); });
    double best = -INFINITY;
    for (const auto& t : out.trials) best = std::max(best, t.fom);
    CHECK(best > 10.0 - 0.25 * quadratic({0.9, -0.8, 7.0, 3.0}));
}

TEST_CASE("genetic: the global best is never lost", "[genetic]") {
    for (auto mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        auto o = options(8, 6, 3, mode);
        GeneticStrategy strategy(quadratic_space(), o, {.seed = 5});
        Recorder recorder;
        // Every fifth trial fails with a FoM that would win if failures counted.
        const auto out = run(strategy, [](const Proposal& p) {
            return p.id % 5 == 4 ? trial_of(p, -1.0, TrialStatus::failed) : trial_of(p, quadratic(p.values));
        }, 4, &recorder);
        INFO("mode " << to_string(mode));
        REQUIRE(recorder.generations.size() == 8);
        for (std::size_t g = 0; g < recorder.generations.size(); ++g) {
            const auto& s = recorder.generations[g];
            CHECK(s.generation == static_cast<int>(g));
            CHECK(s.global_best_fom == recorder.best_ok_at_end[g]);
            CHECK(s.global_best_fom >= 0.0);  // a failed trial's FoM never counts
            if (g > 0) CHECK(s.global_best_fom <= recorder.generations[g - 1].global_best_fom);
            double min_deme = INFINITY;
            for (const auto& d : s.demes) min_deme = std::min(min_deme, d.best_fom);
            // The best individual is still in some deme's population. Generational, a deme's best is
            // as it stood when the deme finished generation g, while the global best may already
            // come from a deme's later generation (demes evolve apart): then it is only no better.
            if (mode == GeneticMode::steady_state) CHECK(min_deme == s.global_best_fom);
            else CHECK(min_deme >= s.global_best_fom);
        }
        if (mode == GeneticMode::generational) {
            // With an elite every deme keeps its own best from generation to generation.
            for (std::size_t g = 1; g < recorder.generations.size(); ++g)
                for (std::size_t d = 0; d < 3; ++d)
                    CHECK(recorder.generations[g].demes[d].best_fom <= recorder.generations[g - 1].demes[d].best_fom);
        }
    }
}

TEST_CASE("genetic: generation summaries count evaluations and failures", "[genetic]") {
    auto o = options(4, 5, 2);
    o.elites = 2;
    GeneticStrategy strategy(quadratic_space(), o);
    Recorder recorder;
    // Deme 1 always fails.
    run(strategy, [](const Proposal& p) {
        return p.deme == 1 ? trial_of(p, 0.0, TrialStatus::crashed) : trial_of(p, quadratic(p.values));
    }, 3, &recorder);
    REQUIRE(recorder.generations.size() == 4);
    for (const auto& s : recorder.generations) {
        REQUIRE(s.demes.size() == 2);
        const std::size_t expected = s.generation == 0 ? 5 : 3;
        CHECK(s.demes[0].evaluated == expected);
        CHECK(s.demes[0].failed == 0);
        CHECK_FALSE(std::isnan(s.demes[0].best_fom));
        CHECK(s.demes[0].mean_fom >= s.demes[0].best_fom);
        CHECK(s.demes[1].evaluated == expected);
        CHECK(s.demes[1].failed == expected);
        // Migrants from deme 0 may bring an ok member into deme 1 after a migration.
        if (s.generation < 1) CHECK(std::isnan(s.demes[1].best_fom));
        // Between migrations deme 0 may be a generation ahead when deme 1 finishes: the run's
        // best may then be one of deme 0's next generation.
        CHECK(s.global_best_fom <= s.demes[0].best_fom);
    }
    CHECK(recorder.generations.back().global_best_fom == recorder.generations.back().demes[0].best_fom);
}

TEST_CASE("genetic: migration every interval, each deme's best to its ring neighbour", "[genetic]") {
    auto o = options(9, 6, 3);
    o.migration_interval = 3;
    GeneticStrategy strategy(quadratic_space(), o);
    Recorder recorder;
    const auto out = run(strategy, minimize_quadratic(), 5, &recorder);
    std::map<TrialId, double> fom;
    std::map<TrialId, int> deme_of;
    for (const auto& t : out.trials) fom[t.id] = t.fom, deme_of[t.id] = t.deme;
    std::map<int, int> per_generation;
    for (const auto& m : recorder.migrations) {
        ++per_generation[m.generation];
        CHECK(m.to_deme == (m.from_deme + 1) % 3);
        CHECK(m.fom == fom.at(m.individual));
    }
    // After generations 2 and 5 (every 3rd), never after the last one (8).
    CHECK(per_generation.size() == 2);
    CHECK(per_generation.count(2) == 1);
    CHECK(per_generation.count(5) == 1);

    // One deme: nobody to migrate to.
    GeneticStrategy alone(quadratic_space(), options(6, 5, 1));
    Recorder quiet;
    run(alone, minimize_quadratic(), 5, &quiet);
    CHECK(quiet.migrations.empty());
}

// The best deme-0 trial among `trials` that `counts`; deme 0 is scored far better than deme 1
// below, so this is deme 0's best member and it beats every member of deme 1.
template <class Pred>
const Trial* best_of_deme0(const std::vector<Trial>& trials, Pred counts) {
    const Trial* best = nullptr;
    for (const auto& t : trials)
        if (t.deme == 0 && t.ok() && counts(t) && (!best || better_trial(t, *best, false))) best = &t;
    return best;
}

TEST_CASE("genetic: a migrant replaces the neighbour's worst, unless the neighbour holds it already", "[genetic]") {
    auto o = options(6, 4, 2);
    o.migration_interval = 1;
    GeneticStrategy strategy(quadratic_space(), o);
    Recorder recorder;
    const auto out = run(strategy, [](const Proposal& p) { return trial_of(p, deme1_penalized(p)); }, 3, &recorder);
    std::map<int, TrialId> sent;  // generation -> individual, from deme 0
    for (const auto& m : recorder.migrations) {
        CHECK(m.from_deme == 0);  // deme 1's best never beats deme 0's worst
        sent[m.generation] = m.individual;
    }
    // After each generation but the last, deme 0 sends its best unless it sent that one before.
    std::optional<TrialId> last;
    for (int g = 0; g + 1 < o.generations; ++g) {
        INFO("generation " << g);
        const Trial* best = best_of_deme0(out.trials, [g](const Trial& t) { return t.generation <= g; });
        REQUIRE(best);
        if (best->id != last) {
            REQUIRE(sent.count(g) == 1);
            CHECK(sent[g] == best->id);
            last = best->id;
        } else {
            CHECK(sent.count(g) == 0);
        }
    }
    CHECK(sent.count(0) == 1);
    // The migrant lives on in deme 1, with its loss: deme 1's best is no longer a deme-1 score.
    for (std::size_t g = 1; g < recorder.generations.size(); ++g)
        CHECK(recorder.generations[g].demes[1].best_fom < 100.0);
    // Migrants are not re-evaluated: the budget is unchanged.
    CHECK(out.proposals.size() == 2 * (4 + 5 * 3));
}

// Deme 0 scored far better than demes 1 and 2: the ring brings deme 2 only deme 1's members.
double deme0_favoured(const Proposal& p) { return quadratic(p.values) + (p.deme == 0 ? 0.0 : 100.0); }

// The deme of each proposal's parent, for the proposals of `deme` (none: no parent).
std::vector<std::pair<const Proposal*, std::optional<int>>> parent_demes(const Outcome& out, int deme) {
    std::map<TrialId, int> deme_of;
    for (const auto& p : out.proposals) deme_of[p.id] = p.deme;
    std::vector<std::pair<const Proposal*, std::optional<int>>> result;
    for (const auto& p : out.proposals)
        if (p.deme == deme) result.emplace_back(&p, p.parent ? std::optional<int>(deme_of.at(*p.parent)) : std::nullopt);
    return result;
}

TEST_CASE("genetic: where demes meet, each breeds from every deme's members; between, from its own", "[genetic]") {
    auto o = options(5, 4, 3);
    o.migration_interval = 2;  // meetings after generations 1 and 3
    const auto out = run(*std::make_unique<GeneticStrategy>(quadratic_space(), o),
                         [](const Proposal& p) { return trial_of(p, deme0_favoured(p)); });
    std::map<int, int> from_deme0;  // generation -> deme 2's children with a deme-0 parent
    for (const auto& [p, parent] : parent_demes(out, 2)) {
        if (p->generation == 0) continue;
        REQUIRE(parent);
        if (*parent == 0) ++from_deme0[p->generation];
        // Bred after generations 0 and 2 (no meeting): from deme 2's own members and what the
        // ring brought it, never from deme 0.
        if (p->generation == 1 || p->generation == 3) CHECK(*parent != 0);
    }
    // Bred after a meeting: deme 0's members are the fittest of the pool, and children come from them.
    CHECK(from_deme0[2] > 0);
    CHECK(from_deme0[4] > 0);
    // The same run with the demes never meeting before the end: deme 0 never parents deme 2's children.
    o.migration_interval = 5;
    const auto apart = run(*std::make_unique<GeneticStrategy>(quadratic_space(), o),
                           [](const Proposal& p) { return trial_of(p, deme0_favoured(p)); });
    for (const auto& [p, parent] : parent_demes(apart, 2))
        if (parent) CHECK(*parent != 0);
}

TEST_CASE("genetic steady-state: a birth where demes meet is bred from every deme's members", "[genetic]") {
    // Deme 1's children whose parent is a deme-0 trial that never migrated: only a meeting's pool
    // holds those (the ring brings deme 1 nothing but deme 0's best). No crossover: a child's
    // parent is the winner of its tournament, often not the fittest.
    auto unmigrated_deme0_parents = [](int interval) {
        auto o = options(8, 4, 2, GeneticMode::steady_state);
        o.migration_interval = interval;
        o.crossover_rate = 0;
        Recorder recorder;
        const auto out = run(*std::make_unique<GeneticStrategy>(quadratic_space(), o),
                             [](const Proposal& p) { return trial_of(p, deme0_favoured(p)); }, 1, &recorder);
        std::set<TrialId> migrated;
        for (const auto& m : recorder.migrations) migrated.insert(m.individual);
        std::size_t births = 0, count = 0;
        for (const auto& [p, parent] : parent_demes(out, 1)) {
            const bool meeting = births > 0 && births % (4 * static_cast<std::size_t>(interval)) == 0;
            ++births;
            if (parent && *parent == 0 && !migrated.count(*p->parent)) {
                CHECK(meeting);
                ++count;
            }
        }
        CHECK(births == 32);
        return count;
    };
    CHECK(unmigrated_deme0_parents(1) > 0);
    CHECK(unmigrated_deme0_parents(9) == 0);  // no meeting within 8 generations
}

TEST_CASE("genetic steady-state: children bred as results arrive, per deme", "[genetic]") {
    auto o = options(3, 4, 2, GeneticMode::steady_state);
    GeneticStrategy strategy(quadratic_space(), o);
    const auto gen0 = strategy.ask(100);
    REQUIRE(gen0.size() == 8);
    CHECK(strategy.ask(5).empty());  // nothing evaluated: wait

    const auto of_deme1 = *std::find_if(gen0.begin(), gen0.end(), [](const Proposal& p) { return p.deme == 1; });
    strategy.tell(trial_of(of_deme1, quadratic(of_deme1.values)));
    CHECK(strategy.ask(5, 0).empty());  // deme 0 still has no result
    const auto children = strategy.ask(3, 1);
    REQUIRE(children.size() == 3);
    for (const auto& c : children) {
        CHECK(c.deme == 1);
        CHECK(c.generation == 1);
        CHECK(c.values != of_deme1.values);  // bred from its only evaluated member, but moved
    }
    // Any deme: only deme 1 can breed; its budget is 3 × 4 births, 7 are made.
    const auto any = strategy.ask(10);
    CHECK(any.size() == 5);
    for (const auto& p : any) CHECK(p.deme == 1);
    CHECK(any.front().generation == 1);
    CHECK(any.back().generation == 2);
    CHECK(strategy.ask(10).empty());
    CHECK_FALSE(strategy.exhausted());  // deme 0 has births left
}

TEST_CASE("genetic steady-state: migration every interval × pop_size births", "[genetic]") {
    auto o = options(7, 4, 2, GeneticMode::steady_state);
    o.migration_interval = 2;
    GeneticStrategy strategy(quadratic_space(), o);
    Recorder recorder;
    // One at a time: every trial is told before the next ask, so "told before" is "proposed before".
    const auto out = run(strategy, [](const Proposal& p) { return trial_of(p, deme1_penalized(p)); }, 1, &recorder);
    std::map<int, TrialId> sent;
    for (const auto& m : recorder.migrations) {
        CHECK(m.from_deme == 0);
        sent[m.generation] = m.individual;
    }
    // Deme 0 migrates before breeding its births 8, 16 and 24 (generations 2, 4, 6).
    std::optional<TrialId> last;
    std::size_t births = 0;
    for (std::size_t i = 0; i < out.proposals.size(); ++i) {
        if (out.proposals[i].deme != 0) continue;
        if (births > 0 && births % 8 == 0) {
            const int g = static_cast<int>(births / 4);
            INFO("generation " << g);
            const Trial* best = best_of_deme0(out.trials, [i](const Trial& t) { return t.id < i; });
            REQUIRE(best);
            if (best->id != last) {
                REQUIRE(sent.count(g) == 1);
                CHECK(sent[g] == best->id);
                last = best->id;
            } else {
                CHECK(sent.count(g) == 0);
            }
        }
        ++births;
    }
    CHECK(births == 28);
    CHECK(sent.count(2) == 1);
    for (const auto& [g, id] : sent) CHECK((g == 2 || g == 4 || g == 6));
    CHECK(recorder.generations.size() == 7);
}

TEST_CASE("genetic: children always differ from their parent", "[genetic]") {
    auto o = options(2, 10, 1);
    o.mutation_rate = 0.0;
    o.crossover_rate = 0.0;
    o.elites = 0;
    const auto space = parse_search_space({"--a [0.0,1.0]", "--b [0.0,1.0]"});
    GeneticStrategy strategy(space, o);
    const auto out = run(strategy, [](const Proposal& p) { return trial_of(p, p.values[0] + p.values[1]); }, 100);
    std::set<Point> gen0;
    for (const auto& p : out.proposals)
        if (p.generation == 0) gen0.insert(p.values);
    for (const auto& p : out.proposals)
        if (p.generation == 1) CHECK(gen0.count(p.values) == 0);
}

TEST_CASE("genetic: integer and choice genes stay valid; unchangeable genes do not hang", "[genetic]") {
    const auto space = parse_search_space({"--n 2 [1,3]", "--units [4,256] log", "--c {only}"});
    for (auto mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        GeneticStrategy strategy(space, options(6, 8, 2, mode));
        const auto out = run(strategy, [](const Proposal& p) { return trial_of(p, p.values[0] * p.values[1]); });
        for (const auto& p : out.proposals) {
            REQUIRE(space.contains(p.values));
            CHECK(p.values[2] == 0.0);
        }
    }
    const auto fixed = parse_search_space({"--c {only}"});
    GeneticStrategy strategy(fixed, options(3, 3, 2));
    CHECK(run(strategy, [](const Proposal& p) { return trial_of(p, 1.0); }).proposals.size() ==
          strategy.planned_evaluations());
}

TEST_CASE("genetic: proposals do not depend on the order of results", "[genetic]") {
    auto o = options(6, 7, 3);
    const SearchSettings seeded{.seed = 42};
    GeneticStrategy a(quadratic_space(), o, seeded), b(quadratic_space(), o, seeded), c(quadratic_space(), o, seeded);
    Recorder ra, rb, rc;
    const auto one = run(a, minimize_quadratic(), 1, &ra, 1);
    const auto many = run(b, minimize_quadratic(), 64, &rb, 2);
    const auto odd = run(c, minimize_quadratic(), 5, &rc, 3);
    CHECK(by_deme_generation(one.proposals) == by_deme_generation(many.proposals));
    CHECK(by_deme_generation(one.proposals) == by_deme_generation(odd.proposals));
    CHECK(same_events(ra, rb));
    CHECK(same_events(ra, rc));
    // Asked and told the same way, even the ids are the same.
    GeneticStrategy again(quadratic_space(), o, seeded);
    CHECK(run(again, minimize_quadratic(), 5, nullptr, 3).proposals == odd.proposals);
}

TEST_CASE("genetic: a deme's generations do not depend on when the other demes finish theirs", "[genetic]") {
    auto o = options(7, 6, 3);
    o.migration_interval = 3;
    const SearchSettings seeded{.seed = 8};
    // Each deme in turn as far as it can go (deme 1 first), or one trial at a time from any deme,
    // or batches of 4 told in a shuffled order.
    GeneticStrategy apart(quadratic_space(), o, seeded), level(quadratic_space(), o, seeded),
        shuffled(quadratic_space(), o, seeded);
    Recorder r_apart, r_level, r_shuffled;
    const auto one_by_one = run_demes_in_turn(apart, {1, 2, 0}, &r_apart);
    const auto interleaved = run(level, minimize_quadratic(), 1, &r_level);
    const auto batches = run(shuffled, minimize_quadratic(), 4, &r_shuffled, 9);
    REQUIRE(one_by_one.proposals.size() == apart.planned_evaluations());
    // The orders differ, ids included ...
    CHECK(one_by_one.proposals != interleaved.proposals);
    // ... the genes of each (deme, generation, slot), their parents, the summaries and the
    // migrations do not.
    CHECK(by_deme_generation(one_by_one.proposals) == by_deme_generation(interleaved.proposals));
    CHECK(by_deme_generation(one_by_one.proposals) == by_deme_generation(batches.proposals));
    CHECK(same_events(r_apart, r_level));
    CHECK(same_events(r_apart, r_shuffled));
    CHECK(r_apart.migrations.size() >= 2);
    // The final populations: each deme's last summary, taken when it finished.
    REQUIRE(r_apart.generations.size() == 7);
}

TEST_CASE("genetic: a moved strategy goes on where it was, reporting to its observer", "[genetic]") {
    static_assert(std::is_nothrow_move_constructible_v<GeneticStrategy> && std::is_nothrow_move_assignable_v<GeneticStrategy>);
    static_assert(!std::is_copy_constructible_v<GeneticStrategy>);
    for (auto mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        INFO(to_string(mode));
        GeneticStrategy uninterrupted(quadratic_space(), options(6, 6, 2, mode));
        Recorder all_events;
        const auto all = run(uninterrupted, minimize_quadratic(), 1, &all_events);

        GeneticStrategy before(quadratic_space(), options(6, 6, 2, mode));
        Recorder events;
        before.set_observer(&events);
        std::vector<Proposal> proposals = before.ask(7);
        for (const auto& p : proposals) before.tell(minimize_quadratic()(p));
        GeneticStrategy moved(std::move(before));
        const auto rest = run(moved, minimize_quadratic(), 1, &events);
        proposals.insert(proposals.end(), rest.proposals.begin(), rest.proposals.end());
        CHECK(proposals == all.proposals);
        CHECK(events.migrations.size() == all_events.migrations.size());
        CHECK(events.generations.size() == all_events.generations.size());
    }
}

TEST_CASE("genetic: a resume may add generations, and goes on as if never stopped", "[genetic][state]") {
    for (auto mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        INFO(to_string(mode));
        // Steady-state breeding depends on the order of results: one at a time keeps it fixed.
        const std::size_t batch = mode == GeneticMode::generational ? 5 : 1;
        GeneticStrategy uninterrupted(quadratic_space(), options(6, 6, 2, mode));
        Recorder all_events;
        const auto all = run(uninterrupted, minimize_quadratic(), batch, &all_events);

        GeneticStrategy first(quadratic_space(), options(4, 6, 2, mode));
        Recorder events;
        auto resumed = run(first, minimize_quadratic(), batch, &events);
        GeneticStrategy more(quadratic_space(), options(6, 6, 2, mode));
        more.restore(first.save_state(), resumed.trials);  // steady-state screens children by them
        CHECK_FALSE(more.exhausted());
        const auto rest = run(more, minimize_quadratic(), batch, &events);
        resumed.proposals.insert(resumed.proposals.end(), rest.proposals.begin(), rest.proposals.end());
        CHECK(resumed.proposals == all.proposals);
        CHECK(events.migrations.size() == all_events.migrations.size());
        for (std::size_t i = 0; i < std::min(events.migrations.size(), all_events.migrations.size()); ++i)
            CHECK(events.migrations[i].individual == all_events.migrations[i].individual);
        REQUIRE(events.generations.size() == all_events.generations.size());
        for (std::size_t i = 0; i < events.generations.size(); ++i)
            CHECK(events.generations[i].generation == all_events.generations[i].generation);

        // Fewer generations than the state has bred cannot go on from it.
        if (mode == GeneticMode::generational) {
            GeneticStrategy fewer(quadratic_space(), options(3, 6, 2, mode));
            CHECK_THROWS_WITH(fewer.load_state(first.save_state()), Contains("beyond generations (3)"));
        }
    }
}

// The generation of each deme in a saved state (its `generation` lines).
std::vector<int> deme_generations(const std::string& state) {
    std::vector<int> out;
    for (std::size_t at = state.find("\ngeneration "); at != std::string::npos; at = state.find("\ngeneration ", at + 1))
        out.push_back(std::stoi(state.substr(at + 12)));
    return out;
}

TEST_CASE("genetic: a state saved with demes apart goes on exactly", "[genetic][state]") {
    auto o = options(7, 5, 3);
    o.migration_interval = 3;
    const auto space = quadratic_space();
    // Each deme in turn (deme 1 first) asks for 3 trials, is told one, then (`between`) the
    // strategy may be saved and replaced, then it is told the others: states with trials pending.
    // `between` gets the results told so far (a checkpoint's trials, for restore).
    auto drive = [&](GeneticStrategy& strategy, Recorder& recorder,
                     const std::function<void(GeneticStrategy&, const std::vector<Trial>&)>& between) {
        strategy.set_observer(&recorder);
        std::vector<Proposal> asked;
        std::vector<Trial> told;
        auto tell = [&](const Proposal& p) {
            told.push_back(minimize_quadratic()(p));
            strategy.tell(told.back());
        };
        for (int guard = 0; guard < 1000 && !strategy.exhausted(); ++guard)
            for (int deme : {1, 2, 0})
                for (auto got = strategy.ask(3, deme); !got.empty(); got = strategy.ask(3, deme)) {
                    asked.insert(asked.end(), got.begin(), got.end());
                    tell(got[0]);
                    between(strategy, told);
                    for (std::size_t i = 1; i < got.size(); ++i) tell(got[i]);
                }
        REQUIRE(strategy.exhausted());
        return asked;
    };
    GeneticStrategy uninterrupted(space, o, {.seed = 4});
    Recorder all_events;
    const auto all = drive(uninterrupted, all_events, [](GeneticStrategy&, const std::vector<Trial>&) {});

    GeneticStrategy strategy(space, o, {.seed = 4});
    Recorder events;
    bool saw_ahead = false, saw_waiting = false;
    const auto resumed = drive(strategy, events, [&](GeneticStrategy& s, const std::vector<Trial>& told) {
        const std::string state = s.save_state();
        const auto generations = deme_generations(state);
        REQUIRE(generations.size() == 3);
        const auto [lo, hi] = std::minmax_element(generations.begin(), generations.end());
        saw_ahead = saw_ahead || *lo < *hi;
        if (*lo < *hi && *hi % 3 == 2) {  // the most advanced deme may be at a migration: asked, it has nothing
            GeneticStrategy probe(space, o);
            probe.restore(state, told);
            saw_waiting = saw_waiting || probe.ask(1, static_cast<int>(hi - generations.begin())).empty();
        }
        // Everything drawn comes from the state; the screens of children, from the results.
        GeneticStrategy fresh(space, o, {.seed = 99});
        fresh.restore(state, told);
        CHECK(fresh.save_state() == state);
        CHECK(fresh.pending() == s.pending());
        fresh.set_observer(&events);
        s = std::move(fresh);
    });
    CHECK(saw_ahead);    // a deme a generation ahead of another
    CHECK(saw_waiting);  // a deme at a migration's barrier while another is behind
    CHECK(resumed == all);
    CHECK(same_events(events, all_events));
}

// Version 3 and older: one generation and one generator for all demes.
TEST_CASE("genetic: an older state loads as every deme at its generation, with a new run's deme generators",
          "[genetic][state]") {
    const auto o = options(6, 4, 2);
    const SearchSettings seeded{.seed = 5};
    // Before any breeding the demes' generators are as a new run's: a version 3 state of that
    // moment goes on exactly as the current state does.
    GeneticStrategy current(quadratic_space(), o, seeded);
    const auto gen0 = current.ask(100);
    REQUIRE(gen0.size() == 8);
    std::vector<Proposal> last;
    std::vector<Trial> told;
    for (const auto& p : gen0) {
        if (p.id == 3 || p.id == 7) {
            last.push_back(p);  // one of each deme stays pending
        } else {
            told.push_back(minimize_quadratic()(p));
            current.tell(told.back());
        }
    }
    const std::string old = strategy_test::genetic_version_3(current.save_state());
    REQUIRE(old.starts_with("hpo-strategy genetic 3\n"));
    GeneticStrategy loaded(quadratic_space(), o, seeded);
    loaded.restore(old, told);
    CHECK(loaded.save_state().starts_with("hpo-strategy genetic 4\n"));
    CHECK(loaded.pending() == current.pending());
    Recorder current_events, loaded_events;
    current.set_observer(&current_events);
    loaded.set_observer(&loaded_events);
    for (const auto& p : last) {
        current.tell(minimize_quadratic()(p));
        loaded.tell(minimize_quadratic()(p));
    }
    CHECK(run(loaded, minimize_quadratic(), 3, &loaded_events).proposals ==
          run(current, minimize_quadratic(), 3, &current_events).proposals);
    CHECK(same_events(loaded_events, current_events));

    // Later, every deme at generation 2 with trials pending: it goes on from there to the end,
    // summarizing the generations it has not summarized yet.
    GeneticStrategy later(quadratic_space(), o, seeded);
    for (int g = 0; g < 2; ++g)
        for (const auto& p : later.ask(100)) later.tell(minimize_quadratic()(p));
    auto gen2 = later.ask(100);
    REQUIRE(gen2.size() == 6);
    for (std::size_t i = 0; i < gen2.size(); i += 2) later.tell(minimize_quadratic()(gen2[i]));
    const std::string at_2 = strategy_test::genetic_version_3(later.save_state());
    REQUIRE(at_2.find("\ngeneration 2\n") != std::string::npos);
    GeneticStrategy resumed(quadratic_space(), o, seeded);
    resumed.load_state(at_2);
    Recorder events;
    resumed.set_observer(&events);
    for (std::size_t i = 1; i < gen2.size(); i += 2) resumed.tell(minimize_quadratic()(gen2[i]));
    const auto rest = run(resumed, minimize_quadratic(), 3, &events);
    CHECK(rest.proposals.size() == resumed.planned_evaluations() - 8 - 6 - 6);  // after generations 0, 1, 2
    REQUIRE(events.generations.size() == 4);  // generations 2 to 5
    CHECK(events.generations.front().generation == 2);
}

TEST_CASE("genetic: a state of another shape is rejected", "[genetic][state]") {
    GeneticStrategy source(quadratic_space(), options(4, 6, 2));
    source.ask(4);
    const std::string state = source.save_state();
    auto rejects = [&](GeneticOptions o, const char* message) {
        GeneticStrategy target(quadratic_space(), o);
        INFO(message);
        CHECK_THROWS_WITH(target.load_state(state), Contains(message));
    };
    rejects(options(4, 6, 2, GeneticMode::steady_state), "of generational mode, this strategy is steady-state");
    rejects(options(4, 6, 3), "another number of demes than this strategy's 3");
    rejects(options(4, 7, 2), "another pop_size than this strategy's 7");
    // Another seed or other rates are a matter for whoever checks the run's configuration: the
    // state replaces everything they drew.
    auto reseeded = options(4, 6, 2);
    GeneticStrategy target(quadratic_space(), reseeded, {.seed = 99});
    target.load_state(state);
    CHECK(target.save_state() == state);
}

TEST_CASE("genetic: FoMs and losses of every kind round-trip bit for bit", "[genetic][state]") {
    GeneticStrategy a(quadratic_space(), options(3, 6, 1));
    const auto asked = a.ask(6);
    const double foms[] = {-0.0, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, -2.2250738585072014e-308, 1.0 / 3};
    for (std::size_t i = 0; i + 1 < asked.size(); ++i) a.tell(trial_of(asked[i], foms[i]));
    const std::string state = a.save_state();  // one member still pending: loss inf, fom nan
    CHECK(state.find(" -0 ") != std::string::npos);
    CHECK(state.find(" 5e-324 ") != std::string::npos);
    CHECK(state.find(" 0.30000000000000004 ") != std::string::npos);
    CHECK(state.find(" inf nan ") != std::string::npos);
    CHECK(state.find("\nbest 4 -2.2250738585072014e-308\n") != std::string::npos);

    GeneticStrategy b(quadratic_space(), options(3, 6, 1));
    b.load_state(state);
    CHECK(b.save_state() == state);
    a.tell(trial_of(asked.back(), 1.0));
    b.tell(trial_of(asked.back(), 1.0));
    CHECK(b.save_state() == a.save_state());
    CHECK(b.ask(100) == a.ask(100));
}

TEST_CASE("generational genes do not depend on which deme asks first", "[genetic]") {
    const hpo::SearchSpace space = hpo::parse_search_space({"--x 0.5 [0.0,1.0]", "--n 3 [0,9]"});
    hpo::GeneticOptions options;
    options.generations = 3;
    options.pop_size = 4;
    options.num_demes = 3;
    options.elites = 1;
    auto run = [&](std::vector<int> deme_order) {
        hpo::GeneticStrategy strategy(space, options, {.seed = 21});
        std::vector<hpo::Proposal> seen;
        while (!strategy.exhausted()) {
            std::vector<hpo::Proposal> batch;
            for (int deme : deme_order)
                for (auto& p : strategy.ask(100, deme)) batch.push_back(p);
            REQUIRE_FALSE(batch.empty());
            for (const auto& p : batch) {
                seen.push_back(p);
                strategy.tell(trial_of(p, (p.values[0] - 0.2) * (p.values[0] - 0.2) + p.values[1]));
            }
            std::rotate(deme_order.begin(), deme_order.begin() + 1, deme_order.end());
        }
        return seen;
    };
    const auto forward = run({0, 1, 2});
    const auto backward = run({2, 1, 0});
    REQUIRE(forward.size() == backward.size());
    CHECK(by_deme_generation(forward) == by_deme_generation(backward));
    // Within a deme's generation ids follow population order, whoever asks first.
    std::map<std::pair<int, int>, std::vector<hpo::TrialId>> ids;
    for (const auto& p : forward) ids[{p.deme, p.generation}].push_back(p.id);
    for (const auto& [key, list] : ids) CHECK(std::is_sorted(list.begin(), list.end()));
}
