// Bayesian optimization on functions with known optima, against random search with the same
// budget and seed; integers and choices, asynchronous proposals, failures, the initial design.
#include <catch2/catch.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <functional>
#include <random>
#include <set>

#include "../../bench/quality/test_functions.h"
#include "../../src/strategy/bayes_targets.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/strategy/bayes.hpp"
#include "hpo/strategy/factory.hpp"
#include "hpo/strategy/random.hpp"

using namespace hpo;

namespace {

// The test functions of bench/quality/test_functions.h, on points.
double branin(const Point& x) { return hpo_branin(x.data()); }
constexpr double branin_min = HPO_BRANIN_MIN;
double hartmann6(const Point& x) { return hpo_hartmann6(x.data()); }
constexpr double hartmann6_min = HPO_HARTMANN6_MIN;  // the next local minimum is -3.2032

using Objective = std::function<double(const Point&)>;

Trial result_of(const Proposal& p, double fom) {
    Trial t;
    t.id = p.id;
    t.values = p.values;
    t.fom = fom;
    return t;
}
using Failure = std::function<bool(const Point&)>;

std::string shortest(double x) {
    char buffer[64];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, x).ptr;
    return std::string(buffer, end);
}

// A state as hpo wrote it before the results were left to the trial table (version 1): the
// `told` line of the current form replaced by one `observation` line per result, in the order
// told, each `observation ID ok LOSS VALUES...` or `observation ID failed VALUES...`.
std::string version_1_state(std::string state, const std::vector<Trial>& told, bool maximize) {
    const std::string header = "hpo-strategy bayes 2\n";
    REQUIRE(state.rfind(header, 0) == 0);
    state.replace(0, header.size(), "hpo-strategy bayes 1\n");
    std::string lines;
    for (const Trial& t : told) {
        const double loss = loss_of(t, maximize);
        lines += "observation " + std::to_string(t.id);
        lines += t.ok() && std::isfinite(loss) ? " ok " + shortest(loss) : std::string(" failed");
        for (double v : t.values) lines += " " + shortest(v);
        lines += "\n";
    }
    const auto at = state.find("\ntold ") + 1;
    REQUIRE(at != 0);
    return state.replace(at, state.find('\n', at) + 1 - at, lines);
}

struct Outcome {
    double best = INFINITY;
    std::vector<Proposal> proposals;
    std::vector<Trial> trials;
};

// `workers` evaluations run at once; the oldest finishes first, each after `seconds` (0: the
// trials carry no timing). The `burst` oldest finish together and one ask refills them all (as the
// coordinator does with results that arrive together).
Outcome drive(Strategy& strategy, const Objective& f, std::size_t workers = 1, const Failure& fails = {},
              double seconds = 0, std::size_t burst = 1) {
    Outcome out;
    std::deque<Proposal> running;
    for (std::size_t told = 0;; ++told) {
        if (told % burst == 0) {
            for (const auto& p : strategy.ask(workers - running.size())) {
                out.proposals.push_back(p);
                running.push_back(p);
            }
        }
        if (running.empty()) break;
        Trial t;
        t.id = running.front().id;
        t.values = running.front().values;
        t.start_time = 1e9 + static_cast<double>(t.id);
        t.end_time = t.start_time + seconds;
        running.pop_front();
        if (fails && fails(t.values)) {
            t.status = TrialStatus::failed;
        } else {
            t.fom = f(t.values);
            out.best = std::min(out.best, t.fom);
        }
        out.trials.push_back(t);
        strategy.tell(t);
    }
    return out;
}

double bayes_best(const SearchSpace& space, const Objective& f, std::size_t evals, std::uint64_t seed,
                  Acquisition acquisition = Acquisition::ei) {
    BayesStrategy strategy(space, {.evals = evals, .acquisition = acquisition}, {.seed = seed});
    return drive(strategy, f).best;
}

double random_best(const SearchSpace& space, const Objective& f, std::size_t evals, std::uint64_t seed) {
    RandomStrategy strategy(space, {.evals = evals}, {.seed = seed});
    return drive(strategy, f).best;
}

bool in_domain(const SearchSpace& space, const Outcome& run) {
    return std::all_of(run.proposals.begin(), run.proposals.end(),
                       [&](const Proposal& p) { return space.contains(p.values); });
}

std::size_t distinct(const std::vector<Proposal>& proposals) {
    std::set<Point> points;
    for (const auto& p : proposals) points.insert(p.values);
    return points.size();
}

}  // namespace

// Tolerances hold for every seed tried while developing (24 seeds each): Branin within 0.007
// of its minimum after 40 evaluations, Hartmann-6 at its global minimum or at the -3.20 local
// one after 60 (the gap never above 0.19). Random search with the same budget and seed was
// always at least 2.5 times further away.
TEST_CASE("Branin: 40 evaluations come within 0.02 of the minimum, far closer than random search", "[bayes]") {
    const SearchSpace space = parse_search_space({"--x1 [-5.0,10.0]", "--x2 [0.0,15.0]"});
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        INFO("seed " << seed);
        const double bayes_gap = bayes_best(space, branin, 40, seed) - branin_min;
        const double random_gap = random_best(space, branin, 40, seed) - branin_min;
        CHECK(bayes_gap < 0.02);
        CHECK(bayes_gap < random_gap / 2.5);
    }
}

// The confidence bound explores less than log EI: on 3 of 24 seeds tried it settled in the local
// minimum that the box cuts out at x1 = 10 (1.55 above the global one); the rest came within 0.013.
TEST_CASE("Branin with the confidence bound", "[bayes]") {
    const SearchSpace space = parse_search_space({"--x1 [-5.0,10.0]", "--x2 [0.0,15.0]"});
    int close = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        INFO("seed " << seed);
        const double gap = bayes_best(space, branin, 40, seed, Acquisition::ucb) - branin_min;
        CHECK(gap < 1.6);
        close += gap < 0.02;
    }
    CHECK(close >= 8);
}

TEST_CASE("Hartmann-6: 60 evaluations come within 0.2 of the minimum, far closer than random search", "[bayes]") {
    std::vector<std::string> specs;
    for (const char* flag : {"--a", "--b", "--c", "--d", "--e", "--f"})
        specs.push_back(std::string(flag) + " [0.0,1.0]");
    const SearchSpace space = parse_search_space(specs);
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        INFO("seed " << seed);
        const double bayes_gap = bayes_best(space, hartmann6, 60, seed) - hartmann6_min;
        const double random_gap = random_best(space, hartmann6, 60, seed) - hartmann6_min;
        CHECK(bayes_gap < 0.2);
        CHECK(bayes_gap < random_gap / 2.5);
    }
}

TEST_CASE("diverging runs do not blind the model to the differences among good ones", "[bayes]") {
    // Where Branin exceeds 30 the "training" diverges and reports 1e4: a plateau 300 times the
    // scale of everything else. Standardized as they are, the good losses would all look alike.
    const SearchSpace space = parse_search_space({"--x1 [-5.0,10.0]", "--x2 [0.0,15.0]"});
    const Objective f = [](const Point& x) { return branin(x) > 30 ? 1e4 : branin(x); };
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        INFO("seed " << seed);
        const double bayes_gap = bayes_best(space, f, 40, seed) - branin_min;
        CHECK(bayes_gap < 0.02);  // below 0.005 for each of 24 seeds while developing
        CHECK(bayes_gap < random_best(space, f, 40, seed) - branin_min);
    }
}

TEST_CASE("model targets: failures imputed, a long tail compressed, standardized", "[bayes]") {
    const std::vector<double> losses{0.5, 0.7, 0.6, 1e4, 0.55, 42.0};
    const std::vector<bool> ok{true, true, true, true, true, false};
    const detail::Targets t = detail::model_targets(losses, ok);
    REQUIRE(t.y.size() == 6);
    CHECK(t.y[5] == t.y[3]);  // the failure counts as the worst ok loss
    double mean = 0, var = 0;
    for (double v : t.y) mean += v / 6;
    for (double v : t.y) var += (v - mean) * (v - mean) / 6;
    CHECK(mean == Approx(0).margin(1e-12));
    CHECK(var == Approx(1).epsilon(1e-12));
    CHECK(t.best == t.y[0]);
    CHECK(t.y[0] < t.y[4]);  // order kept
    CHECK(t.y[4] < t.y[2]);
    CHECK(t.y[2] < t.y[1]);
    // The outlier no longer dwarfs the rest: the good losses spread over a good part of the scale.
    CHECK(t.y[1] - t.y[0] > 0.1);
    // All equal, or one result: zeros.
    CHECK(detail::model_targets({3.0, 3.0}, {true, true}).y == std::vector<double>{0.0, 0.0});
    CHECK(detail::model_targets({3.0}, {true}).best == 0.0);
    CHECK(detail::yeo_johnson(2.5, 1.0) == 2.5);
    CHECK(detail::yeo_johnson(-2.5, 1.0) == -2.5);
    CHECK(detail::yeo_johnson(3.0, 0.0) == Approx(std::log(4.0)));
}

TEST_CASE("the power transform's exponent: about 1 for a symmetric sample, low for a long right tail", "[bayes]") {
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> symmetric, skewed;
    for (int i = 0; i < 128; ++i) {
        const double z = normal(rng);
        symmetric.push_back(z);
        skewed.push_back(std::exp(1.5 * z) - 1.0);  // log-normal, centred on its median
    }
    const auto skewness = [](const std::vector<double>& v) {
        double mean = 0, m2 = 0, m3 = 0;
        for (double x : v) mean += x / static_cast<double>(v.size());
        for (double x : v) {
            m2 += (x - mean) * (x - mean) / static_cast<double>(v.size());
            m3 += (x - mean) * (x - mean) * (x - mean) / static_cast<double>(v.size());
        }
        return m3 / std::pow(m2, 1.5);
    };
    const double flat = detail::fit_yeo_johnson_exponent(symmetric);
    CHECK(std::abs(flat - 1.0) <= 0.25);
    const double tail = detail::fit_yeo_johnson_exponent(skewed);
    CHECK(tail < 0.6);
    CHECK(tail >= -1.0);
    CHECK(std::abs(std::remainder(tail, 0.05)) < 1e-9);  // on the fine grid
    std::vector<double> transformed;
    for (double x : skewed) transformed.push_back(detail::yeo_johnson(x, tail));
    CHECK(std::abs(skewness(transformed)) < 0.5 * std::abs(skewness(skewed)));
}

TEST_CASE("a log-scaled parameter is searched in log space", "[bayes]") {
    // The optimum lr = 1e-4 sits two decades above the bottom of six: uniform draws rarely land
    // near it, log-space modelling finds it.
    const SearchSpace space = parse_search_space({"--lr [1e-7,0.1] log", "--momentum [0.0,1.0]"});
    const Objective f = [](const Point& x) {
        const double d = std::log10(x[0]) + 4;
        return d * d + 2 * (x[1] - 0.7) * (x[1] - 0.7);
    };
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        INFO("seed " << seed);
        BayesStrategy strategy(space, {.evals = 25}, {.seed = seed});
        const Outcome run = drive(strategy, f);
        CHECK(in_domain(space, run));
        CHECK(run.best < 0.01);  // |log10(lr) + 4| < 0.1
        CHECK(run.best < random_best(space, f, 25, seed) / 5);
    }
}

TEST_CASE("integers and choices: the optimum, never a repeated point, never out of the domain", "[bayes]") {
    // 20 x 4 x 8 = 640 points; the optimum is n = 13, opt = c, width = 16.
    const SearchSpace space = parse_search_space({"--n [1,20]", "--opt {a,b,c,d}", "--width [2,256] log"});
    const Objective f = [](const Point& x) {
        const double w = std::log2(x[2]) - 4;
        return (x[0] - 13) * (x[0] - 13) / 10 + (x[1] == 2 ? 0.0 : 1.0 + 0.1 * x[1]) + w * w;
    };
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        INFO("seed " << seed);
        BayesStrategy strategy(space, {.evals = 40}, {.seed = seed});
        const Outcome run = drive(strategy, f, 3);
        CHECK(in_domain(space, run));
        CHECK(distinct(run.proposals) == run.proposals.size());
        CHECK(run.best == 0.0);
        CHECK(run.best <= random_best(space, f, 40, seed));
    }
}

TEST_CASE("a small discrete space: every point once before any repeats", "[bayes]") {
    const SearchSpace space = parse_search_space({"--k [1,3]", "--opt {x,y}"});
    const Objective f = [](const Point& x) { return x[0] + x[1]; };
    BayesStrategy strategy(space, {.evals = 10, .initial = 3}, {.seed = 4});
    const Outcome run = drive(strategy, f, 2);
    REQUIRE(run.proposals.size() == 10);
    CHECK(distinct(std::vector<Proposal>(run.proposals.begin(), run.proposals.begin() + 6)) == 6);
    CHECK(in_domain(space, run));
}

TEST_CASE("asynchronous: the proposals of one round differ", "[bayes]") {
    const SearchSpace space = parse_search_space({"--x1 [-5.0,10.0]", "--x2 [0.0,15.0]"});
    BayesStrategy strategy(space, {.evals = 60, .initial = 5}, {.seed = 7});
    // The design, evaluated; then rounds of W proposals asked together, told together.
    const auto design = strategy.ask(5);
    for (const auto& p : design) strategy.tell(result_of(p, branin(p.values)));
    for (std::size_t workers : {2u, 5u, 8u}) {
        INFO(workers << " workers");
        const auto round = strategy.ask(workers);
        REQUIRE(round.size() == workers);
        for (std::size_t i = 0; i < round.size(); ++i)
            for (std::size_t j = 0; j < i; ++j) {
                const auto a = space.to_unit(round[i].values), b = space.to_unit(round[j].values);
                CHECK(std::hypot(a[0] - b[0], a[1] - b[1]) > 1e-3);
            }
        for (const auto& p : round) strategy.tell(result_of(p, branin(p.values)));
    }
    // With workers kept busy throughout, the search still converges.
    BayesStrategy busy(space, {.evals = 48}, {.seed = 2});
    CHECK(drive(busy, branin, 4).best - branin_min < 0.05);
}

TEST_CASE("many workers, short evaluations: lean proposals keep up, stay distinct, still search", "[bayes]") {
    // 32 evaluations at once of 50 ms each leave a proposal about 0.4 ms: far less than the full
    // model costs, so proposals are lean (a subset of the results, fewer candidates).
    const SearchSpace space = parse_search_space({"--x1 [-5.0,10.0]", "--x2 [0.0,15.0]"});
    constexpr std::size_t evals = 160, workers = 32;
    BayesStrategy lean(space, {.evals = evals}, {.seed = 3});
    const Outcome lean_run = drive(lean, branin, workers, {}, 0.05);
    CHECK(distinct(lean_run.proposals) == evals);
    CHECK(in_domain(space, lean_run));
    CHECK(lean_run.best < random_best(space, branin, evals, 3));
    CHECK(lean_run.best - branin_min < 0.02);  // seeds 1..9 while developing: at most 0.005

    // The pace decides: the same results without timings (or slow ones) use the full model.
    BayesStrategy full(space, {.evals = evals}, {.seed = 3});
    const Outcome full_run = drive(full, branin, workers, {}, 0.0);
    BayesStrategy slow(space, {.evals = evals}, {.seed = 3});
    const Outcome slow_run = drive(slow, branin, workers, {}, 600.0);
    CHECK(full_run.proposals == slow_run.proposals);
    CHECK(lean_run.proposals != full_run.proposals);
}

TEST_CASE("results told in bursts, one ask per burst: distinct proposals, the search still converges", "[bayes]") {
    const SearchSpace space = parse_search_space({"--x1 [-5.0,10.0]", "--x2 [0.0,15.0]"});
    for (const double seconds : {0.0, 0.05}) {  // the full model, and lean rounds
        INFO("evaluations of " << seconds << " s");
        constexpr std::size_t evals = 160;
        BayesStrategy strategy(space, {.evals = evals}, {.seed = 4});
        const Outcome run = drive(strategy, branin, 32, {}, seconds, 8);
        CHECK(distinct(run.proposals) == evals);
        CHECK(in_domain(space, run));
        CHECK(run.best - branin_min < 0.05);
        CHECK(run.best < random_best(space, branin, evals, 4));
    }
}

TEST_CASE("failed trials are not proposed again and do not derail the search", "[bayes]") {
    // A quarter of Branin's domain fails (the kernel crashes there), away from two of the minima.
    const SearchSpace space = parse_search_space({"--x1 [-5.0,10.0]", "--x2 [0.0,15.0]"});
    const Failure fails = [](const Point& x) { return x[0] > 5.0 && x[1] > 7.5; };
    for (std::uint64_t seed : {1u, 2u}) {
        INFO("seed " << seed);
        BayesStrategy strategy(space, {.evals = 40}, {.seed = seed});
        const Outcome run = drive(strategy, branin, 2, fails);
        std::set<Point> failed;
        std::size_t failures = 0;
        for (const auto& t : run.trials)
            if (!t.ok()) failed.insert(t.values), ++failures;
        CHECK(failures < 10);  // the failing region repels the search once it is known
        CHECK(distinct(run.proposals) == run.proposals.size());
        CHECK(run.best - branin_min < 0.05);
    }
    // In a discrete space a failed point is never retried while others remain.
    const SearchSpace discrete = parse_search_space({"--n [1,6]", "--opt {a,b,c}"});
    BayesStrategy strategy(discrete, {.evals = 18}, {.seed = 3});
    const Outcome run = drive(strategy, [](const Point& x) { return x[0] + x[1]; }, 2,
                              [](const Point& x) { return x[0] <= 2; });
    CHECK(distinct(run.proposals) == 18);
    // Every result failing leaves the search going, on its design.
    BayesStrategy doomed(space, {.evals = 20}, {.seed = 3});
    const Outcome all = drive(doomed, branin, 3, [](const Point&) { return true; });
    CHECK(all.proposals.size() == 20);
    CHECK(distinct(all.proposals) == 20);
}

TEST_CASE("the default point first, then the design, then the model", "[bayes]") {
    const SearchSpace space =
        parse_search_space({"--lr 0.01 [1e-5,0.1] log", "--layers 3 [1,8]", "--opt sgd {adam,sgd}"});
    BayesStrategy strategy(space, {.evals = 30}, {.seed = 5});
    CHECK(strategy.initial_design() == 7);  // 2 x 3 parameters + 1
    CHECK(BayesStrategy(space, {.evals = 30, .initial = 4}).initial_design() == 4);
    const auto first = strategy.ask(1);
    CHECK(first.front().values == Point{0.01, 3.0, 1.0});
    CHECK(strategy.planned_evaluations() == 30);
    CHECK_THROWS_AS(BayesStrategy(space, {.evals = 0}), std::invalid_argument);
    CHECK_THROWS_AS(BayesStrategy(SearchSpace{}, {.evals = 5}), std::invalid_argument);
    CHECK(acquisition_from_string("ucb") == Acquisition::ucb);
    CHECK(to_string(Acquisition::ei) == "ei");
    CHECK_THROWS_AS(acquisition_from_string("pi"), std::invalid_argument);

    const StrategyConfig config = BayesOptions{.evals = 12};
    CHECK(strategy_name(strategy_config_from_name("bayes")) == "bayes");
    CHECK(make_strategy(config, space)->planned_evaluations() == 12);
}

TEST_CASE("maximizing", "[bayes]") {
    const SearchSpace space = parse_search_space({"--x1 [-5.0,10.0]", "--x2 [0.0,15.0]"});
    BayesStrategy strategy(space, {.evals = 40}, {.seed = 1, .maximize = true});
    const Outcome run = drive(strategy, [](const Point& x) { return -branin(x); });
    double best = -INFINITY;
    for (const auto& t : run.trials) best = std::max(best, t.fom);
    CHECK(-best - branin_min < 0.02);
}

TEST_CASE("a restored strategy continues with the same proposals", "[bayes][state]") {
    const SearchSpace space = parse_search_space({"--x [-2.0,2.0]", "--n [1,9]", "--opt {a,b,c}"});
    const Objective f = [](const Point& x) { return x[0] * x[0] + std::abs(x[1] - 4) + x[2]; };
    BayesStrategy original(space, {.evals = 40}, {.seed = 9});
    std::deque<Proposal> running;
    std::vector<Proposal> original_tail, restored_tail;
    std::vector<Trial> told;
    auto result = [&](const Proposal& p) { return result_of(p, f(p.values)); };
    for (int i = 0; i < 25; ++i) {
        for (const auto& p : original.ask(3 - running.size())) running.push_back(p);
        told.push_back(result(running.front()));
        original.tell(told.back());
        running.pop_front();
    }
    BayesStrategy restored(space, {.evals = 40}, {.seed = 9});
    restored.restore(original.save_state(), told);
    std::deque<Proposal> running_copy = running;
    for (int i = 0; i < 8; ++i) {
        for (const auto& p : original.ask(3 - running.size())) running.push_back(p), original_tail.push_back(p);
        for (const auto& p : restored.ask(3 - running_copy.size()))
            running_copy.push_back(p), restored_tail.push_back(p);
        original.tell(result(running.front()));
        running.pop_front();
        restored.tell(result(running_copy.front()));
        running_copy.pop_front();
    }
    CHECK(original_tail == restored_tail);
    CHECK(original.save_state() == restored.save_state());
}

TEST_CASE("a restored strategy keeps the pace: lean proposals continue the same", "[bayes][state]") {
    const SearchSpace space = parse_search_space({"--x1 [-5.0,10.0]", "--x2 [0.0,15.0]"});
    constexpr std::size_t workers = 24;
    BayesStrategy original(space, {.evals = 120}, {.seed = 5});
    std::deque<Proposal> running;
    auto result = [](const Proposal& p) {
        Trial t = result_of(p, branin(p.values));
        t.start_time = 1e9;
        t.end_time = 1e9 + 0.02;
        return t;
    };
    std::vector<Trial> told;
    for (int i = 0; i < 70; ++i) {
        for (const auto& p : original.ask(workers - running.size())) running.push_back(p);
        told.push_back(result(running.front()));
        original.tell(told.back());
        running.pop_front();
    }
    BayesStrategy restored(space, {.evals = 120}, {.seed = 5});
    restored.restore(original.save_state(), told);
    std::deque<Proposal> running_copy = running;
    std::vector<Proposal> original_tail, restored_tail;
    for (int i = 0; i < 20; ++i) {
        for (const auto& p : original.ask(workers - running.size())) running.push_back(p), original_tail.push_back(p);
        for (const auto& p : restored.ask(workers - running_copy.size()))
            running_copy.push_back(p), restored_tail.push_back(p);
        original.tell(result(running.front()));
        running.pop_front();
        restored.tell(result(running_copy.front()));
        running_copy.pop_front();
    }
    CHECK(original_tail.size() == 20);
    CHECK(original_tail == restored_tail);
    CHECK(original.save_state() == restored.save_state());
}

// Version 1 states, which hold their results, as hpo wrote them before leaving the results to the
// checkpoint's trial table.
TEST_CASE("a version 1 state with inconsistent results or model is rejected, and changes nothing", "[bayes][state]") {
    const SearchSpace space = parse_search_space({"--x [-2.0,2.0]", "--n [1,9]"});
    BayesStrategy source(space, {.evals = 30, .initial = 4}, {.seed = 2});
    std::deque<Proposal> running;
    std::vector<Trial> told;
    for (int i = 0; i < 12; ++i) {
        for (const auto& p : source.ask(2 - running.size())) running.push_back(p);
        const Proposal p = running.front();
        running.pop_front();
        Trial t = result_of(p, p.values[0] * p.values[0] + p.values[1]);
        if (i == 5) t.status = TrialStatus::crashed;
        source.tell(t);
        told.push_back(t);
    }
    for (const auto& p : source.ask(1)) running.push_back(p);
    const std::string state = version_1_state(source.save_state(), told, false);
    REQUIRE(state.find("\nfit 1 ") != std::string::npos);
    REQUIRE(state.find(" failed ") != std::string::npos);
    REQUIRE(state.find("\npending ") != std::string::npos);

    BayesStrategy target(space, {.evals = 30, .initial = 4}, {.seed = 2});
    target.ask(1);
    const std::string before = target.save_state();
    // The text of line `key` (the first one), and the state with it replaced.
    auto line_of = [&](const std::string& key) {
        const auto at = state.find("\n" + key + " ") + 1;
        return state.substr(at, state.find('\n', at) - at);
    };
    auto with = [&](const std::string& key, const std::string& replacement) {
        std::string text = state;
        const std::string line = line_of(key);
        return text.replace(text.find(line), line.size(), replacement);
    };
    auto rejected = [&](const std::string& bad, const std::string& message) {
        INFO(message);
        CHECK_THROWS_WITH(target.load_state(bad), Catch::Contains("bayes state") && Catch::Contains(message));
        CHECK(target.save_state() == before);
    };
    const std::string fit = line_of("fit");
    const std::string observation = line_of("observation");  // trial 0, ok
    const std::string pending = line_of("pending");
    const std::string pending_id = pending.substr(8, pending.find(' ', 8) - 8);

    rejected(with("fit", "fit 1 0" + fit.substr(fit.find(' ', 6))), "out of range");
    rejected(with("fit", "fit 1 13" + fit.substr(fit.find(' ', 6))), "the model was fitted to 13 results");
    rejected(with("fit", fit.substr(0, fit.rfind(' '))), "missing");
    rejected(with("fit", "fit 1 3 -0.5 0.5 1 0.001"), "length scale");
    rejected(with("fit", "fit 1 3 0.5 0.5 1 0"), "noise variance");
    rejected(with("fit", "fit 2"), "out of range");
    rejected(with("observation", "observation 0 maybe 1 0.5 3"), "neither ok nor failed");
    rejected(with("observation", "observation 0 ok inf 0.5 3"), "finite");
    rejected(with("observation", "observation 0 ok 1 0.5 3.5"), "outside the domain");
    rejected(with("observation", "observation 99 ok 1 0.5 3"), "never proposed");
    rejected(with("observation", "observation " + pending_id + " ok 1 0.5 3"), "both told and pending");
    rejected(with("observation", observation + "\n" + observation), "told twice");
    rejected(with("design", "design -1"), "not an unsigned integer");
    target.load_state(state);
    CHECK(target.save_state() == source.save_state());  // saved again in the current form
    CHECK(target.pending() == source.pending());
}

namespace {

// A run of 3 workers with failures, results out of proposal order: the trials told, in order.
std::vector<Trial> drive_partly(BayesStrategy& strategy, std::deque<Proposal>& running, int results) {
    std::vector<Trial> told;
    for (int i = 0; i < results; ++i) {
        for (const auto& p : strategy.ask(3 - running.size())) running.push_back(p);
        const std::size_t which = static_cast<std::size_t>(i * 7 % static_cast<int>(running.size()));
        const Proposal p = running[which];
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(which));
        Trial t = result_of(p, p.values[0] * p.values[0] + std::abs(p.values[1] - 4) + p.values[2]);
        if (i % 5 == 3) t.status = TrialStatus::failed;
        t.start_time = 1e9 + i;
        t.end_time = t.start_time + 0.5;
        strategy.tell(t);
        told.push_back(t);
    }
    return told;
}

// The next `count` proposals, each result told before the next ask, as `running` finishes in order.
std::vector<Proposal> continue_run(BayesStrategy& strategy, std::deque<Proposal> running, int count) {
    std::vector<Proposal> out;
    for (int i = 0; i < count; ++i) {
        for (const auto& p : strategy.ask(3 - running.size())) running.push_back(p), out.push_back(p);
        strategy.tell(result_of(running.front(), running.front().values[0]));
        running.pop_front();
    }
    return out;
}

const SearchSpace& mixed_space() {
    static const SearchSpace space = parse_search_space({"--x [-2.0,2.0]", "--n [1,9]", "--opt {a,b,c}"});
    return space;
}

}  // namespace

TEST_CASE("the state leaves the results to the trial history and, restored with it, goes on the same",
          "[bayes][state]") {
    BayesStrategy original(mixed_space(), {.evals = 60, .initial = 6}, {.seed = 4});
    std::deque<Proposal> running;
    const std::vector<Trial> told = drive_partly(original, running, 30);
    const std::string state = original.save_state();
    CHECK(state.find("observation") == std::string::npos);
    CHECK(state.find("\ntold 30 ") != std::string::npos);
    CHECK(state.find("\nfit 1 ") != std::string::npos);  // a fitted model, rebuilt from the trials
    // No line per result: the state of 30 results is as long as that of 10, give or take digits.
    BayesStrategy shorter(mixed_space(), {.evals = 60, .initial = 6}, {.seed = 4});
    std::deque<Proposal> shorter_running;
    drive_partly(shorter, shorter_running, 10);
    CHECK(state.size() < shorter.save_state().size() + 200);

    BayesStrategy restored(mixed_space(), {.evals = 60, .initial = 6}, {.seed = 4});
    restored.restore(state, told);
    CHECK(restored.save_state() == state);
    CHECK(restored.pending() == original.pending());
    const auto expected = continue_run(original, running, 15);
    CHECK(expected.size() == 15);
    CHECK(continue_run(restored, running, 15) == expected);
    CHECK(restored.save_state() == original.save_state());
}

TEST_CASE("a state restored with another history is refused, and changes nothing", "[bayes][state]") {
    BayesStrategy source(mixed_space(), {.evals = 60, .initial = 6}, {.seed = 4});
    std::deque<Proposal> running;
    const std::vector<Trial> told = drive_partly(source, running, 20);
    const std::string state = source.save_state();

    BayesStrategy target(mixed_space(), {.evals = 60, .initial = 6}, {.seed = 4});
    target.ask(2);
    const std::string before = target.save_state();
    auto refused = [&](const std::vector<Trial>& history, const std::string& message) {
        INFO(message);
        CHECK_THROWS_WITH(target.restore(state, history), Catch::Contains("bayes state") && Catch::Contains(message));
        CHECK(target.save_state() == before);
    };
    CHECK_THROWS_WITH(target.load_state(state), Catch::Contains("20 results were told") &&
                                                    Catch::Contains("holds 0 (restore it with the checkpoint's trials)"));
    CHECK(target.save_state() == before);
    refused({}, "holds 0");
    refused(std::vector<Trial>(told.begin(), told.end() - 1), "holds 19");
    auto reordered = told;
    std::swap(reordered[3], reordered[4]);
    refused(reordered, "not the results it was saved with");
    auto other_fom = told;
    other_fom[7].fom += 1e-12;
    refused(other_fom, "not the results it was saved with");
    auto other_status = told;
    other_status[0].status = other_status[0].ok() ? TrialStatus::crashed : TrialStatus::ok;
    refused(other_status, "not the results it was saved with");
    auto other_point = told;
    other_point[11].values[0] = std::nextafter(other_point[11].values[0], 10.0);
    refused(other_point, "not the results it was saved with");

    // The text is checked before the history: a malformed state is reported as such.
    REQUIRE(state.find("\nfit 1 ") != std::string::npos);
    const auto fit_at = state.find("\nfit 1 ") + 7;
    std::string overfitted = state;
    overfitted.replace(fit_at, state.find(' ', fit_at) - fit_at, "21");
    CHECK_THROWS_WITH(target.restore(overfitted, told), Catch::Contains("the model was fitted to 21 results, the state has 20"));
    CHECK_THROWS_WITH(target.restore(state + "x", told), Catch::Contains("bayes state"));

    target.restore(state, told);
    CHECK(target.save_state() == state);
}

TEST_CASE("a version 1 state, which holds its results, still loads and goes on the same", "[bayes][state]") {
    for (const bool maximize : {false, true}) {
        INFO("maximize " << maximize);
        BayesStrategy original(mixed_space(), {.evals = 60, .initial = 6}, {.seed = 8, .maximize = maximize});
        std::deque<Proposal> running;
        const std::vector<Trial> told = drive_partly(original, running, 25);
        const std::string old = version_1_state(original.save_state(), told, maximize);
        REQUIRE(old.find("\nobservation 0 ") != std::string::npos);
        REQUIRE(old.find(" failed ") != std::string::npos);

        BayesStrategy alone(mixed_space(), {.evals = 60, .initial = 6}, {.seed = 8, .maximize = maximize});
        alone.load_state(old);  // no history needed: the results are in the text
        CHECK(alone.save_state() == original.save_state());
        BayesStrategy with_history(mixed_space(), {.evals = 60, .initial = 6}, {.seed = 8, .maximize = maximize});
        with_history.restore(old, told);  // as a resume does; the history is then not used
        CHECK(with_history.save_state() == original.save_state());

        const auto expected = continue_run(original, running, 12);
        CHECK(continue_run(alone, running, 12) == expected);
        CHECK(continue_run(with_history, running, 12) == expected);
    }
}
