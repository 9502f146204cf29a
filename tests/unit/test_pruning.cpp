// The pruning rules as values (docs/pruning.md): rungs and promotion with ties, the small-n rule,
// failed trials, Hyperband's brackets, the median rule, replay, wants, the options; and a
// simulation of 50 trials whose pruned set is checked against a brute-force reading of the rules.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "hpo/prune/pruner.hpp"
#include "hpo/prune/rungs.hpp"

using namespace hpo;

namespace {

PruneOptions asha(int r, int eta, int max_steps) {
    PruneOptions o;
    o.prune = PruneRule::asha;
    o.min_steps = r;
    o.reduction_factor = eta;
    o.max_steps = max_steps;
    return o;
}

PruneOptions median(int warmup, int min_trials) {
    PruneOptions o;
    o.prune = PruneRule::median;
    o.median_warmup_steps = warmup;
    o.median_min_trials = min_trials;
    return o;
}

std::string check_message(const PruneOptions& o) {
    try {
        o.check();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

const double not_a_number = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST_CASE("prune options: defaults pass, each bad value is named") {
    CHECK(check_message(PruneOptions{}).empty());
    PruneOptions o;
    o.reduction_factor = 1;
    CHECK_THAT(check_message(o), Catch::Contains("reduction_factor") && Catch::Contains("got 1"));
    o = PruneOptions{};
    o.min_steps = 0;
    CHECK_THAT(check_message(o), Catch::Contains("min_steps"));
    o = PruneOptions{};
    o.max_steps = -1;
    CHECK_THAT(check_message(o), Catch::Contains("max_steps"));
    o = PruneOptions{};
    o.median_warmup_steps = -2;
    CHECK_THAT(check_message(o), Catch::Contains("median_warmup_steps"));
    o = PruneOptions{};
    o.median_min_trials = 0;
    CHECK_THAT(check_message(o), Catch::Contains("median_min_trials"));
    o = PruneOptions{};
    o.median_interval = 0;
    CHECK_THAT(check_message(o), Catch::Contains("median_interval"));
    o = PruneOptions{};
    o.prune = PruneRule::hyperband;
    CHECK_THAT(check_message(o), Catch::Contains("hyperband needs max_steps"));
    CHECK_THAT(check_message(asha(10, 3, 10)), Catch::Contains("min_steps must be < max_steps"));
    CHECK(check_message(asha(1, 3, 0)).empty());  // asha with an unknown R: rungs without a top
    PruneOptions m = median(0, 5);
    m.min_steps = 50;
    m.max_steps = 10;  // r means nothing to the median rule
    CHECK(check_message(m).empty());
    CHECK_THROWS_AS(make_pruner(asha(0, 3, 27)), std::invalid_argument);
}

TEST_CASE("prune options: the table names every option once, and reads back each value") {
    const auto& table = PruneOptions::table();
    std::set<std::string> flags;
    for (const auto& field : table) flags.insert(std::string(field.flag));
    CHECK(flags == std::set<std::string>{"prune", "max-steps", "min-steps", "reduction-factor", "median-warmup-steps",
                                         "median-min-trials", "median-interval"});
    CHECK(flags.size() == table.size());
    PruneOptions o;
    for (const auto& field : table) {
        if (field.flag == "prune") field.set_text(o, "hyperband");
        if (field.flag == "max-steps") field.set_text(o, "81");
        if (field.flag == "min-steps") field.set_text(o, "2");
        if (field.flag == "reduction-factor") field.set_text(o, "4");
        if (field.flag == "median-warmup-steps") field.set_text(o, "7");
        if (field.flag == "median-min-trials") field.set_text(o, "9");
        if (field.flag == "median-interval") field.set_text(o, "3");
    }
    PruneOptions expected;
    expected.prune = PruneRule::hyperband;
    expected.max_steps = 81;
    expected.min_steps = 2;
    expected.reduction_factor = 4;
    expected.median_warmup_steps = 7;
    expected.median_min_trials = 9;
    expected.median_interval = 3;
    CHECK(o == expected);
    PruneOptions copy;
    for (const auto& field : table) field.set(copy, field.get(o));  // the checkpoint's way
    CHECK(copy == o);
    for (PruneRule rule : {PruneRule::none, PruneRule::median, PruneRule::asha, PruneRule::hyperband}) {
        CHECK(prune_rule_from_string(to_string(rule)) == rule);
    }
    CHECK_THROWS_WITH(prune_rule_from_string("sha"), Catch::Contains("'sha'") && Catch::Contains("asha"));
}

TEST_CASE("none: never stops, wants nothing") {
    auto p = make_pruner(PruneOptions{});
    for (TrialId id = 1; id <= 3; ++id) {
        for (int step = 1; step <= 30; ++step) {
            CHECK_FALSE(p->wants(id, step));
            CHECK_FALSE(p->report(id, step, static_cast<double>(id * 100 + step)));
        }
    }
}

TEST_CASE("rungs: r*eta^k, below max_steps, unbounded when it is unknown") {
    CHECK(rung_steps(1, 3, 27, 1000) == std::vector<int>{1, 3, 9});
    CHECK(rung_steps(1, 3, 28, 1000) == std::vector<int>{1, 3, 9, 27});
    CHECK(rung_steps(2, 2, 0, 40) == std::vector<int>{2, 4, 8, 16, 32});
    CHECK(rung_steps(5, 10, 0, 2'000'000'000) == std::vector<int>{5, 50, 500, 5000, 50000, 500000, 5000000, 50000000, 500000000});
    CHECK(rung_index(9, 1, 3, 27) == 2);
    CHECK(rung_index(27, 1, 3, 27) == -1);  // the last step decides nothing
    CHECK(rung_index(6, 1, 3, 0) == -1);
    CHECK(rung_index(1, 2, 3, 0) == -1);

    auto pruner = make_pruner(asha(1, 3, 27));
    std::vector<int> wanted;
    for (int step = 1; step <= 40; ++step) {
        if (pruner->wants(7, step)) wanted.push_back(step);
    }
    CHECK(wanted == std::vector<int>{1, 3, 9});
    // Values between rungs decide nothing.
    for (int step = 1; step <= 27; ++step) {
        const bool stop = pruner->report(1, step, 1.0);
        CHECK_FALSE(stop);
    }
    CHECK_FALSE(pruner->report(2, 2, 100.0));
}

TEST_CASE("asha: the top 1/eta of a rung go on; ties go on; the small-n rule") {
    auto p = make_pruner(asha(1, 3, 27));
    CHECK_FALSE(p->report(1, 1, 0.5));  // n=1: the best so far
    CHECK_FALSE(p->report(2, 1, 0.5));  // n=2 < eta: a tie with the best goes on
    CHECK(p->report(3, 1, 0.7));        // n=3, top 1: two are better
    CHECK_FALSE(p->report(4, 1, 0.5));  // n=4, top 1: none strictly better
    CHECK(p->report(5, 1, 0.6));        // n=5, top 1
    CHECK_FALSE(p->report(6, 1, 0.4));  // n=6, top 2
    CHECK_FALSE(p->report(7, 1, 0.5));  // n=7, top 2: one strictly better (0.4)
    CHECK(p->report(8, 1, 0.55));       // n=8, top 2: 0.4 and three 0.5s are better
    // Rungs are apart: trial 1 at rung 3 meets nobody.
    CHECK_FALSE(p->report(1, 3, 9.0));
    CHECK(p->report(2, 3, 10.0));  // n=2 < eta and not the best so far

    auto q = make_pruner(asha(1, 4, 0));
    CHECK_FALSE(q->report(1, 1, 1.0));
    CHECK(q->report(2, 1, 2.0));  // fewer than eta values: only a best-so-far goes on
    CHECK_FALSE(q->report(3, 1, 0.5));
    CHECK(q->report(4, 1, 0.7));  // n=4: top 1
    // NaN and infinities are the worst values.
    CHECK(q->report(5, 1, not_a_number));
    CHECK(q->report(6, 1, -std::numeric_limits<double>::infinity()));
}

TEST_CASE("asha: stopped, failed and finished trials") {
    auto p = make_pruner(asha(1, 2, 16));
    CHECK_FALSE(p->report(1, 1, 1.0));
    p->finish(1, false);  // it failed after rung 1: its value stays there
    CHECK(p->report(2, 1, 2.0));  // n=2, eta 2: top 1, and 1.0 is better
    auto fresh = make_pruner(asha(1, 2, 16));
    CHECK_FALSE(fresh->report(2, 1, 2.0));  // without trial 1's value it would go on

    // A late value of a stopped trial records nothing and keeps saying stop.
    CHECK(p->report(2, 2, 0.0));
    CHECK(p->report(2, 3, 0.0));
    CHECK_FALSE(p->wants(2, 2));
    // Nor does a finished trial's.
    CHECK_FALSE(p->report(1, 2, -5.0));
    CHECK_FALSE(p->wants(1, 2));
    CHECK_FALSE(p->report(3, 2, 1.0));  // rung 2 is still empty: n=1
    CHECK(p->report(4, 2, 1.5));

    // Steps count from 1 and go forward.
    CHECK_THROWS_WITH(p->report(9, 0, 1.0), Catch::Contains("steps count from 1"));
    CHECK_FALSE(p->report(9, 3, 1.0));
    CHECK_THROWS_WITH(p->report(9, 3, 1.0), Catch::Contains("after step 3"));
    CHECK_THROWS(p->report(9, 2, 1.0));
}

TEST_CASE("restart: a trial that runs again (its worker lost) takes back the values it left") {
    auto p = make_pruner(asha(1, 2, 16));
    CHECK_FALSE(p->report(1, 1, 1.0));
    p->restart(1);
    CHECK_FALSE(p->report(2, 1, 2.0));  // alone at rung 1 again: trial 1's value was taken back
    CHECK_FALSE(p->report(1, 1, 1.0));  // step 1 again, now the best of two
    CHECK(p->report(3, 1, 1.5));        // n=3, top 1: trial 1's value counts once
    CHECK_FALSE(p->report(1, 2, 1.0));
    p->finish(1, true);
    CHECK_THROWS_WITH(p->restart(1), Catch::Contains("has ended"));

    auto m = make_pruner(median(0, 1));
    CHECK_FALSE(m->report(1, 1, 5.0));
    m->restart(1);
    CHECK_FALSE(m->report(1, 1, 1.0));
    m->finish(1, true);
    CHECK(m->report(2, 1, 3.0));  // the median at step 1 is the rerun's 1.0 alone
}

TEST_CASE("hyperband: K+1 brackets, shares as the original, a deterministic spread of ids") {
    PruneOptions o = asha(1, 3, 27);
    o.prune = PruneRule::hyperband;
    CHECK(hyperband_brackets(o) == 4);
    CHECK(hyperband_shares(o) == std::vector<std::uint64_t>{27, 12, 6, 4});
    for (TrialId start : {TrialId{0}, TrialId{49}, TrialId{1000}}) {
        std::map<int, int> count;
        for (TrialId id = start; id < start + 49; ++id) ++count[hyperband_bracket(o, id)];
        CHECK(count == std::map<int, int>{{0, 27}, {1, 12}, {2, 6}, {3, 4}});
    }
    std::set<int> first_ten;
    for (TrialId id = 1; id <= 10; ++id) first_ten.insert(hyperband_bracket(o, id));
    CHECK(first_ten.size() >= 3);  // spread out, not 27 of bracket 0 in a row

    auto p = make_pruner(o);
    for (TrialId id = 0; id < 49; ++id) {
        const int b = hyperband_bracket(o, id);
        std::vector<int> wanted;
        for (int step = 1; step <= 30; ++step) {
            if (p->wants(id, step)) wanted.push_back(step);
        }
        const std::vector<std::vector<int>> expected = {{1, 3, 9}, {3, 9}, {9}, {}};
        CHECK(wanted == expected[b]);
    }
    // Brackets do not compete: a bad value in bracket 1 is alone at its rung 3.
    TrialId in0a = 0, in0b = 0, in1 = 0;
    for (TrialId id = 1; in0b == 0 || in1 == 0; ++id) {
        const int b = hyperband_bracket(o, id);
        if (b == 0 && in0a == 0) in0a = id;
        else if (b == 0 && in0b == 0) in0b = id;
        if (b == 1 && in1 == 0) in1 = id;
    }
    CHECK_FALSE(p->report(in0a, 3, 1.0));
    CHECK(p->report(in0b, 3, 2.0));
    CHECK_FALSE(p->report(in1, 3, 5.0));

    PruneOptions wide = asha(1, 2, 1 << 30);  // long ladders stay exact
    wide.prune = PruneRule::hyperband;
    CHECK(hyperband_brackets(wide) == 31);
    const auto shares = hyperband_shares(wide);
    CHECK(shares.front() == (std::uint64_t{1} << 30));
    CHECK(hyperband_bracket(wide, 123456789) == hyperband_bracket(wide, 123456789));
}

TEST_CASE("median: warm-up, trials completed first, the median of the completed at that step") {
    auto p = make_pruner(median(2, 2));
    CHECK_FALSE(p->wants(1, 2));
    CHECK(p->wants(1, 3));
    // Trial 1 completes: 1.0 at every step. Only one trial completed: nothing stops yet.
    for (int step = 1; step <= 5; ++step) CHECK_FALSE(p->report(1, step, 1.0));
    p->finish(1, true);
    for (int step = 1; step <= 5; ++step) CHECK_FALSE(p->report(10, step, 100.0));
    // A failed trial and a pruned trial do not count as completed.
    CHECK_FALSE(p->report(2, 3, 0.0));
    p->finish(2, false);
    for (int step = 1; step <= 4; ++step) CHECK_FALSE(p->report(11, step, 50.0));
    // Trial 3 completes with 3.0 at steps 1..4: the median at steps 3 and 4 is 2.0 now.
    for (int step = 1; step <= 4; ++step) CHECK_FALSE(p->report(3, step, 3.0));
    p->finish(3, true);
    CHECK_FALSE(p->report(4, 1, 99.0));  // warm-up
    CHECK_FALSE(p->report(4, 2, 99.0));
    CHECK_FALSE(p->report(4, 3, 2.0));  // equal to the median: goes on
    CHECK(p->report(4, 4, 2.5));
    p->finish(4, true);  // a trial it stopped never becomes a completed one
    CHECK_FALSE(p->report(5, 5, 1.0));   // at step 5 only trial 1 has a value: median 1.0
    CHECK(p->report(6, 5, 1.5));
    CHECK_FALSE(p->report(7, 9, 1e9));  // nobody completed has reached step 9
    CHECK(p->report(8, 3, not_a_number));        // NaN is the worst value
}

TEST_CASE("median: with an interval it decides, and wants values, only at multiples of it") {
    PruneOptions o = median(0, 1);
    o.median_interval = 5;
    auto p = make_pruner(o);
    CHECK_FALSE(p->wants(1, 4));
    CHECK(p->wants(1, 5));
    CHECK_FALSE(p->wants(1, 7));
    CHECK(p->wants(1, 10));
    for (int step = 1; step <= 10; ++step) CHECK_FALSE(p->report(1, step, 1.0));
    p->finish(1, true);
    CHECK_FALSE(p->report(2, 4, 9.0));  // worse, but no decision at step 4
    CHECK(p->report(2, 5, 9.0));
}

namespace {

// One call of a pruner, for replays.
struct Call {
    bool finish = false;
    TrialId id = 0;
    int step = 0;
    double loss = 0;
    bool completed = true;
};

// A synthetic learning curve: loss = a + b / step, with ties (a on a coarse grid), a trial that
// reports NaN from step 4, one that fails at step 5.
double curve(TrialId id, int step) {
    if (id == 7 && step >= 4) return not_a_number;
    const double a = static_cast<double>((id * 37) % 11) / 10.0;
    const double b = static_cast<double>((id * 53) % 7) / 2.0;
    return a + b / step;
}

constexpr TrialId failing = 22;  // a good curve: it leaves values at the early rungs
constexpr int fail_step = 5;

struct Outcome {
    std::map<TrialId, int> stopped_at;  // pruned trials and the step they stopped at
    std::vector<Call> calls;            // what the pruner was told
    friend bool operator==(const Outcome&, const Outcome&) = default;
};

// Four workers run 50 trials of max_steps each, round robin one step at a time; a worker whose
// trial stops, fails or ends takes the next trial. `decide` is asked about the steps `filter`
// keeps; `finish` hears each end.
Outcome simulate(int max_steps, const std::function<bool(TrialId, int, double)>& decide,
                 const std::function<void(TrialId, bool)>& finish, const std::function<bool(TrialId, int)>& filter) {
    Outcome out;
    TrialId next = 1;
    struct Slot { TrialId id = 0; int step = 0; };
    std::vector<Slot> slots(4);
    for (auto& slot : slots) slot.id = next++;
    for (bool busy = true; busy;) {
        busy = false;
        for (auto& slot : slots) {
            if (slot.id == 0) continue;
            busy = true;
            ++slot.step;
            bool ended = false;
            if (slot.id == failing && slot.step == fail_step) {
                finish(slot.id, false);
                out.calls.push_back({true, slot.id, 0, 0, false});
                ended = true;
            } else {
                const double loss = curve(slot.id, slot.step);
                if (filter(slot.id, slot.step)) {
                    out.calls.push_back({false, slot.id, slot.step, loss, true});
                    if (decide(slot.id, slot.step, loss)) {
                        out.stopped_at[slot.id] = slot.step;
                        finish(slot.id, false);
                        out.calls.push_back({true, slot.id, 0, 0, false});
                        ended = true;
                    }
                }
                if (!ended && slot.step == max_steps) {
                    finish(slot.id, true);
                    out.calls.push_back({true, slot.id, 0, 0, true});
                    ended = true;
                }
            }
            if (ended) {
                slot.id = next <= 50 ? next++ : 0;
                slot.step = 0;
            }
        }
    }
    return out;
}

Outcome with_pruner(const PruneOptions& options, bool only_wanted) {
    auto pruner = make_pruner(options);
    return simulate(
        options.max_steps, [&](TrialId id, int step, double loss) { return pruner->report(id, step, loss); },
        [&](TrialId id, bool ok) { pruner->finish(id, ok); },
        [&](TrialId id, int step) { return !only_wanted || pruner->wants(id, step); });
}

double worst_if_not_finite(double x) { return std::isfinite(x) ? x : std::numeric_limits<double>::infinity(); }

// ASHA/Hyperband read plainly: the values at each rung in a list; go on when fewer than
// max(1, n / eta) of the n values there (this one included) are strictly better.
Outcome brute_asha(const PruneOptions& o) {
    std::map<std::pair<int, int>, std::vector<double>> at;  // (bracket, rung step) -> values
    auto first_rung = [&](TrialId id) {
        int first = o.min_steps;
        if (o.prune == PruneRule::hyperband) {
            for (int b = hyperband_bracket(o, id); b > 0; --b) first *= o.reduction_factor;
        }
        return first;
    };
    auto is_rung = [&](TrialId id, int step) {
        for (long s = first_rung(id); s < o.max_steps; s *= o.reduction_factor) {
            if (s == step) return true;
        }
        return false;
    };
    auto decide = [&](TrialId id, int step, double loss) {
        if (!is_rung(id, step)) return false;
        loss = worst_if_not_finite(loss);
        auto& values = at[{first_rung(id), step}];
        values.push_back(loss);
        const long better = std::count_if(values.begin(), values.end(), [&](double v) { return v < loss; });
        const long top = std::max<long>(1, static_cast<long>(values.size()) / o.reduction_factor);
        return !(better < top);
    };
    return simulate(o.max_steps, decide, [](TrialId, bool) {}, [](TrialId, int) { return true; });
}

// The median rule read plainly: every value of every trial kept; a trial is judged against
// the trials that ran to their end unstopped and without failing before this value.
Outcome brute_median(const PruneOptions& o) {
    std::map<TrialId, std::map<int, double>> values;
    std::set<TrialId> completed;
    std::set<TrialId> stopped;
    auto decide = [&](TrialId id, int step, double loss) {
        loss = worst_if_not_finite(loss);
        if (step % o.median_interval != 0) return false;  // neither kept nor judged
        values[id][step] = loss;
        if (step <= o.median_warmup_steps || static_cast<int>(completed.size()) < o.median_min_trials) return false;
        std::vector<double> there;
        for (TrialId c : completed) {
            if (values[c].count(step)) there.push_back(values[c][step]);
        }
        if (there.empty()) return false;
        std::sort(there.begin(), there.end());
        const std::size_t n = there.size();
        const double med = n % 2 ? there[n / 2] : (there[n / 2 - 1] + there[n / 2]) / 2;
        if (loss > med) stopped.insert(id);
        return loss > med;
    };
    auto finish = [&](TrialId id, bool ok) {
        if (ok && !stopped.count(id)) completed.insert(id);
    };
    return simulate(o.max_steps, decide, finish, [](TrialId, int) { return true; });
}

}  // namespace

TEST_CASE("simulation: 50 trials with known curves, pruned exactly as the rules say") {
    PruneOptions hb = asha(1, 3, 27);
    hb.prune = PruneRule::hyperband;
    PruneOptions med = median(2, 5);
    med.max_steps = 20;
    PruneOptions med_every_2 = med;
    med_every_2.median_interval = 2;
    for (const PruneOptions& o : {asha(1, 3, 27), asha(2, 2, 20), hb, med, med_every_2}) {
        INFO("rule " << to_string(o.prune) << " r " << o.min_steps << " eta " << o.reduction_factor);
        const Outcome expected = o.prune == PruneRule::median ? brute_median(o) : brute_asha(o);
        const Outcome all = with_pruner(o, false);
        CHECK(all.stopped_at == expected.stopped_at);
        // Dropping the values wants() says do not matter changes no decision (the flood rule).
        const Outcome wanted = with_pruner(o, true);
        CHECK(wanted.stopped_at == expected.stopped_at);
        CHECK(wanted.calls.size() <= all.calls.size());
        // Not a vacuous run: some stopped, some ran to the end, the NaN trial among the stopped.
        CHECK(expected.stopped_at.size() >= 5);
        CHECK(expected.stopped_at.size() <= 45);
        CHECK(expected.stopped_at.count(7) == 1);
        if (expected.stopped_at.count(failing)) CHECK(expected.stopped_at.at(failing) < fail_step);
    }
}

TEST_CASE("replay: a pruner rebuilt from the calls so far decides as the one that saw them") {
    PruneOptions hb = asha(1, 3, 27);
    hb.prune = PruneRule::hyperband;
    PruneOptions med = median(1, 3);
    med.max_steps = 20;
    for (const PruneOptions& o : {asha(1, 3, 27), hb, med}) {
        const Outcome run = with_pruner(o, true);
        REQUIRE(run.calls.size() > 20);
        for (std::size_t cut : {run.calls.size() / 3, run.calls.size() / 2, run.calls.size() - 5}) {
            auto original = make_pruner(o);
            auto rebuilt = make_pruner(o);
            auto apply = [](Pruner& p, const Call& c) {
                if (c.finish) {
                    p.finish(c.id, c.completed);
                    return false;
                }
                return p.report(c.id, c.step, c.loss);
            };
            for (std::size_t i = 0; i < cut; ++i) apply(*original, run.calls[i]);
            for (std::size_t i = 0; i < cut; ++i) apply(*rebuilt, run.calls[i]);
            for (std::size_t i = cut; i < run.calls.size(); ++i) {
                const Call& c = run.calls[i];
                if (!c.finish) CHECK(rebuilt->wants(c.id, c.step) == original->wants(c.id, c.step));
                CHECK(apply(*rebuilt, c) == apply(*original, c));
            }
        }
    }
}
