// The coordinator-worker protocol: every type that crosses the wire comes back whole through a
// Boost archive (each field set away from its default, so a field left out of its serialize
// function fails here), and every tag has a name.
#include <catch2/catch.hpp>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>

#include <cstddef>
#include <limits>
#include <set>
#include <sstream>

#include "hpo/dist/protocol.hpp"

using namespace hpo;

namespace {

// Converts to any member type: counts an aggregate's fields (the most initializers it takes), so
// that a field added to a type without being added to its serialize function and to the checks
// below fails this test instead of silently arriving as its default.
struct AnyField {
    template <class T>
    operator T() const;
};

template <class T, class... Fields>
constexpr std::size_t field_count() {
    if constexpr (requires { T{Fields{}..., AnyField{}}; }) {
        return field_count<T, Fields..., AnyField>();
    } else {
        return sizeof...(Fields);
    }
}

template <class T>
T round_trip(const T& value) {
    std::stringstream wire;
    {
        boost::archive::binary_oarchive out(wire);
        out << value;
    }
    T back{};
    boost::archive::binary_iarchive in(wire);
    in >> back;
    return back;
}

KernelConfig full_kernel_config() {
    KernelConfig c;
    c.command = {"python3", "train.py", "--epochs", "3"};
    c.fom_prefix = "val_loss=";
    c.timeout_seconds = 12.5;
    c.kill_grace_seconds = 0.25;
    c.run_dir = "/scratch/runs";
    c.stderr_tail_bytes = 99;
    c.output_limit_bytes = 12345;
    c.launcher = Launcher::mpirun;
    c.nodes_per_eval = 3;
    c.launch_args = {"--bind-to", "core"};
    c.echo_output = true;
    c.stage_paths = {"/data/set", "/home/me/src"};
    c.checkpoint_root = "/scratch/runs/checkpoints";
    return c;
}

Trial full_trial(TrialId id) {
    Trial t;
    t.id = id;
    t.deme = 3;
    t.generation = 7;
    t.values = {0.5, -2.0, 1e-3};
    t.parent = id - 1;
    t.member = 4;
    t.repeat_of = id - 2;
    t.repeat = 3;
    t.status = TrialStatus::timeout;
    t.fom = 1.25;
    t.steps = 12;
    t.exit_code = -1;
    t.signal = 9;
    t.start_time = 1.7e9;
    t.end_time = 1.7e9 + 3.5;
    t.host = "n[1-2]";
    t.worker = 5;
    t.message = "timed out after 3 s";
    return t;
}

}  // namespace

TEST_CASE("KernelConfig crosses the wire whole") {
    CHECK(field_count<KernelConfig>() == 13);
    const KernelConfig sent = full_kernel_config();
    REQUIRE_FALSE(sent == KernelConfig{});
    CHECK(round_trip(sent) == sent);
}

TEST_CASE("Trial crosses the wire whole") {
    CHECK(field_count<Trial>() == 18);
    const Trial sent = full_trial(42);
    CHECK(round_trip(sent) == sent);
    Trial without_parent = sent;  // an empty optional comes back empty, not as a stale value
    without_parent.parent.reset();
    CHECK(round_trip(without_parent) == without_parent);
    Trial original = sent;  // an original: no repeat_of
    original.repeat_of.reset();
    original.repeat = 0;
    CHECK(round_trip(original) == original);
}

TEST_CASE("WorkOrder crosses the wire whole") {
    CHECK(field_count<WorkOrder>() == 6);
    const WorkOrder sent{17, 2, 5, {"--lr=0.01", "--layers=3"}, 9, 2};
    CHECK(round_trip(sent) == sent);
    const WorkOrder fresh{18, 2, 5, {"--lr=0.02"}, std::nullopt};
    CHECK(round_trip(fresh) == fresh);
}

TEST_CASE("WorkResult crosses the wire whole, its KernelOutcome too") {
    CHECK(field_count<WorkResult>() == 7);
    CHECK(field_count<KernelOutcome>() == 8);
    WorkResult sent{23, 4, "n3", true, {}};
    sent.outcome.status = TrialStatus::bad_fom;
    sent.outcome.fom = -0.75;
    sent.outcome.steps = 4;
    sent.outcome.exit_code = 3;
    sent.outcome.signal = 15;
    sent.outcome.start_time = 100.5;
    sent.outcome.end_time = 102.25;
    sent.outcome.message = "FoM is not a number";
    sent.setup_failed = true;
    sent.progress_messages = 3;

    const WorkResult back = round_trip(sent);
    CHECK(back.trial_id == sent.trial_id);
    CHECK(back.worker == sent.worker);
    CHECK(back.host == sent.host);
    CHECK(back.stopped == sent.stopped);
    CHECK(back.outcome.status == sent.outcome.status);
    CHECK(back.outcome.fom == sent.outcome.fom);
    CHECK(back.outcome.steps == sent.outcome.steps);
    CHECK(back.outcome.exit_code == sent.outcome.exit_code);
    CHECK(back.outcome.signal == sent.outcome.signal);
    CHECK(back.outcome.start_time == sent.outcome.start_time);
    CHECK(back.outcome.end_time == sent.outcome.end_time);
    CHECK(back.outcome.message == sent.outcome.message);
    CHECK(back.setup_failed == sent.setup_failed);
    CHECK(back.progress_messages == sent.progress_messages);
}

TEST_CASE("RunResult crosses the wire whole, with and without a best trial") {
    CHECK(field_count<RunResult>() == 10);
    RunResult sent;
    sent.trials = {full_trial(1), full_trial(2)};
    sent.trials[1].status = TrialStatus::ok;
    sent.best = sent.trials[1];
    sent.interrupted = true;
    sent.stop_signal = 10;
    sent.workers = 63;
    sent.resumed_trials = 1;
    sent.coordinator_cpu_seconds = 0.125;
    sent.setup_error = "cannot create trial directory runs/5: a file is in the way";
    sent.lost_workers = {{2, "node7", 41, "no heartbeat for 30 s"}, {5, "node9", std::nullopt, "silent"}};
    sent.confirmed = hpo::Confirmation{2, 3, 0.5, 0.25, 0.25, 0.75, 2, 1, 1};

    const RunResult back = round_trip(sent);
    CHECK(back.trials == sent.trials);
    CHECK(back.best == sent.best);
    CHECK(back.interrupted == sent.interrupted);
    CHECK(back.stop_signal == sent.stop_signal);
    CHECK(back.workers == sent.workers);
    CHECK(back.resumed_trials == sent.resumed_trials);
    CHECK(back.coordinator_cpu_seconds == sent.coordinator_cpu_seconds);
    CHECK(back.setup_error == sent.setup_error);
    CHECK(back.confirmed == sent.confirmed);
    REQUIRE(back.lost_workers.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(back.lost_workers[i].worker == sent.lost_workers[i].worker);
        CHECK(back.lost_workers[i].node == sent.lost_workers[i].node);
        CHECK(back.lost_workers[i].trial == sent.lost_workers[i].trial);
        CHECK(back.lost_workers[i].reason == sent.lost_workers[i].reason);
    }

    // No best: none arrives, even into a result that had one.
    RunResult no_best = sent;
    no_best.best.reset();
    std::stringstream wire;
    {
        boost::archive::binary_oarchive out(wire);
        out << no_best;
    }
    RunResult into = sent;
    boost::archive::binary_iarchive in(wire);
    in >> into;
    CHECK_FALSE(into.best.has_value());
    CHECK(into.confirmed == sent.confirmed);
    CHECK(into.trials == sent.trials);
}

TEST_CASE("every tag has its own number and a name; other numbers are no tag") {
    std::set<int> numbers;
    std::set<std::string> names;
    for (Tag tag : all_tags) {
        numbers.insert(tag_number(tag));
        names.insert(tag_name(tag));
        CHECK(tag_from_number(tag_number(tag)) == tag);
        CHECK(tag_name(tag).find("unknown") == std::string::npos);
    }
    CHECK(numbers.size() == all_tags.size());
    CHECK(names.size() == all_tags.size());
    CHECK(tag_name(Tag::order) == "order");
    CHECK(tag_name(Tag::result) == "result");
    CHECK(tag_name(Tag::stop) == "stop");
    CHECK(tag_name(Tag::shutdown) == "shutdown");
    CHECK_FALSE(tag_from_number(0).has_value());
    CHECK_FALSE(tag_from_number(99).has_value());
    CHECK(tag_name(99) == "unknown tag 99");
}

TEST_CASE("make_trial fills every field of the trial from the proposal and the result") {
    const Trial expected = full_trial(42);
    const Proposal proposal{expected.id,     expected.deme,   expected.generation, expected.values,
                            expected.parent, expected.member, expected.repeat_of,  expected.repeat};
    WorkResult result{expected.id, expected.worker, expected.host, false, {}};
    result.outcome = {expected.status,     expected.fom,      expected.steps,  expected.exit_code,
                      expected.signal,     expected.start_time, expected.end_time, expected.message};
    CHECK(make_trial(proposal, result) == expected);
}

TEST_CASE("Progress crosses the wire whole, and the prune options with it") {
    CHECK(field_count<StepValue>() == 2);
    CHECK(field_count<Progress>() == 3);
    const Progress sent{77, 6, {{1, 0.5}, {3, -2.25}, {9, std::numeric_limits<double>::infinity()}}};
    CHECK(round_trip(sent) == sent);

    // Every option away from its default (a new one not sent would fail here: all go by the table).
    const PruneOptions options{PruneRule::hyperband, 81, 2, 4, 3, 7, 5};
    const PruneOptions defaults;
    for (const auto& field : PruneOptions::table()) CHECK(field.get(options) != field.get(defaults));
    CHECK(round_trip(options) == options);
    CHECK(tag_name(Tag::progress) == "progress");
    CHECK(tag_name(Tag::prune) == "prune");
}
