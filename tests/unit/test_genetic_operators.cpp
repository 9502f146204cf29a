// The genetic strategy's breeding (genetic_breeding.cpp) and its budget option (--evals): exact
// numbers of proposals, valid genes, determinism, resume, and each operator on its own.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <random>
#include <set>

#include "../../src/strategy/genetic_breeding.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/strategy/genetic.hpp"
#include "test_strategy_support.hpp"

using namespace hpo;

namespace {

// A float, a log float, an integer and a choice; the default point far from the minimum.
SearchSpace mixed_space() {
    return parse_search_space({"-x 0.9 [-1.0,1.0]", "--lr [0.0001,0.1] log", "--n 7 [0,10]", "--c d {a,b,c,d}"});
}

double mixed_loss(const Point& v) {
    return (v[0] - 0.2) * (v[0] - 0.2) + std::pow(std::log10(v[1]) + 2.5, 2) + 0.01 * (v[2] - 3) * (v[2] - 3) +
           (v[3] == 1.0 ? 0.0 : 0.1);
}

bool valid(const SearchSpace& space, const Point& genes) {
    if (!space.contains(genes)) return false;
    for (std::size_t i = 0; i < space.size(); ++i)
        if (space[i].kind() != ParameterKind::float_range && genes[i] != std::floor(genes[i])) return false;
    return true;
}

GeneticOptions budget(std::size_t evals, int demes = 1, GeneticMode mode = GeneticMode::generational) {
    GeneticOptions o;
    o.evals = evals;
    o.num_demes = demes;
    o.mode = mode;
    return o;
}

// Runs to the end with `workers` proposals in flight (the oldest told first); every proposal.
std::vector<Proposal> run_all(GeneticStrategy& s, std::size_t workers = 1, std::size_t stop_after = SIZE_MAX) {
    std::vector<Proposal> asked;
    std::deque<Proposal> in_flight;
    std::size_t told = 0;
    while (told < stop_after) {
        while (in_flight.size() < workers) {
            auto more = s.ask(1);
            if (more.empty()) break;
            asked.push_back(more.front());
            in_flight.push_back(more.front());
        }
        if (in_flight.empty()) break;
        s.tell(strategy_test::told(in_flight.front(), mixed_loss(in_flight.front().values)));
        in_flight.pop_front();
        ++told;
    }
    return asked;
}

SearchSettings seeded(std::uint64_t seed) {
    SearchSettings s;
    s.seed = seed;
    return s;
}

}  // namespace

TEST_CASE("genetic --evals N makes exactly N proposals, with 1 and 4 demes, in both modes", "[genetic][budget]") {
    for (GeneticMode mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        for (int demes : {1, 4}) {
            for (std::size_t evals : {std::size_t{50}, std::size_t{101}, std::size_t{200}}) {
                CAPTURE(to_string(mode), demes, evals);
                GeneticStrategy s(mixed_space(), budget(evals, demes, mode), seeded(3));
                CHECK(s.planned_evaluations() == evals);
                const auto asked = run_all(s, mode == GeneticMode::steady_state ? 16 : 1);
                CHECK(asked.size() == evals);
                CHECK(s.exhausted());
                std::vector<std::size_t> per_deme(static_cast<std::size_t>(demes));
                for (const Proposal& p : asked) ++per_deme[static_cast<std::size_t>(p.deme)];
                // Each deme's share: evals / demes, one more for the first evals % demes.
                for (std::size_t d = 0; d < per_deme.size(); ++d)
                    CHECK(per_deme[d] == evals / demes + (d < evals % demes ? 1 : 0));
                std::set<TrialId> ids;
                for (const Proposal& p : asked) ids.insert(p.id);
                CHECK(ids.size() == evals);
                CHECK(*ids.rbegin() == evals - 1);
            }
        }
    }
}

TEST_CASE("genetic without a budget makes 100 proposals; --generations keeps the seed's formula", "[genetic][budget]") {
    GeneticStrategy by_default(mixed_space(), GeneticOptions{}, seeded(1));
    CHECK(by_default.planned_evaluations() == 100);
    CHECK(run_all(by_default).size() == 100);

    GeneticOptions o;
    o.generations = 4;
    o.num_demes = 2;
    o.elites = 1;
    GeneticStrategy by_generations(mixed_space(), o, seeded(1));
    // demes x (pop + (generations - 1) x (pop - elites)), pop 10 when not given
    CHECK(by_generations.planned_evaluations() == 2 * (10 + 3 * 9));
    CHECK(run_all(by_generations).size() == 2 * (10 + 3 * 9));

    o.mode = GeneticMode::steady_state;
    GeneticStrategy steady(mixed_space(), o, seeded(1));
    CHECK(steady.planned_evaluations() == 2 * 4 * 10);
}

TEST_CASE("genetic --evals: a budget that cannot make a run is refused with its reason", "[genetic][budget]") {
    GeneticOptions both = budget(100);
    both.generations = 5;
    CHECK_THROWS_WITH(both.check(), Catch::Matchers::Contains("not both"));
    GeneticOptions small = budget(30, 4);
    small.pop_size = 10;
    CHECK_THROWS_WITH(small.check(), Catch::Matchers::Contains("fewer than its population"));
    CHECK_NOTHROW(budget(8, 4).check());  // two each: a population of two, one elite
}

TEST_CASE("genetic --evals: the population grows with each deme's share of the budget", "[genetic][budget]") {
    int last = 0;
    for (std::size_t share : {12, 25, 50, 100, 200, 400, 10000}) {
        const int pop = population_for_budget(share);
        CHECK(pop >= last);
        CHECK(pop >= 2);
        CHECK(static_cast<std::size_t>(pop) <= share);
        last = pop;
    }
    // The elites: 1 with one deme; with several, all but 2 of the population, so that each deme
    // breeds 2 children a generation from every deme's members.
    CHECK(elites_for_budget(10, 1) == 1);
    CHECK(elites_for_budget(5, 4) == 3);
    CHECK(elites_for_budget(2, 4) == 1);
    const GeneticPlan four = plan_genetic_run(budget(100, 4));
    CHECK(four.pop_size == 5);
    CHECK(four.elites == 3);
    CHECK(four.generations == 1 + (25 - 5 + 1) / 2);
    CHECK(plan_genetic_run(budget(100, 1)).elites == 1);
    // With --generations, the seed's budget formula: 1 elite whatever the demes.
    GeneticOptions seed_style;
    seed_style.generations = 4;
    seed_style.num_demes = 4;
    CHECK(plan_genetic_run(seed_style).elites == 1);
    CHECK(plan_genetic_run(seed_style).total() == 4u * (10 + 3 * 9));
    // The log says it in words (run_reporter.cpp).
    CHECK(GeneticStrategy(mixed_space(), budget(100, 4)).plan() ==
          "4 demes of 5 individuals (3 elites), up to 11 generations each, 25 proposals per deme, meeting every generation");
    CHECK(GeneticStrategy(mixed_space(), budget(50, 1)).plan() ==
          "1 deme of 7 individuals (1 elite), up to 9 generations, 50 proposals");
    CHECK(GeneticStrategy(mixed_space(), budget(101, 2)).plan().find("50-51 proposals per deme") != std::string::npos);
    CHECK(GeneticStrategy(mixed_space(), budget(100, 2, GeneticMode::steady_state)).plan().find("elite") == std::string::npos);
    // Given, --pop-size and --elites are kept as they are.
    GeneticOptions o = budget(120, 2);
    o.pop_size = 6;
    o.elites = 2;
    const GeneticPlan plan = plan_genetic_run(o);
    CHECK(plan.pop_size == 6);
    CHECK(plan.quota == std::vector<std::size_t>{60, 60});
    CHECK(plan.generations == 1 + (60 - 6 + 3) / 4);  // 4 children a generation, the last one short
}

TEST_CASE("genetic --evals: integers and choices stay valid, and a seed gives the same run", "[genetic][budget]") {
    for (GeneticMode mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        GeneticStrategy a(mixed_space(), budget(120, 4, mode), seeded(9));
        GeneticStrategy b(mixed_space(), budget(120, 4, mode), seeded(9));
        const auto first = run_all(a, 3), second = run_all(b, 3);
        REQUIRE(first.size() == second.size());
        for (std::size_t i = 0; i < first.size(); ++i) {
            CHECK(valid(mixed_space(), first[i].values));
            CHECK(first[i].values == second[i].values);
            CHECK(first[i].deme == second[i].deme);
        }
    }
}

TEST_CASE("genetic --evals: save_state mid-run, load_state into a new strategy, the run continues exactly",
          "[genetic][budget]") {
    for (GeneticMode mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        CAPTURE(to_string(mode));
        GeneticStrategy straight(mixed_space(), budget(90, 4, mode), seeded(5));
        const auto whole = run_all(straight);

        GeneticStrategy first(mixed_space(), budget(90, 4, mode), seeded(5));
        auto part = run_all(first, 1, 37);
        GeneticStrategy second(mixed_space(), budget(90, 4, mode), seeded(5));
        second.load_state(first.save_state());
        const auto rest = run_all(second);
        part.insert(part.end(), rest.begin(), rest.end());
        REQUIRE(part.size() == whole.size());
        for (std::size_t i = 0; i < whole.size(); ++i) {
            CHECK(part[i].id == whole[i].id);
            CHECK(part[i].values == whole[i].values);
        }
    }
}

TEST_CASE("genetic --evals: a resume may extend the budget; the population keeps its size", "[genetic][budget]") {
    GeneticStrategy first(mixed_space(), budget(50), seeded(2));
    const auto done = run_all(first);
    REQUIRE(done.size() == 50);
    const int pop = population_for_budget(50);
    REQUIRE(population_for_budget(150) != pop);  // else this test would not test the adoption

    GeneticStrategy extended(mixed_space(), budget(150), seeded(2));
    extended.load_state(first.save_state());
    CHECK(extended.planned_evaluations() == 150);
    const auto more = run_all(extended);
    CHECK(more.size() == 100);
    for (const Proposal& p : more) CHECK(p.id >= 50);
    // A population given as --pop-size is not adopted: another size is an error.
    GeneticOptions given = budget(150);
    given.pop_size = pop + 1;
    GeneticStrategy other(mixed_space(), given, seeded(2));
    CHECK_THROWS(other.load_state(first.save_state()));
}

TEST_CASE("generation 0: the initial point first, then space-filling points dealt to the demes", "[genetic][operators]") {
    const SearchSpace space = parse_search_space({"-x [0.0,1.0]", "-y [0.0,1.0]", "--c {a,b,c,d}"});
    std::mt19937_64 rng(4);
    const Point initial{0.5, 0.5, 2};
    const auto populations = detail::initial_populations(space, initial, 2, 8, rng);
    REQUIRE(populations.size() == 2);
    CHECK(populations[0][0] == initial);
    // The 15 other points are the first 16 of a shifted Sobol sequence but one: every sixteenth
    // of each coordinate holds one point, but for the one the initial point took.
    std::vector<int> cells_x(16), cells_y(16);
    std::set<Point> distinct;
    for (const auto& population : populations) {
        REQUIRE(population.size() == 8);
        for (const Point& p : population) {
            CHECK(space.contains(p));
            distinct.insert(p);
            if (p == initial) continue;
            ++cells_x[static_cast<std::size_t>(p[0] * 16)];
            ++cells_y[static_cast<std::size_t>(p[1] * 16)];
        }
    }
    CHECK(distinct.size() == 16);
    CHECK(std::count(cells_x.begin(), cells_x.end(), 1) >= 15);
    CHECK(std::count(cells_y.begin(), cells_y.end(), 1) >= 15);
    CHECK(*std::max_element(cells_x.begin(), cells_x.end()) == 1);
}

TEST_CASE("step sizes follow the spread of the fitter half: wide while spread out, small once converged",
          "[genetic][operators]") {
    const SearchSpace space = parse_search_space({"-x [0.0,1.0]", "--c {a,b}"});
    const Point spread_a{0.1, 0}, spread_b{0.9, 1}, near_a{0.50, 0}, near_b{0.51, 1};
    const std::vector<const Point*> spread{&spread_a, &spread_b}, near{&near_a, &near_b};
    const auto wide = detail::step_sizes(space, spread), narrow = detail::step_sizes(space, near);
    CHECK(wide[0] > 0.3);
    CHECK(narrow[0] < 0.05);
    CHECK(narrow[0] > 0);  // never zero: a converged deme still moves
    CHECK(wide[1] == 0);   // a choice mutates by taking another option
}

TEST_CASE("tournament: lower ranks win more often, and a single candidate always wins", "[genetic][operators]") {
    std::mt19937_64 rng(1);
    CHECK(detail::tournament(1, rng) == 0);
    std::vector<int> wins(10);
    for (int i = 0; i < 5000; ++i) {
        const std::size_t w = detail::tournament(10, rng);
        REQUIRE(w < 10);
        ++wins[w];
    }
    CHECK(wins[0] > wins[5]);
    CHECK(wins[5] > wins[9]);
}

TEST_CASE("breed: children stay in bounds, integers integral, choices valid, never a copy of a parent",
          "[genetic][operators]") {
    const SearchSpace space = mixed_space();
    std::mt19937_64 rng(7);
    std::vector<Point> members;
    for (int i = 0; i < 12; ++i) members.push_back(space.random_point(rng));
    members.push_back({1.0, 0.1, 10, 3});  // on the upper bounds
    members.push_back({-1.0, 0.0001, 0, 0});  // on the lower bounds
    std::vector<const Point*> ranked;
    for (const Point& m : members) ranked.push_back(&m);
    for (double crossover : {0.0, 1.0}) {
        for (int i = 0; i < 500; ++i) {
            const detail::Bred child = detail::breed(space, ranked, {1.0, crossover}, rng);
            REQUIRE(valid(space, child.genes));
            CHECK(child.genes != *ranked[child.first]);
            CHECK(child.second.has_value() == (crossover == 1.0));
            if (child.second) CHECK(child.genes != *ranked[*child.second]);
        }
    }
}

TEST_CASE("steady-state with many workers: until two thirds of generation 0 have results, the design goes on",
          "[genetic][steady]") {
    // 100 evaluations: a population of 10, which breeds once 6 of it have results.
    const SearchSpace space = parse_search_space({"-x [0.0,1.0]", "-y [0.0,1.0]"});
    GeneticStrategy s(space, budget(100, 1, GeneticMode::steady_state), seeded(3));
    REQUIRE(population_for_budget(100) == 10);
    // 16 workers ask: generation 0 goes out; after its first result the 6 others get points too,
    // and the 15 after the initial point are the first 15 of the Sobol design: each sixteenth of a
    // coordinate holds one.
    auto asked = s.ask(16);
    REQUIRE(asked.size() == 10);
    s.tell(strategy_test::told(asked[0], asked[0].values[0]));
    const auto more = s.ask(6);
    REQUIRE(more.size() == 6);
    asked.insert(asked.end(), more.begin(), more.end());
    std::vector<int> cells_x(16), cells_y(16);
    for (std::size_t i = 1; i < 16; ++i) {
        CHECK(!asked[i].parent);  // a design point, not a child
        ++cells_x[static_cast<std::size_t>(asked[i].values[0] * 16)];
        ++cells_y[static_cast<std::size_t>(asked[i].values[1] * 16)];
    }
    CHECK(*std::max_element(cells_x.begin(), cells_x.end()) == 1);
    CHECK(*std::max_element(cells_y.begin(), cells_y.end()) == 1);
    // Five results: still too few to breed from; the next point continues the design.
    for (std::size_t i = 1; i < 5; ++i) s.tell(strategy_test::told(asked[i], asked[i].values[0]));
    auto next = s.ask(1);
    REQUIRE(next.size() == 1);
    CHECK(!next.front().parent);
    for (const Proposal& p : asked) CHECK(p.values != next.front().values);
    asked.push_back(next.front());
    // The sixth: now a child, bred from (and starting from the checkpoint of) a member with a result.
    s.tell(strategy_test::told(asked[5], asked[5].values[0]));
    next = s.ask(1);
    REQUIRE(next.size() == 1);
    REQUIRE(next.front().parent);
    CHECK(*next.front().parent <= asked[5].id);
}
