// What the strategies learn from pruned trials (--prune): genetic selection ranks a pruned
// individual below every completed one, then by steps reached, then by value, above failures;
// bayes models a pruned trial's last value as an observation.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "hpo/space/parse.hpp"
#include "hpo/strategy/bayes.hpp"
#include "hpo/strategy/genetic.hpp"

using namespace hpo;

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

SearchSpace space_2d() { return parse_search_space({"-x 0.5 [0.0,1.0]", "-y 0.5 [0.0,1.0]"}); }

Trial completed(const Proposal& p, double fom) {
    Trial t;
    t.id = p.id;
    t.deme = p.deme;
    t.generation = p.generation;
    t.values = p.values;
    t.fom = fom;
    t.steps = 9;
    return t;
}

Trial pruned(const Proposal& p, int steps, double last_value) {
    Trial t = completed(p, last_value);
    t.status = TrialStatus::pruned;
    t.steps = steps;
    return t;
}

Trial failed(const Proposal& p) {
    Trial t = completed(p, not_a_number);
    t.status = TrialStatus::crashed;
    t.steps = 0;
    return t;
}

// The ids of the population members the saved state holds, in population order (deme by deme):
// `member ID ...` lines.
std::vector<TrialId> member_ids(const Strategy& strategy) {
    std::istringstream in(strategy.save_state());
    std::vector<TrialId> ids;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("member ", 0) == 0) ids.push_back(std::stoull(line.substr(7)));
    }
    return ids;
}

// Generational, one deme of 3 and one elite: the elite carried into generation 1 is generation 0's
// best by the selection's ranking. `results[i]` gives trial i's result.
TrialId elite_of(const std::vector<std::function<Trial(const Proposal&)>>& results, bool maximize = false) {
    GeneticStrategy strategy(space_2d(), {.generations = 2, .pop_size = 3, .num_demes = 1, .elites = 1},
                             {.seed = 1, .maximize = maximize});
    const auto generation0 = strategy.ask(3);
    REQUIRE(generation0.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) strategy.tell(results[i](generation0[i]));
    const auto ids = member_ids(strategy);
    REQUIRE(ids.size() == 3);
    return ids.front();  // next_generation puts the elites first
}

}  // namespace

TEST_CASE("genetic: a pruned individual ranks below every completed one, whatever its value", "[genetic][prune]") {
    // Trial 1 was stopped with a far better (lower) last value than trial 2's final FoM.
    CHECK(elite_of({[](const Proposal& p) { return failed(p); },
                    [](const Proposal& p) { return pruned(p, 3, 0.001); },
                    [](const Proposal& p) { return completed(p, 50.0); }}) == 2);
    // Maximizing: the pruned trial's higher value does not win either.
    CHECK(elite_of({[](const Proposal& p) { return pruned(p, 8, 1000.0); },
                    [](const Proposal& p) { return completed(p, 1.0); },
                    [](const Proposal& p) { return failed(p); }},
                   true) == 1);
}

TEST_CASE("genetic: among pruned individuals more steps rank higher, then the better value; failures last",
          "[genetic][prune]") {
    // More steps beats a better value.
    CHECK(elite_of({[](const Proposal& p) { return failed(p); },
                    [](const Proposal& p) { return pruned(p, 3, 1.0); },
                    [](const Proposal& p) { return pruned(p, 9, 20.0); }}) == 2);
    // Equal steps: the better value (lower when minimizing, higher when maximizing).
    CHECK(elite_of({[](const Proposal& p) { return pruned(p, 3, 9.0); },
                    [](const Proposal& p) { return pruned(p, 3, 4.0); },
                    [](const Proposal& p) { return failed(p); }}) == 1);
    CHECK(elite_of({[](const Proposal& p) { return pruned(p, 3, 4.0); },
                    [](const Proposal& p) { return pruned(p, 3, 9.0); },
                    [](const Proposal& p) { return failed(p); }},
                   true) == 1);
    // A pruned individual, even at its first step with a NaN value, ranks above a failure.
    CHECK(elite_of({[](const Proposal& p) { return failed(p); },
                    [](const Proposal& p) { return pruned(p, 1, not_a_number); },
                    [](const Proposal& p) { return failed(p); }}) == 1);
}

TEST_CASE("genetic steady-state: a child replaces the lowest-ranked member, pruned ones by steps and value",
          "[genetic][prune]") {
    GeneticStrategy strategy(space_2d(), {.generations = 3, .pop_size = 2, .num_demes = 1,
                                          .mode = GeneticMode::steady_state}, {.seed = 2});
    const auto members = strategy.ask(2);
    REQUIRE(members.size() == 2);
    strategy.tell(pruned(members[0], 2, 1.0));   // fewer steps: the lowest-ranked despite its value
    strategy.tell(pruned(members[1], 5, 50.0));
    CHECK(member_ids(strategy) == std::vector<TrialId>{0, 1});

    const auto child2 = strategy.ask(1);
    strategy.tell(completed(child2.at(0), 100.0));  // completed: beats any pruned member
    CHECK(member_ids(strategy) == std::vector<TrialId>{2, 1});

    const auto child3 = strategy.ask(1);
    strategy.tell(pruned(child3.at(0), 5, 10.0));  // same steps as trial 1, better value
    CHECK(member_ids(strategy) == std::vector<TrialId>{2, 3});

    const auto child4 = strategy.ask(1);
    strategy.tell(failed(child4.at(0)));  // a failure replaces no pruned member
    const auto child5 = strategy.ask(1);
    strategy.tell(pruned(child5.at(0), 4, 0.0));  // fewer steps than trial 3: stays out
    CHECK(member_ids(strategy) == std::vector<TrialId>{2, 3});
}

TEST_CASE("genetic: pruned members survive the saved state", "[genetic][prune][state]") {
    const GeneticOptions options{.generations = 3, .pop_size = 2, .num_demes = 1, .mode = GeneticMode::steady_state};
    GeneticStrategy strategy(space_2d(), options, {.seed = 2});
    const auto members = strategy.ask(2);
    strategy.tell(pruned(members[0], 2, 1.0));
    strategy.tell(pruned(members[1], 5, 50.0));
    GeneticStrategy restored(space_2d(), options, {.seed = 2});
    restored.load_state(strategy.save_state());
    CHECK(restored.save_state() == strategy.save_state());
    // The same ranking afterwards: a child with trial 0's steps and a better value replaces it.
    for (GeneticStrategy* s : {&strategy, &restored}) {
        const auto child = s->ask(1);
        s->tell(pruned(child.at(0), 2, 0.5));
        CHECK(member_ids(*s) == std::vector<TrialId>{2, 1});
    }
}

namespace {

// Bayes with 4 design points, told `results` for them, then asked for the next point (the model's).
Point bayes_next(const std::vector<std::function<Trial(const Proposal&)>>& results) {
    BayesStrategy strategy(space_2d(), {.evals = 20, .initial = 4}, {.seed = 7});
    const auto design = strategy.ask(4);
    REQUIRE(design.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) strategy.tell(results[i](design[i]));
    const auto next = strategy.ask(1);
    REQUIRE(next.size() == 1);
    return next.front().values;
}

double bowl(const Point& x) { return (x[0] - 0.3) * (x[0] - 0.3) + (x[1] - 0.7) * (x[1] - 0.7); }

}  // namespace

TEST_CASE("bayes: a pruned trial's last value is an observation of the model", "[bayes][prune]") {
    const auto ok = [](const Proposal& p) { return completed(p, bowl(p.values)); };
    const auto stopped_high = [](const Proposal& p) { return pruned(p, 3, 5.0 + bowl(p.values)); };
    const auto stopped_low = [](const Proposal& p) { return pruned(p, 3, 5.0 - 4.0 * bowl(p.values)); };
    const auto crashed = [](const Proposal& p) { return failed(p); };

    // Treated as a failure, the pruned trials' values would not matter: they do.
    const Point with_pruned = bayes_next({ok, ok, stopped_high, stopped_high});
    CHECK(with_pruned != bayes_next({ok, ok, crashed, crashed}));
    CHECK(with_pruned != bayes_next({ok, ok, stopped_low, stopped_low}));
    // Pruned trials alone are enough for a model (a failure-only history keeps to the design).
    CHECK(bayes_next({stopped_high, stopped_high, stopped_high, stopped_high}) !=
          bayes_next({stopped_low, stopped_low, stopped_low, stopped_low}));
}

TEST_CASE("bayes: restored with a history holding pruned trials, it goes on the same", "[bayes][prune][state]") {
    const BayesOptions options{.evals = 20, .initial = 4};
    BayesStrategy strategy(space_2d(), options, {.seed = 7});
    std::vector<Trial> history;
    const auto design = strategy.ask(4);
    for (std::size_t i = 0; i < design.size(); ++i) {
        history.push_back(i % 2 ? pruned(design[i], 2, 3.0 + bowl(design[i].values))
                                : completed(design[i], bowl(design[i].values)));
        strategy.tell(history.back());
    }
    const std::string state = strategy.save_state();
    BayesStrategy restored(space_2d(), options, {.seed = 7});
    restored.restore(state, history);
    CHECK(restored.ask(2) == strategy.ask(2));
    // The same history with the pruned trials as failures is another history.
    std::vector<Trial> as_failures = history;
    for (Trial& t : as_failures)
        if (t.status == TrialStatus::pruned) t.status = TrialStatus::crashed;
    BayesStrategy other(space_2d(), options, {.seed = 7});
    CHECK_THROWS_AS(other.restore(state, as_failures), std::invalid_argument);
}

namespace {

struct Summaries : StrategyObserver {
    std::vector<GenerationSummary> generations;
    void on_generation_end(const GenerationSummary& s) override { generations.push_back(s); }
};

}  // namespace

TEST_CASE("genetic: generation summaries count pruned trials apart from failures", "[genetic][prune]") {
    for (GeneticMode mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        INFO(to_string(mode));
        const GeneticOptions options{.generations = 1, .pop_size = 4, .num_demes = 1, .mode = mode};
        GeneticStrategy strategy(space_2d(), options, {.seed = 3});
        Summaries summaries;
        strategy.set_observer(&summaries);
        const auto trials = strategy.ask(4);
        REQUIRE(trials.size() == 4);
        strategy.tell(completed(trials[0], 1.0));
        strategy.tell(pruned(trials[1], 2, 5.0));
        strategy.tell(pruned(trials[2], 1, 7.0));
        // Saved and restored before the last result: the counts go on.
        GeneticStrategy restored(space_2d(), options, {.seed = 3});
        restored.load_state(strategy.save_state());
        restored.set_observer(&summaries);
        restored.tell(failed(trials[3]));
        REQUIRE(summaries.generations.size() == 1);
        const DemeSummary& deme = summaries.generations[0].demes.at(0);
        CHECK(deme.evaluated == 4);
        CHECK(deme.failed == 1);
        CHECK(deme.pruned == 2);
        CHECK(deme.best_fom == 1.0);
    }
}
