// Population-based training: rounds, exploit and explore, lineage, budget, no barrier, saved state.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <set>

#include "hpo/space/parse.hpp"
#include "hpo/strategy/pbt.hpp"
#include "test_strategy_support.hpp"

using namespace hpo;

namespace {

SearchSpace pbt_space() {
    return parse_search_space({"--lr 0.01 [1e-4,1.0] log", "--layers [1,8]", "--opt sgd {adam,sgd,rmsprop}"});
}

PbtStrategy make(PbtOptions options, std::uint64_t seed = 1, bool maximize = false) {
    return PbtStrategy(pbt_space(), options, {.seed = seed, .maximize = maximize});
}

Trial result(const Proposal& p, double fom, TrialStatus status = TrialStatus::ok) {
    return strategy_test::told(p, fom, status);
}

// The only proposal of `asked` for `member`.
const Proposal& of_member(const std::vector<Proposal>& asked, int member) {
    const auto found = std::find_if(asked.begin(), asked.end(), [&](const Proposal& p) { return p.member == member; });
    REQUIRE(found != asked.end());
    return *found;
}

// A deterministic training: the loss falls with the rounds a lineage has trained (its depth in the
// chain of parents), faster with a learning rate near 0.01 and with adam.
struct Training {
    std::map<TrialId, int> depth;  // rounds trained, counting the trial's own
    double fom(const Proposal& p) {
        const int d = (p.parent ? depth.at(*p.parent) : 0) + 1;
        depth[p.id] = d;
        const double lr_penalty = std::abs(std::log10(p.values[0]) + 2.0);
        return (1.0 + lr_penalty + 0.1 * p.values[1] + (p.values[2] == 0 ? 0.0 : 0.5)) / d;
    }
    // A pure function of the proposal, so that runs can be repeated: about one round in seven fails.
    static bool fails(const Proposal& p) { return (p.id * 2654435761u) % 7 == 3; }
};

struct Run {
    std::vector<Proposal> asked;  // in the order asked
    std::vector<Trial> told;      // in the order told
};

// `workers` simulated workers, results first in first out; `steps` results at most (0: to the end).
// After every ask each new proposal's parent must be one of the trials inheritable() named before
// that ask (a checkpoint directory --keep-checkpoints live keeps), and an ok trial told before.
struct Driver {
    std::size_t workers = 3;
    bool failures = false;
    Training training{};
    std::deque<Proposal> running{};
    Run run{};

    void fill(Strategy& s) {
        const std::vector<TrialId> kept = s.inheritable();
        const auto got = s.ask(workers - running.size());
        for (const Proposal& p : got) {
            if (p.parent) {
                CHECK(std::find(kept.begin(), kept.end(), *p.parent) != kept.end());
                const auto parent = std::find_if(run.told.begin(), run.told.end(),
                                                 [&](const Trial& t) { return t.id == *p.parent; });
                REQUIRE(parent != run.told.end());
                CHECK(parent->ok());
            }
            run.asked.push_back(p);
            running.push_back(p);
        }
    }
    bool step(Strategy& s) {
        fill(s);
        if (running.empty()) return false;
        const Proposal p = running.front();
        running.pop_front();
        const double fom = training.fom(p);
        run.told.push_back(failures && Training::fails(p) ? result(p, fom, TrialStatus::crashed) : result(p, fom));
        s.tell(run.told.back());
        return true;
    }
    void finish(Strategy& s) {
        for (int i = 0; step(s); ++i) REQUIRE(i < 100000);
    }
};

}  // namespace

TEST_CASE("round 0: every member, in member order, member 0 with the defaults, none with a parent", "[pbt]") {
    PbtStrategy s = make({.population = 5, .rounds = 3});
    CHECK(s.planned_evaluations() == 15);
    const auto asked = s.ask(100);
    REQUIRE(asked.size() == 5);
    for (int m = 0; m < 5; ++m) {
        CHECK(asked[m].id == static_cast<TrialId>(m));
        CHECK(asked[m].member == m);
        CHECK(asked[m].generation == 0);
        CHECK(asked[m].deme == 0);
        CHECK_FALSE(asked[m].parent);
    }
    CHECK(asked[0].values[0] == 0.01);
    CHECK(asked[0].values[2] == 1);  // sgd
    CHECK(asked[1].values != asked[2].values);
    CHECK(s.ask(100).empty());  // every member runs
    CHECK_FALSE(s.exhausted());
    CHECK(s.pending() == asked);
}

TEST_CASE("no barrier: a fast member runs all its rounds while the others are still at round 0", "[pbt]") {
    PbtStrategy s = make({.population = 4, .rounds = 5});
    const auto first = s.ask(4);
    REQUIRE(first.size() == 4);
    Proposal current = first[0];
    for (int round = 1; round < 5; ++round) {
        s.tell(result(current, 1.0 / round));
        const auto next = s.ask(10);
        REQUIRE(next.size() == 1);
        CHECK(next[0].member == 0);
        CHECK(next[0].generation == round);
        CHECK(next[0].parent == current.id);  // it continues its own checkpoint
        CHECK(next[0].values == current.values);
        current = next[0];
    }
    s.tell(result(current, 0.1));
    CHECK(s.ask(10).empty());  // member 0 is done, the others still run round 0
    CHECK_FALSE(s.exhausted());
    CHECK(s.pending().size() == 3);
}

TEST_CASE("with fewer workers than members, the least trained member goes first", "[pbt]") {
    PbtStrategy s = make({.population = 3, .rounds = 4});
    const auto first = s.ask(2);
    REQUIRE(first.size() == 2);
    CHECK(first[0].member == 0);
    CHECK(first[1].member == 1);
    s.tell(result(first[0], 1.0));
    // Member 0 (round 1) and member 2 (round 0) are idle: member 2 has not trained yet.
    const auto next = s.ask(1);
    REQUIRE(next.size() == 1);
    CHECK(next[0].member == 2);
    CHECK(next[0].generation == 0);
    const auto then = s.ask(1);
    REQUIRE(then.size() == 1);
    CHECK(then[0].member == 0);
    CHECK(then[0].generation == 1);
}

TEST_CASE("exploit: the bottom member copies a top member's checkpoint and explores its values", "[pbt]") {
    // 4 members, exploit_fraction 0.25: no exploit before 4 results (k = floor(0.25 x 3) = 0).
    PbtStrategy s = make({.population = 4, .rounds = 3, .exploit_fraction = 0.25, .resample_probability = 0});
    const auto r0 = s.ask(4);
    REQUIRE(r0.size() == 4);
    s.tell(result(r0[3], 100.0));  // the worst, told first: too few results to exploit
    auto next = s.ask(4);
    REQUIRE(next.size() == 1);
    CHECK(next[0].member == 3);
    CHECK(next[0].parent == r0[3].id);
    CHECK(next[0].values == r0[3].values);
    s.tell(result(next[0], 90.0));  // member 3 at 90 now
    s.tell(result(r0[1], 2.0));
    s.tell(result(r0[2], 3.0));
    next = s.ask(4);
    // Three results (k = 0): every one of them continued as it was.
    REQUIRE(next.size() == 3);
    for (const Proposal& p : next) {
        CHECK_FALSE(p.member == 0);
        CHECK(p.values == r0[p.member].values);
    }
    // The fourth result: member 0 is the best; k = 1. Member 0 itself is not in the bottom.
    s.tell(result(r0[0], 1.0));
    const auto after = s.ask(4);
    REQUIRE(after.size() == 1);
    CHECK(after[0].member == 0);
    CHECK(after[0].parent == r0[0].id);
    CHECK(after[0].values == r0[0].values);

    // Member 2 (round 1) becomes the worst: it exploits member 0, the only one of the top 1.
    const Proposal m2 = of_member(next, 2);
    s.tell(result(m2, 500.0));
    const auto exploited = s.ask(4);
    REQUIRE(exploited.size() == 1);
    const Proposal& e = exploited[0];
    CHECK(e.member == 2);
    CHECK(e.generation == 2);
    CHECK(e.parent == r0[0].id);  // member 0's latest trial, its current checkpoint
    // Its values are member 0's, explored (resampling off): lr by a factor 1.2 either way, layers
    // by 0.8/1.2 (or one step), the optimizer to a neighbour.
    const Point& donor = r0[0].values;
    CHECK(std::abs(std::abs(std::log(e.values[0] / donor[0])) - std::log(1.2)) < 1e-9);
    CHECK(std::abs(e.values[1] - donor[1]) <= 2);  // 8 x 0.2 rounded, or one step
    CHECK(std::abs(e.values[2] - donor[2]) == 1);
    const auto kept = s.inheritable();
    CHECK(std::find(kept.begin(), kept.end(), r0[0].id) != kept.end());
}

TEST_CASE("exploit follows the direction: when maximizing the highest FoM is the top", "[pbt]") {
    PbtStrategy s = make({.population = 2, .rounds = 2, .exploit_fraction = 0.5}, 1, /*maximize=*/true);
    const auto r0 = s.ask(2);
    s.tell(result(r0[1], 20.0));  // alone: k = 0
    s.tell(result(r0[0], 10.0));  // k = 1: member 1 is the top, member 0 the bottom
    const auto next = s.ask(2);
    REQUIRE(next.size() == 2);
    CHECK(of_member(next, 0).parent == r0[1].id);  // member 0 exploited member 1
    CHECK(of_member(next, 1).parent == r0[1].id);  // member 1 continued its own
}

TEST_CASE("a failed member exploits; a crashed round continues from the last good checkpoint", "[pbt]") {
    SECTION("a failed round ranks last and exploits the top") {
        PbtStrategy s = make({.population = 2, .rounds = 3, .exploit_fraction = 0.5});
        const auto r0 = s.ask(2);
        s.tell(result(r0[0], 5.0));
        s.tell(result(r0[1], 1.0, TrialStatus::failed));  // its FoM never counts
        const auto next = s.ask(2);
        REQUIRE(next.size() == 2);
        CHECK(of_member(next, 1).parent == r0[0].id);
        CHECK(of_member(next, 0).parent == r0[0].id);
    }
    SECTION("too few ok results: nobody to copy, the crashed member goes on without a checkpoint") {
        PbtStrategy s = make({.population = 2, .rounds = 3, .exploit_fraction = 0.5});
        const auto r0 = s.ask(2);
        s.tell(result(r0[0], NAN, TrialStatus::crashed));
        s.tell(result(r0[1], NAN, TrialStatus::timeout));  // the bottom (a tie, the higher index), but
                                                            // the top holds no ok result
        const auto next = s.ask(2);
        REQUIRE(next.size() == 2);
        for (const Proposal& p : next) {
            CHECK_FALSE(p.parent);
            CHECK(p.values == r0[p.member].values);
        }
        CHECK(s.inheritable().empty());
    }
    SECTION("without exploiting, a crash continues from the member's last ok round") {
        PbtStrategy s = make({.population = 1, .rounds = 5, .exploit_fraction = 0});
        auto p = s.ask(1).at(0);
        s.tell(result(p, NAN, TrialStatus::crashed));
        p = s.ask(1).at(0);
        CHECK_FALSE(p.parent);  // never had a checkpoint
        s.tell(result(p, 3.0));
        const TrialId good = p.id;
        p = s.ask(1).at(0);
        CHECK(p.parent == good);
        s.tell(result(p, 2.0, TrialStatus::crashed));
        p = s.ask(1).at(0);
        CHECK(p.parent == good);  // the crashed round's checkpoint is skipped
        CHECK(p.generation == 3);
        CHECK(s.inheritable() == std::vector<TrialId>{good});
        s.tell(result(p, 1.0, TrialStatus::pruned));
        p = s.ask(1).at(0);
        CHECK(p.parent == good);
        CHECK(p.generation == 4);
    }
}

TEST_CASE("lineage over a whole run: each member trains its rounds in order from ok checkpoints", "[pbt]") {
    const PbtOptions options{.population = 6, .rounds = 7, .exploit_fraction = 0.34};
    PbtStrategy s = make(options, 5);
    Driver driver{.workers = 4, .failures = true};
    driver.finish(s);
    const Run& run = driver.run;
    // The budget, exactly.
    CHECK(run.asked.size() == 42);
    CHECK(run.told.size() == 42);
    CHECK(s.exhausted());
    CHECK(s.ask(10).empty());
    CHECK(s.pending().empty());
    std::map<TrialId, const Trial*> by_id;
    for (const Trial& t : run.told) by_id[t.id] = &t;
    std::map<int, int> rounds;  // member -> next round expected
    int exploits = 0, failed = 0;
    for (const Proposal& p : run.asked) {
        REQUIRE(p.member >= 0);
        REQUIRE(p.member < 6);
        CHECK(p.generation == rounds[p.member]++);
        CHECK(pbt_space().contains(p.values));
        if (!p.parent) continue;
        const Trial& parent = *by_id.at(*p.parent);
        CHECK(parent.ok());
        CHECK(parent.id < p.id);
        if (parent.member != p.member) {
            ++exploits;
            CHECK(p.values != parent.values);  // explored (every parameter moves, or is drawn)
        }
    }
    for (const Trial& t : run.told) failed += !t.ok();
    for (const auto& [member, next] : rounds) CHECK(next == 7);
    CHECK(rounds.size() == 6);
    CHECK(exploits > 0);
    CHECK(failed > 0);
}

TEST_CASE("the same seed gives the same run; another seed another", "[pbt]") {
    const PbtOptions options{.population = 5, .rounds = 6, .exploit_fraction = 0.4};
    auto proposals = [&](std::uint64_t seed) {
        PbtStrategy s = make(options, seed);
        Driver driver{.workers = 3, .failures = true};
        driver.finish(s);
        return driver.run.asked;
    };
    CHECK(proposals(3) == proposals(3));
    CHECK(proposals(3) != proposals(4));
}

TEST_CASE("a saved state continues exactly, mid-run", "[pbt][state]") {
    const PbtOptions options{.population = 5, .rounds = 6, .exploit_fraction = 0.4, .resample_probability = 0.3};
    for (int results : {0, 1, 4, 9, 17, 23, 29}) {
        INFO("saved after " << results << " results");
        PbtStrategy original = make(options, 9);
        Driver driver{.workers = 3, .failures = true};
        for (int i = 0; i < results; ++i) REQUIRE(driver.step(original));
        driver.fill(original);
        const std::string state = original.save_state();

        PbtStrategy copy = make(options, 9);
        copy.load_state(state);
        CHECK(copy.save_state() == state);
        CHECK(copy.pending() == original.pending());
        CHECK(copy.inheritable() == original.inheritable());
        Driver copy_driver = driver;
        driver.finish(original);
        copy_driver.finish(copy);
        CHECK(copy_driver.run.asked == driver.run.asked);  // the remaining proposals, parents and members too
        CHECK(copy.save_state() == original.save_state());
    }
}

TEST_CASE("a resume may add rounds, not drop those proposed; a state of another population is refused",
          "[pbt][state]") {
    PbtStrategy s = make({.population = 3, .rounds = 2});
    Driver driver;
    driver.finish(s);
    const std::string state = s.save_state();

    PbtStrategy longer = make({.population = 3, .rounds = 4});
    longer.load_state(state);
    CHECK_FALSE(longer.exhausted());
    CHECK(longer.planned_evaluations() == 12);
    Driver more = driver;
    more.finish(longer);
    CHECK(more.run.asked.size() == 12);
    CHECK(longer.exhausted());
    for (std::size_t i = 6; i < 12; ++i) CHECK(more.run.asked[i].generation >= 2);

    PbtStrategy shorter = make({.population = 3, .rounds = 1});
    CHECK_THROWS_WITH(shorter.load_state(state), Catch::Contains("beyond rounds"));
    PbtStrategy wider = make({.population = 4, .rounds = 2});
    CHECK_THROWS_WITH(wider.load_state(state), Catch::Contains("population"));
}

TEST_CASE("options are checked", "[pbt]") {
    CHECK_THROWS_WITH(make({.population = 0}), Catch::Contains("population"));
    CHECK_THROWS_WITH(make({.rounds = 0}), Catch::Contains("rounds"));
    CHECK_THROWS_WITH(make({.exploit_fraction = 0.6}), Catch::Contains("exploit_fraction"));
    CHECK_THROWS_WITH(make({.exploit_fraction = -0.1}), Catch::Contains("exploit_fraction"));
    CHECK_THROWS_WITH(make({.resample_probability = 1.5}), Catch::Contains("resample_probability"));
    CHECK_THROWS_AS(make({.population = 1'000'000, .rounds = 2'000'000'000}), std::invalid_argument);
    CHECK_NOTHROW(make({.population = 1, .rounds = 1}));
}

TEST_CASE("each round is reported once every member has been told it", "[pbt]") {
    struct Rounds : StrategyObserver {
        std::vector<GenerationSummary> seen;
        void on_generation_end(const GenerationSummary& s) override { seen.push_back(s); }
    } rounds;
    PbtStrategy s = make({.population = 3, .rounds = 2, .exploit_fraction = 0});
    s.set_observer(&rounds);
    const auto r0 = s.ask(3);
    s.tell(result(r0[0], 4.0));
    const Proposal m0 = s.ask(3).at(0);
    s.tell(result(m0, 1.0));  // member 0's round 1 before the others' round 0
    s.tell(result(r0[1], 2.0, TrialStatus::failed));
    CHECK(rounds.seen.empty());
    s.tell(result(r0[2], 6.0));
    REQUIRE(rounds.seen.size() == 1);
    const GenerationSummary& first = rounds.seen[0];
    CHECK(first.generation == 0);
    REQUIRE(first.demes.size() == 1);
    CHECK(first.demes[0].evaluated == 3);
    CHECK(first.demes[0].failed == 1);
    CHECK(first.demes[0].best_fom == 4.0);
    CHECK(first.demes[0].mean_fom == 5.0);
    CHECK(first.global_best_fom == 1.0);  // member 0's round 1 already counts for the run
    const auto rest = s.ask(3);
    REQUIRE(rest.size() == 2);
    s.tell(result(rest[0], 3.0, TrialStatus::pruned));
    s.tell(result(rest[1], 0.5));
    REQUIRE(rounds.seen.size() == 2);
    CHECK(rounds.seen[1].generation == 1);
    CHECK(rounds.seen[1].demes[0].pruned == 1);
    CHECK(rounds.seen[1].demes[0].best_fom == 0.5);
    CHECK(rounds.seen[1].demes[0].mean_fom == 0.75);
    CHECK(rounds.seen[1].global_best_fom == 0.5);
}
