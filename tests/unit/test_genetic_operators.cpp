// The genetic strategy's breeding (genetic_breeding.cpp) and its budget option (--evals): exact
// numbers of proposals, valid genes, determinism, resume, and each operator on its own.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <numbers>
#include <random>
#include <set>

#include "../../src/strategy/genetic_breeding.hpp"
#include "../../src/strategy/genetic_screening.hpp"
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

std::vector<Point> random_points(const SearchSpace& space, int count, std::mt19937_64& rng) {
    std::vector<Point> points;
    for (int i = 0; i < count; ++i) points.push_back(space.random_point(rng));
    return points;
}

// The members as breed() and the step functions take them (ranked: fittest first).
std::vector<const Point*> pointers_to(const std::vector<Point>& members) {
    std::vector<const Point*> ranked;
    for (const Point& m : members) ranked.push_back(&m);
    return ranked;
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
// `told`, if given, receives the results in the order told (a checkpoint's trial table).
std::vector<Proposal> run_all(GeneticStrategy& s, std::size_t workers = 1, std::size_t stop_after = SIZE_MAX,
                              std::vector<Trial>* told_trials = nullptr) {
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
        const Trial result = strategy_test::told(in_flight.front(), mixed_loss(in_flight.front().values));
        if (told_trials) told_trials->push_back(result);
        s.tell(result);
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

TEST_CASE("genetic --evals: save_state mid-run, restore into a new strategy, the run continues exactly",
          "[genetic][budget]") {
    for (GeneticMode mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        CAPTURE(to_string(mode));
        GeneticStrategy straight(mixed_space(), budget(90, 4, mode), seeded(5));
        const auto whole = run_all(straight);

        GeneticStrategy first(mixed_space(), budget(90, 4, mode), seeded(5));
        std::vector<Trial> history;
        auto part = run_all(first, 1, 37, &history);
        GeneticStrategy second(mixed_space(), budget(90, 4, mode), seeded(5));
        second.restore(first.save_state(), history);  // steady-state's screen is rebuilt from it
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

TEST_CASE("breed: the step distribution of a ranking is its step factor and its widest step size",
          "[genetic][operators]") {
    // What the children of one ranking share (detail::StepDistribution) must be what breed() would
    // derive for each: the factor, and the widest step (at least 0.02) that makes a child differ.
    const SearchSpace space = mixed_space();
    std::mt19937_64 rng(11);
    const std::vector<Point> members = random_points(space, 9, rng);
    const std::vector<const Point*> ranked = pointers_to(members);
    for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{9}}) {
        const std::span<const Point* const> first(ranked.data(), n);
        const detail::StepDistribution steps = detail::step_distribution(space, first);
        CHECK(steps.factor == (n > 1 ? detail::step_factor(space, first) : std::vector<double>{}));
        double widest = 0.02;
        for (double sigma : detail::step_sizes(space, first)) widest = std::max(widest, sigma);
        CHECK(steps.widest == widest);
    }
}

TEST_CASE("breed: children stay in bounds, integers integral, choices valid, never a copy of a parent",
          "[genetic][operators]") {
    const SearchSpace space = mixed_space();
    std::mt19937_64 rng(7);
    std::vector<Point> members = random_points(space, 12, rng);
    members.push_back({1.0, 0.1, 10, 3});  // on the upper bounds
    members.push_back({-1.0, 0.0001, 0, 0});  // on the lower bounds
    const std::vector<const Point*> ranked = pointers_to(members);
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

TEST_CASE("breed: a covariance whose variances pass the cap still gives finite steps", "[genetic][operators]") {
    // A 16-gene deme of 6 from a steady-state run (fittest first) whose breeding once failed:
    // several genes' variances about the mean of all passed max_sigma², and a factor of the
    // covariance with only its diagonal capped overflowed (NaN steps).
    std::vector<std::string> specs;
    for (int i = 0; i < 16; ++i) specs.push_back("--x" + std::to_string(i) + " [-1.0,1.0]");
    const SearchSpace space = parse_search_space(specs);
    const std::vector<Point> members = {
        {0.319587, -0.0157096, 0.0791381, -0.805011, -0.91543, 0.11432, -0.736943, 0.847141, -0.315479, -0.187397,
         0.846296, -0.688948, -0.139138, 0.688771, 0.50923, 0.889342},
        {0.850577, -0.0157096, 0.0791381, 0.464864, 0.718295, 0.11432, -0.736943, 0.674839, -0.315479, -0.187397,
         0.846296, -0.535636, -0.139138, 0.688771, 0.50923, 0.769226},
        {-0.652134, 0.05, 0.40345, 0.15, 0.617699, 0.25, 0.215727, 0, 0.255313, 0.388997, -0.0277557, 0.336015,
         -0.154383, 0.3, -0.282546, 0.23185},
        {0.319587, -0.0157096, 0.0791381, 0.464864, 0.718295, 0.11432, -0.736943, -0.0474866, -0.315479, -0.187397,
         0.846296, -0.688948, -0.139138, 0.688771, 0.50923, -0.0465307},
        {-0.285802, 0.05, 0.323338, 0.15, 0.2, 0.25, 0.215727, 0, 0.05, 0.388997, 0.15, 0.336015, 0.0857362, 0.3, 0,
         0.23185},
        {-0.598041, 0.05, 0.40345, 0.15, 0.965522, 0.25, 0.215727, 0, 0.0886281, 0.388997, -0.0277557, 0.336015,
         -0.154383, 0.3, -0.475484, 0.23185}};
    const std::vector<const Point*> ranked = pointers_to(members);
    for (double sigma : detail::step_sizes(space, ranked)) CHECK(std::isfinite(sigma));
    std::mt19937_64 rng(3);
    for (int i = 0; i < 200; ++i) REQUIRE(valid(space, detail::breed(space, ranked, {1.0, 1.0}, rng).genes));
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

// ---- steady-state's screen of children (genetic_screening.cpp) ------------------------------

namespace {

Trial result_at(const Point& values, double fom, TrialStatus status = TrialStatus::ok) {
    Proposal p;
    p.values = values;
    return strategy_test::told(p, fom, status);
}

}  // namespace

TEST_CASE("screen: of several children, the one the results so far rank best", "[genetic][screen]") {
    const SearchSpace space = parse_search_space({"-x [0.0,1.0]"});
    const std::vector<Point> candidates = {{0.52}, {0.9}, {0.21}, {0.7}};
    detail::ChildScreen minimizing(space, false), maximizing(space, true);
    CHECK(minimizing.choose(candidates) == 0);  // nothing to learn from yet: the first bred
    for (int i = 0; i <= 20; ++i) {
        const double x = i / 20.0;
        minimizing.add(result_at({x}, (x - 0.2) * (x - 0.2)));
        maximizing.add(result_at({x}, (x - 0.2) * (x - 0.2)));
    }
    CHECK(minimizing.size() == 21);
    CHECK(minimizing.choose(candidates) == 2);  // 0.21, beside the best results
    CHECK(maximizing.choose(candidates) == 1);  // 0.9: the FoM is maximized
    CHECK(minimizing.choose(std::vector<Point>{{0.9}}) == 0);
}

TEST_CASE("screen: failed and stopped trials rank last, and a choice counts by its option", "[genetic][screen]") {
    const SearchSpace space = parse_search_space({"-x [0.0,1.0]", "--c {a,b,c}"});
    detail::ChildScreen screen(space, false);
    for (int i = 0; i <= 10; ++i) {
        const double x = i / 10.0;
        screen.add(result_at({x, 0}, 5.0));                                       // a: ok, poor
        screen.add(result_at({x, 1}, NAN, TrialStatus::failed));                 // b: fails
        screen.add(result_at({x, 2}, -100.0, TrialStatus::pruned));              // c: stopped early
    }
    CHECK(screen.choose(std::vector<Point>{{0.5, 1}, {0.5, 2}, {0.5, 0}}) == 2);
}

TEST_CASE("screen: it learns from the latest results, the oldest leave its window", "[genetic][screen]") {
    const SearchSpace space = parse_search_space({"-x [0.0,1.0]"});
    detail::ChildScreen screen(space, false);
    const std::vector<Point> candidates = {{0.1}, {0.9}};
    const std::size_t n = detail::ChildScreen::window;
    for (std::size_t i = 0; i < n; ++i) screen.add(result_at({i / (n - 1.0)}, i / (n - 1.0)));  // low x best
    CHECK(screen.choose(candidates) == 0);
    for (std::size_t i = 0; i < n; ++i) screen.add(result_at({i / (n - 1.0)}, -(i / (n - 1.0))));  // now high x
    CHECK(screen.size() == n);
    CHECK(screen.choose(candidates) == 1);
}

TEST_CASE("screen: a point in flight is believed, so the next child goes elsewhere", "[genetic][screen]") {
    // The results leave a gap about 0.5, where they are best: 0.45 and 0.55 are as likely, until one
    // of them is in flight (its result believed: the model is as sure there as if it had one).
    const SearchSpace space = parse_search_space({"-x [0.0,1.0]"});
    detail::ChildScreen screen(space, false);
    for (int i = 0; i <= 20; ++i) {
        const double x = i / 20.0;
        if (x < 0.3 || x > 0.7) screen.add(result_at({x}, std::abs(x - 0.5)));
    }
    const std::vector<Point> candidates = {{0.45}, {0.55}};
    CHECK(screen.choose(candidates, std::vector<Point>{{0.45}}) == 1);
    CHECK(screen.choose(candidates, std::vector<Point>{{0.55}}) == 0);
    CHECK(screen.choose(candidates, std::vector<Point>{{0.44}, {0.46}}) == 1);
    CHECK(screen.choose(candidates, std::vector<Point>{{0.9}, {0.56}}) == 0);  // far or near: only near counts
}

TEST_CASE("screen: steady-state breeds more children to choose from the more trials are in flight", "[genetic][screen]") {
    CHECK(detail::ChildScreen::steady_state_candidates(0) == 8);
    CHECK(detail::ChildScreen::steady_state_candidates(4) == 8);
    CHECK(detail::ChildScreen::steady_state_candidates(5) == 10);
    CHECK(detail::ChildScreen::steady_state_candidates(15) == 30);
    CHECK(detail::ChildScreen::steady_state_candidates(16) == 32);
    CHECK(detail::ChildScreen::steady_state_candidates(63) == 32);
}

TEST_CASE("screen: the results seen in the deme's distribution when that model ranks them better", "[genetic][screen]") {
    // A loss that ripples (period 1/15) on a slope towards 0.5. The deme's distribution is narrow
    // (a deviation of 0.02): in its coordinates the model resolves the ripples, and it ranks the
    // results better when each is left out, so the screen takes it and picks the trough at 0.383
    // (the better point). In unit widths alone the model smooths the ripples away and picks the
    // crest at 0.483, nearer 0.5. A broad distribution (0.5) blurs the ripples as much.
    const SearchSpace space = parse_search_space({"-x [0.0,1.0]"});
    const double pi = std::numbers::pi;
    auto loss = [&](double x) { return std::sin(2 * pi * 15 * x) + 20 * (x - 0.5) * (x - 0.5); };
    detail::ChildScreen unit_only(space, false), narrow(space, false), broad(space, false);
    for (int i = 0; i <= 100; ++i)
        for (detail::ChildScreen* screen : {&unit_only, &narrow, &broad}) screen->add(result_at({i / 100.0}, loss(i / 100.0)));
    narrow.set_metric({0.02});
    broad.set_metric({0.5});
    const std::vector<Point> candidates = {{7.25 / 15}, {5.75 / 15}};  // a crest, a trough
    REQUIRE(loss(5.75 / 15) < loss(7.25 / 15));
    CHECK(unit_only.choose(candidates) == 0);
    CHECK(narrow.choose(candidates) == 1);
    CHECK(broad.choose(candidates) == 0);

    // The other way: a smooth loss and a distribution far narrower than the results' spacing. In
    // its coordinates the model knows nothing between the results (it would take 0.505, between
    // two, for the most promising); it ranks them worse when each is left out, so the unit model
    // stays and picks 0.01, the best result's place.
    detail::ChildScreen smooth(space, false);
    for (int i = 0; i <= 100; ++i) smooth.add(result_at({i / 100.0}, i / 100.0));
    smooth.set_metric({0.001});
    CHECK(smooth.choose(std::vector<Point>{{0.505}, {0.01}}) == 1);
}

TEST_CASE("screen: in that choice the better half's order weighs as much as the whole's", "[genetic][screen]") {
    // A bowl about 0.5 with ripples (period 0.1) on its floor only, 8 results up its sides 0.1
    // apart and 9 on the floor 0.025 apart (the better half: a deme's results crowd about its
    // best). In the narrow distribution's coordinates (a deviation of 0.01) the model resolves the
    // ripples on the floor but knows little between the results up the sides; in unit widths it
    // ranks the sides well and the floor's ripples not at all. Over all the results the unit
    // model ranks them better; among the better half the distribution's does by more, so the
    // screen takes it and picks the trough at 0.475 over the crest at 0.525, which the unit model
    // prefers (with all the results weighing alike, it would be kept and pick the crest).
    const SearchSpace space = parse_search_space({"-x [0.0,1.0]"});
    const double pi = std::numbers::pi;
    auto loss = [&](double x) {
        const double ripple = std::abs(x - 0.5) <= 0.1 + 1e-9 ? 0.01 * std::sin(2 * pi * 10 * (x - 0.5)) : 0.0;
        return ripple + (x - 0.5) * (x - 0.5);
    };
    detail::ChildScreen unit_only(space, false), narrow(space, false);
    std::vector<double> xs = {0.0, 0.1, 0.2, 0.3, 0.7, 0.8, 0.9, 1.0};
    for (int i = 0; i <= 8; ++i) xs.push_back(0.4 + 0.025 * i);
    for (double x : xs)
        for (detail::ChildScreen* screen : {&unit_only, &narrow}) screen->add(result_at({x}, loss(x)));
    narrow.set_metric({0.01});
    const std::vector<Point> candidates = {{0.525}, {0.475}};  // a crest, a trough
    REQUIRE(loss(0.475) < loss(0.525));
    CHECK(unit_only.choose(candidates) == 0);
    CHECK(narrow.choose(candidates) == 1);
}

TEST_CASE("generational: a deme's children are the screen's picks, by its finished generations",
          "[genetic][screen]") {
    // Restored from one state in generation 2 (pop 10), one with the results of generations 0 and 1
    // as told, the other with their FoMs negated: both finish generation 2 alike (its members are
    // in the state), then only their screens differ, and so do the children of generation 3. The
    // screen that knows the true results picks the better ones (2 children per slot: over 20 seeds,
    // better on average in 19; a screen that did nothing would leave them equal).
    auto mean_loss = [](const std::vector<Proposal>& asked, int generation) {
        double sum = 0;
        std::size_t n = 0;
        for (const Proposal& p : asked)
            if (p.generation == generation) sum += mixed_loss(p.values), ++n;
        REQUIRE(n == 9);  // the elite is carried, not proposed
        return sum / static_cast<double>(n);
    };
    int better = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        GeneticStrategy s(mixed_space(), budget(100), seeded(seed));
        std::vector<Trial> history;
        run_all(s, 1, 25, &history);
        const std::string state = s.save_state();
        auto negated = history;
        for (Trial& t : negated) t.fom = -t.fom;
        GeneticStrategy a(mixed_space(), budget(100), seeded(seed));
        GeneticStrategy b(mixed_space(), budget(100), seeded(seed));
        a.restore(state, history);
        b.restore(state, negated);
        if (mean_loss(run_all(a), 3) < mean_loss(run_all(b), 3)) ++better;
    }
    CHECK(better >= 15);
}

TEST_CASE("steady-state: each child is the screen's pick of the children bred from the same members",
          "[genetic][screen][steady]") {
    // Two strategies restored from one state (the same population, the same generator), one with
    // the results as told, the other with their FoMs negated: only the screen sees the difference,
    // and it makes them propose other children.
    GeneticStrategy s(mixed_space(), budget(100, 1, GeneticMode::steady_state), seeded(8));
    std::vector<Trial> history;
    run_all(s, 1, 40, &history);
    const std::string state = s.save_state();
    auto negated = history;
    for (Trial& t : negated) t.fom = -t.fom;
    GeneticStrategy a(mixed_space(), budget(100, 1, GeneticMode::steady_state), seeded(8));
    GeneticStrategy b(mixed_space(), budget(100, 1, GeneticMode::steady_state), seeded(8));
    a.restore(state, history);
    b.restore(state, negated);
    const auto pa = a.ask(1), pb = b.ask(1);
    REQUIRE(pa.size() == 1);
    REQUIRE(pb.size() == 1);
    REQUIRE(pa.front().parent);  // bred, not a design point
    CHECK(pa.front().values != pb.front().values);
    CHECK(mixed_loss(pa.front().values) < mixed_loss(pb.front().values));  // the screen ranked by the true FoMs wins
    // Without the results (load_state alone) the run goes on, from an empty screen.
    GeneticStrategy c(mixed_space(), budget(100, 1, GeneticMode::steady_state), seeded(8));
    c.load_state(state);
    CHECK(c.ask(1).size() == 1);
}
