// The coordinator's side of pruning (src/dist/trial_pruning): what it records, and a resume that
// replays those records with the finished trials rebuilding the state the live run had.
#include <catch2/catch.hpp>

#include <cmath>
#include <tuple>
#include <vector>

#include "../../src/dist/trial_pruning.hpp"

using namespace hpo;

namespace {

PruneOptions asha() {
    PruneOptions o;
    o.prune = PruneRule::asha;
    o.max_steps = 27;
    return o;
}

Trial ended(TrialId id, TrialStatus status) {
    Trial t;
    t.id = id;
    t.status = status;
    return t;
}

// A live run's calls, kept as the checkpoint keeps them.
struct Log {
    std::vector<Trial> finished;
    std::vector<IntermediateValue> records;
};

bool report(TrialPruning& p, Log& log, TrialId id, int step, double value) {
    const auto verdict = p.report(id, {step, value}, log.finished.size());
    log.records.push_back(verdict.record);
    return verdict.stop;
}

void finish(TrialPruning& p, Log& log, const Trial& t) {
    p.finish(t);
    log.finished.push_back(t);
}

}  // namespace

TEST_CASE("records say what was reported, when, and after how many results") {
    TrialPruning p(asha(), false);
    Log log;
    CHECK_FALSE(report(p, log, 1, 1, 0.5));
    finish(p, log, ended(1, TrialStatus::ok));
    CHECK(report(p, log, 2, 1, 0.9));  // worse than the only value at rung 1: stopped
    REQUIRE(log.records.size() == 2);
    CHECK(log.records[1].trial == 2);
    CHECK(log.records[1].step == 1);
    CHECK(log.records[1].value == 0.9);
    CHECK(log.records[1].finished_before == 1);
    CHECK(log.records[1].time > 1.7e9);
}

TEST_CASE("maximizing: the pruner judges the negated value, the record keeps the value as printed") {
    TrialPruning p(asha(), true);
    Log log;
    CHECK_FALSE(report(p, log, 1, 1, 0.5));
    CHECK_FALSE(report(p, log, 2, 1, 0.9));  // larger is better now
    CHECK(report(p, log, 3, 1, 0.1));
    CHECK(log.records[2].value == 0.1);
}

TEST_CASE("a replay of the records and results rebuilds the state: the next decisions agree") {
    // The live run: trial 3 is running (its value at rung 1 recorded) when the run dies.
    TrialPruning live(asha(), false);
    Log log;
    report(live, log, 1, 1, 0.5);
    report(live, log, 1, 3, 0.4);
    finish(live, log, ended(1, TrialStatus::ok));
    report(live, log, 2, 1, 0.7);  // stopped at rung 1
    finish(live, log, ended(2, TrialStatus::pruned));
    report(live, log, 3, 1, 0.45);
    report(live, log, 4, 1, 0.2);
    finish(live, log, ended(4, TrialStatus::failed));  // failed after rung 1: its value stays

    TrialPruning resumed(asha(), false);
    const std::vector<Proposal> unfinished{{3, 0, 0, {}}};
    const auto marks = resumed.replay(log.finished, log.records, unfinished);
    // Trial 3 runs again: a restart mark for it, after every finished trial.
    REQUIRE(marks.size() == 1);
    CHECK(marks[0].trial == 3);
    CHECK(marks[0].step == 0);
    CHECK(std::isnan(marks[0].value));
    CHECK(marks[0].finished_before == 3);
    live.restart(3, 3);
    // From here both must decide alike, value for value.
    for (const auto& [id, step, value] : std::vector<std::tuple<TrialId, int, double>>{
             {3, 1, 0.45}, {3, 3, 0.41}, {5, 1, 0.3}, {6, 1, 0.25}, {5, 3, 0.5}, {7, 1, 0.9}, {6, 3, 0.35}}) {
        INFO("trial " << id << " step " << step);
        Log scratch;
        CHECK(report(live, scratch, id, step, value) == report(resumed, scratch, id, step, value));
    }
}

TEST_CASE("a replay honours restart marks and steps that start over without one") {
    TrialPruning live(asha(), false);
    Log log;
    report(live, log, 1, 1, 0.9);  // its worker is lost
    log.records.push_back(live.restart(1, 0));
    report(live, log, 1, 1, 0.1);  // the rerun: only this value stands at rung 1
    report(live, log, 2, 1, 0.5);  // so this one stops
    TrialPruning resumed(asha(), false);
    CHECK(resumed.replay(log.finished, log.records, {}).empty());
    Log scratch;
    CHECK(report(resumed, scratch, 3, 1, 0.3) == report(live, scratch, 3, 1, 0.3));

    // The mark missing (not committed before a crash): the step that does not increase says it.
    std::vector<IntermediateValue> without_mark{log.records[0], log.records[2], log.records[3]};
    TrialPruning again(asha(), false);
    again.replay({}, without_mark, {});
    CHECK(report(again, scratch, 3, 1, 0.3) == report(resumed, scratch, 3, 1, 0.3));
}
