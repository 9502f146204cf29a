// The genetic strategy's lineage (@checkpoint, the seed's PBT): which trial's checkpoint each
// child starts from (`Proposal::parent`), gens_per_epoch, inheritable(), and the saved state.
//
// The strategy does not say whom it bred a child from, so the tests find out from the genes: with
// no crossover and no mutation a child is its parent but for the one gene ensure_differs changes.
// In a space of many continuous parameters that identifies the parent of nearly every child.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "hpo/space/parse.hpp"
#include "hpo/strategy/genetic.hpp"
#include "genetic_state_versions.hpp"
#include "test_strategy_support.hpp"

using namespace hpo;
using Catch::Matchers::Contains;

namespace {

constexpr int dimensions = 16;

SearchSpace wide_space() {
    std::vector<std::string> specs;
    for (int i = 0; i < dimensions; ++i)
        specs.push_back("--x" + std::to_string(i) + " " + std::to_string(0.05 * (i % 7)) + " [-1.0,1.0]");
    return parse_search_space(specs);
}

// A loss with no slope to follow, a function of the genes all the same: selection then picks
// many different parents, and the lineage has many branches to check.
double scrambled(const Point& v) {
    double sum = 0;
    for (std::size_t i = 0; i < v.size(); ++i) sum += v[i] * static_cast<double>(i + 1);
    const double x = std::sin(sum * 12.9898) * 43758.5453;
    return x - std::floor(x);
}

// Deterministic: every 7th trial fails (failures are parents too), the others score scrambled().
Trial evaluate(const Proposal& p) {
    if (p.id % 7 == 6) return strategy_test::told(p, std::numeric_limits<double>::quiet_NaN(), TrialStatus::failed);
    return strategy_test::told(p, scrambled(p.values));
}

GeneticOptions options(GeneticMode mode, int gens_per_epoch, double crossover, double mutation) {
    GeneticOptions o;
    o.generations = 7;
    o.pop_size = 6;
    o.num_demes = 1;
    o.elites = 1;
    o.mode = mode;
    o.gens_per_epoch = gens_per_epoch;
    o.crossover_rate = crossover;
    o.mutation_rate = mutation;
    return o;
}

// The ranking the strategy selects by (genetic.cpp): ok trials by loss, then failed ones; ties to
// the older trial. No trial here is pruned.
bool fitter(const Trial& a, const Trial& b) {
    if (a.ok() != b.ok()) return a.ok();
    if (a.ok() && a.fom != b.fom) return a.fom < b.fom;
    return a.id < b.id;
}

std::size_t differing_genes(const Point& a, const Point& b) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
    return n;
}

struct Run {
    std::vector<Proposal> proposals;
    std::map<TrialId, Trial> told;
    std::map<TrialId, std::size_t> told_before;  // a proposal's id: how many trials were told when it was asked
    std::vector<Trial> told_order;
};

// Asks in batches of `batch` and tells each batch in id order, to the end. `each_ask` sees the
// strategy before every ask; `each_tell` after every tell.
template <class BeforeAsk, class AfterTell>
Run drive(GeneticStrategy& strategy, std::size_t batch, BeforeAsk each_ask, AfterTell each_tell) {
    Run run;
    for (int guard = 0; guard < 10000; ++guard) {
        each_ask(strategy);
        const auto got = strategy.ask(batch);
        if (got.empty()) break;
        for (const Proposal& p : got) {
            run.proposals.push_back(p);
            run.told_before[p.id] = run.told_order.size();
        }
        for (const Proposal& p : got) {
            const Trial t = evaluate(p);
            strategy.tell(t);
            run.told.emplace(t.id, t);
            run.told_order.push_back(t);
            each_tell(strategy, t);
        }
    }
    REQUIRE(strategy.exhausted());
    return run;
}

Run drive(GeneticStrategy& strategy, std::size_t batch) {
    return drive(strategy, batch, [](const GeneticStrategy&) {}, [](const GeneticStrategy&, const Trial&) {});
}

// The trials told before `p` was asked: whom it may have been bred from.
std::vector<const Trial*> earlier(const Run& run, const Proposal& p) {
    std::vector<const Trial*> out;
    const std::size_t n = run.told_before.at(p.id);
    for (std::size_t i = 0; i < n; ++i) out.push_back(&run.told_order[i]);
    return out;
}

}  // namespace

TEST_CASE("genetic lineage: gens_per_epoch must be >= 1, with a clear message", "[genetic][checkpoint]") {
    GeneticOptions o;
    o.gens_per_epoch = 0;
    CHECK_THROWS_AS(GeneticStrategy(wide_space(), o), std::invalid_argument);
    CHECK_THROWS_WITH(GeneticStrategy(wide_space(), o), Contains("gens_per_epoch must be >= 1 (got 0)"));
    o.gens_per_epoch = -2;
    CHECK_THROWS_WITH(o.check(), Contains("gens_per_epoch must be >= 1 (got -2)"));
    CHECK(GeneticOptions{}.gens_per_epoch == 1);
}

TEST_CASE("genetic lineage: gens-per-epoch is a row of the options table", "[genetic][checkpoint]") {
    const auto& table = GeneticOptions::table();
    const auto row = std::find_if(table.begin(), table.end(), [](const auto& r) { return r.flag == "gens-per-epoch"; });
    REQUIRE(row != table.end());
    CHECK(row->keyword == "gens_per_epoch");
}

TEST_CASE("genetic lineage: generation 0 starts from no checkpoint", "[genetic][checkpoint]") {
    for (auto mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        INFO(to_string(mode));
        GeneticStrategy strategy(wide_space(), options(mode, 1, 0.5, 0.2));
        const Run run = drive(strategy, 4);
        std::size_t generation0 = 0, with_parent = 0;
        for (const Proposal& p : run.proposals) {
            if (p.generation == 0) {
                ++generation0;
                CHECK_FALSE(p.parent.has_value());
            } else {
                with_parent += p.parent.has_value();
            }
        }
        CHECK(generation0 == 6);
        CHECK(with_parent == run.proposals.size() - generation0);  // gens_per_epoch 1: every child has one
    }
}

// A recombined child (crossover rate 1) is the weighted mean of its deme's fitter half, to which
// the fittest member always belongs: it starts from that member's checkpoint. The fittest member
// is the best trial bred from so far: elites keep it (generational), and a steady-state child
// only ever replaces the worst member.
TEST_CASE("genetic lineage: a recombined child starts from the fittest member's checkpoint", "[genetic][checkpoint]") {
    for (auto mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        INFO(to_string(mode));
        GeneticOptions o = options(mode, 1, /*crossover=*/1.0, /*mutation=*/0.0);
        o.generations = 4;
        o.pop_size = 8;
        GeneticStrategy strategy(wide_space(), o);
        const Run run = drive(strategy, mode == GeneticMode::generational ? 4 : 1);
        std::size_t children = 0, blended = 0;
        for (const Proposal& child : run.proposals) {
            if (child.generation == 0) continue;
            INFO("trial " << child.id << ", generation " << child.generation);
            ++children;
            // Whom it was bred from: in generational mode the earlier generations (a child of
            // generation g is bred when g - 1 ends, before any of g is told), in steady-state
            // mode every trial told before it was asked.
            const Trial* fittest = nullptr;
            for (const Trial* t : earlier(run, child))
                if ((mode == GeneticMode::steady_state || t->generation < child.generation) &&
                    (!fittest || fitter(*t, *fittest)))
                    fittest = t;
            REQUIRE(fittest != nullptr);
            REQUIRE(child.parent.has_value());
            CHECK(*child.parent == fittest->id);
            // A mean of several members, not a copy of one with a gene moved.
            blended += differing_genes(child.values, fittest->values) > 1;
        }
        CHECK(children > 0);
        CHECK(blended * 10 >= children * 9);
    }
}

// With no crossover and no mutation a child is its only parent with one gene changed. Its
// checkpoint: that parent's at a generation that is a multiple of gens_per_epoch, else the one
// that parent started from.
TEST_CASE("genetic lineage: a mutated child starts from its parent's checkpoint, or its grandparent's between epochs",
          "[genetic][checkpoint]") {
    for (auto mode : {GeneticMode::generational, GeneticMode::steady_state})
        for (int gens_per_epoch : {1, 2, 3}) {
            INFO(to_string(mode) << ", gens_per_epoch " << gens_per_epoch);
            GeneticStrategy strategy(wide_space(), options(mode, gens_per_epoch, /*crossover=*/0.0, /*mutation=*/0.0));
            const Run run = drive(strategy, mode == GeneticMode::generational ? 4 : 1);
            std::size_t identified = 0, from_grandparent = 0, from_none = 0;
            for (const Proposal& child : run.proposals) {
                if (child.generation == 0) continue;
                INFO("trial " << child.id << ", generation " << child.generation);
                std::set<std::optional<TrialId>> expected;
                for (const Trial* p : earlier(run, child))
                    if (differing_genes(child.values, p->values) == 1)
                        expected.insert(child.generation % gens_per_epoch == 0 ? std::optional<TrialId>(p->id)
                                                                               : p->parent);
                REQUIRE_FALSE(expected.empty());
                CHECK(expected.count(child.parent) == 1);
                if (expected.size() != 1) continue;
                ++identified;
                if (child.generation % gens_per_epoch != 0) {
                    if (child.parent) ++from_grandparent;
                    else ++from_none;
                }
            }
            CHECK(identified * 2 > run.proposals.size() - 6);
            if (gens_per_epoch > 1) {
                CHECK(from_none > 0);         // generation 1: its parent started from none
                CHECK(from_grandparent > 0);  // later: the checkpoint the parent started from
            }
        }
}

TEST_CASE("genetic lineage: elites keep their trial and so their checkpoint", "[genetic][checkpoint]") {
    GeneticStrategy strategy(wide_space(), options(GeneticMode::generational, 1, 0.5, 0.2));
    std::map<int, std::vector<TrialId>> inheritable_at;  // generation asked -> inheritable() then
    int generation = -1;
    const Run run = drive(
        strategy, 3,
        [&](const GeneticStrategy& s) { inheritable_at[generation] = s.inheritable(); },
        [&](const GeneticStrategy&, const Trial& t) { generation = std::max(generation, t.generation); });
    // Never proposed again: a generational run makes pop + (generations - 1) * (pop - elites) proposals.
    CHECK(run.proposals.size() == 6 + 6 * 5);
    std::set<TrialId> ids;
    for (const Proposal& p : run.proposals) CHECK(ids.insert(p.id).second);
    // After each generation the best trial so far is an elite of the next: its directory is
    // still inheritable, and the children may start from it, although it is generations old.
    std::size_t old_parents = 0;
    for (const Proposal& p : run.proposals) {
        if (p.parent) old_parents += run.told.at(*p.parent).generation + 1 < p.generation;
    }
    for (int g = 0; g + 1 < 7; ++g) {
        const Trial* best = nullptr;
        for (const auto& [id, t] : run.told)
            if (t.generation <= g && (!best || fitter(t, *best))) best = &t;
        REQUIRE(best);
        INFO("after generation " << g << ", best trial " << best->id);
        const auto& inheritable = inheritable_at[g];
        CHECK(std::find(inheritable.begin(), inheritable.end(), best->id) != inheritable.end());
    }
    CHECK(old_parents > 0);
}

// The driver removes the directories of told trials that are not inheritable() (with
// --keep-checkpoints live), looking after every result: every proposal's parent must be
// inheritable when it is asked, and must have stayed so since it was told.
TEST_CASE("genetic lineage: inheritable() covers every parent of every later proposal", "[genetic][checkpoint]") {
    for (auto mode : {GeneticMode::generational, GeneticMode::steady_state})
        for (int gens_per_epoch : {1, 2, 3}) {
            INFO(to_string(mode) << ", gens_per_epoch " << gens_per_epoch);
            GeneticOptions o = options(mode, gens_per_epoch, 0.5, 0.3);
            o.num_demes = 2;
            o.migration_interval = 2;
            GeneticStrategy strategy(wide_space(), o);
            std::set<TrialId> told, removed;
            std::vector<TrialId> live;
            auto clean_up = [&] {
                live = strategy.inheritable();
                for (TrialId id : live) CHECK(told.count(id) == 1);  // only told trials have written one
                for (TrialId id : told)
                    if (std::find(live.begin(), live.end(), id) == live.end()) removed.insert(id);
            };
            std::size_t parents = 0, asked = 0;
            const std::size_t batch = mode == GeneticMode::generational ? 5 : 3;
            for (int guard = 0; guard < 10000; ++guard) {
                const auto got = strategy.ask(batch);
                if (got.empty()) break;
                for (const Proposal& p : got) {
                    ++asked;
                    if (!p.parent) continue;
                    ++parents;
                    INFO("trial " << p.id << " starts from " << *p.parent);
                    CHECK(std::find(live.begin(), live.end(), *p.parent) != live.end());
                    CHECK(removed.count(*p.parent) == 0);
                }
                for (const Proposal& p : got) {
                    strategy.tell(evaluate(p));
                    told.insert(p.id);
                    clean_up();
                }
            }
            REQUIRE(strategy.exhausted());
            CHECK(asked == strategy.planned_evaluations());
            CHECK(parents > 0);
            CHECK_FALSE(removed.empty());  // not everything stays: directories do get freed
        }
}

TEST_CASE("genetic lineage: the saved state keeps parents, pending ones included", "[genetic][checkpoint][state]") {
    for (auto mode : {GeneticMode::generational, GeneticMode::steady_state}) {
        INFO(to_string(mode));
        const GeneticOptions o = options(mode, 2, 0.5, 0.3);
        GeneticStrategy uninterrupted(wide_space(), o);
        const Run all = drive(uninterrupted, 1);

        // Stop with children pending, as a kill would.
        GeneticStrategy first(wide_space(), o);
        std::vector<Proposal> asked;
        std::vector<Trial> told;  // the checkpoint's trials
        while (asked.size() < 16) {
            const auto got = first.ask(1);
            REQUIRE(got.size() == 1);
            asked.push_back(got[0]);
            if (asked.size() <= 14) {  // the last two stay pending
                told.push_back(evaluate(got[0]));
                first.tell(told.back());
            }
        }
        const auto pending = first.pending();
        REQUIRE(pending.size() == 2);
        CHECK(std::any_of(pending.begin(), pending.end(), [](const Proposal& p) { return p.parent.has_value(); }));
        for (std::size_t i = 0; i < pending.size(); ++i) CHECK(pending[i] == asked[14 + i]);

        GeneticStrategy resumed(wide_space(), o);
        resumed.restore(first.save_state(), told);
        CHECK(resumed.save_state() == first.save_state());
        CHECK(resumed.pending() == pending);
        CHECK(resumed.inheritable() == first.inheritable());
        for (const Proposal& p : pending) resumed.tell(evaluate(p));
        const Run rest = drive(resumed, 1);
        asked.insert(asked.end(), rest.proposals.begin(), rest.proposals.end());
        CHECK(asked == all.proposals);  // parents included
    }
}

// A state saved before parents were kept (version 2) loads with none.
TEST_CASE("genetic lineage: an older state loads with no parents", "[genetic][checkpoint][state]") {
    const GeneticOptions o = options(GeneticMode::generational, 1, 0.5, 0.3);
    GeneticStrategy source(wide_space(), o);
    for (const Proposal& p : source.ask(6)) source.tell(evaluate(p));  // generation 0; 1 is bred
    const std::string state = source.save_state();
    CHECK_FALSE(source.inheritable().empty());  // the elite, and the parents of generation 1 (often the elite too)
    bool had_parent = false;
    const std::string old = strategy_test::genetic_version_2(strategy_test::genetic_version_3(state), had_parent);
    REQUIRE(had_parent);
    GeneticStrategy loaded(wide_space(), o);
    loaded.load_state(old);
    const auto proposals = loaded.ask(100);
    REQUIRE_FALSE(proposals.empty());
    for (const Proposal& p : proposals) CHECK_FALSE(p.parent.has_value());  // the new generation's: none
    CHECK(loaded.inheritable().size() == 1);  // the elite alone: its children know no parents
}

TEST_CASE("genetic lineage: a state naming a parent never proposed is rejected", "[genetic][checkpoint][state]") {
    const GeneticOptions o = options(GeneticMode::steady_state, 1, 0.5, 0.3);
    GeneticStrategy source(wide_space(), o);
    for (int i = 0; i < 8; ++i)
        for (const Proposal& p : source.ask(1)) source.tell(evaluate(p));
    const auto pending = source.ask(1);
    REQUIRE(pending.size() == 1);
    REQUIRE(pending[0].parent.has_value());
    std::string state = source.save_state();
    const std::string child = " child " + std::to_string(*pending[0].parent) + " ";
    const std::size_t at = state.find(child);
    REQUIRE(at != std::string::npos);
    state.replace(at, child.size(), " child 999 ");
    GeneticStrategy target(wide_space(), o);
    CHECK_THROWS_WITH(target.load_state(state), Contains("the parent trial 999 was never proposed"));
}
