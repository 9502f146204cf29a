// CheckpointKeeper (--keep-checkpoints live): which checkpoint directories stay, in real
// directories, with a test double of the ask/tell interface whose lineage the test controls; and a
// long lineage with commits and a kill -9, where no trial ever misses its parent's directory.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "../../src/run/checkpoint_keeper.hpp"
#include "hpo/dist/worker_layout.hpp"
#include "hpo/exec/checkpoint_dir.hpp"

namespace fs = std::filesystem;
using hpo::Proposal;
using hpo::Trial;
using hpo::TrialId;

namespace {

struct Scratch {
    fs::path root;
    Scratch() {
        static int count = 0;
        root = fs::temp_directory_path() / ("hpo-keeper-test-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
        fs::remove_all(root);
        fs::create_directories(root);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
    void make(const std::string& name) const {
        fs::create_directories(root / name);
        std::ofstream(root / name / "model.bin") << name;
    }
    std::set<std::string> entries() const {
        std::set<std::string> names;
        for (const auto& entry : fs::directory_iterator(root)) names.insert(entry.path().filename().string());
        return names;
    }
};

// What the keeper asks of a strategy, set by the test.
class FixedStrategy final : public hpo::Strategy {
public:
    std::vector<TrialId> inheritable_ids;
    std::vector<Proposal> pending_proposals;

    std::string_view name() const override { return "fixed"; }
    std::vector<Proposal> ask(std::size_t, int) override { return {}; }
    void tell(const Trial&) override {}
    bool exhausted() const override { return true; }
    std::size_t planned_evaluations() const override { return 0; }
    std::string save_state() const override { return ""; }
    void load_state(std::string_view) override {}
    std::vector<Proposal> pending() const override { return pending_proposals; }
    std::vector<TrialId> inheritable() const override { return inheritable_ids; }
};

Proposal proposal(TrialId id, std::optional<TrialId> parent) {
    Proposal p;
    p.id = id;
    p.parent = parent;
    return p;
}

Trial told(TrialId id, double fom) {
    Trial trial;
    trial.id = id;
    trial.fom = fom;
    return trial;
}

const hpo::WorkerLayout& layout() {
    static const hpo::WorkerLayout one = hpo::make_worker_layout({"node"}, 1);
    return one;
}

// A result as the coordinator passes it: every trial so far and the best (minimizing).
struct SoFar {
    hpo::RunResult result;
    const hpo::RunResult& add(const Trial& trial) {
        result.trials.push_back(trial);
        if (trial.ok() && (!result.best || hpo::better_trial(trial, *result.best, false))) result.best = trial;
        return result;
    }
};

}  // namespace

TEST_CASE("finished trials' directories go unless inheritable, a pending proposal's parent, or the best",
          "[checkpoint_keeper]") {
    Scratch scratch;
    FixedStrategy strategy;
    std::vector<std::string> warnings;
    hpo::CheckpointKeeper keeper(strategy, {scratch.root, std::nullopt, {}, [&](const std::string& w) { warnings.push_back(w); }});
    keeper.on_start(strategy, layout());

    SoFar so_far;
    for (TrialId id = 0; id < 6; ++id) scratch.make(std::to_string(id));
    scratch.make("6");  // running: pending, not told
    strategy.inheritable_ids = {2};
    strategy.pending_proposals = {proposal(6, TrialId{3})};
    const double foms[] = {5, 4, 3, 9, 1, 8};  // trial 4 is the best
    for (TrialId id = 0; id < 6; ++id) keeper.on_trial(told(id, foms[id]), so_far.add(told(id, foms[id])));
    CHECK(keeper.live() == std::set<TrialId>{2, 3, 4, 6});
    CHECK(scratch.entries() == std::set<std::string>{"2", "3", "4", "6"});

    // Trial 6 is told and better: the old best (4) and the parent no one waits for any more (3) go.
    strategy.pending_proposals.clear();
    keeper.on_trial(told(6, 0.5), so_far.add(told(6, 0.5)));
    CHECK(scratch.entries() == std::set<std::string>{"2", "6"});
    // What stays holds what the kernels wrote.
    CHECK(fs::exists(scratch.root / "2" / "model.bin"));
    CHECK(warnings.empty());
}

TEST_CASE("a failed best-less run keeps nothing it does not need, and --keep-checkpoints all is no keeper at all",
          "[checkpoint_keeper]") {
    Scratch scratch;
    FixedStrategy strategy;
    hpo::CheckpointKeeper keeper(strategy, {scratch.root, std::nullopt, {}, {}});
    keeper.on_start(strategy, layout());
    SoFar so_far;
    Trial failed = told(0, 0);
    failed.status = hpo::TrialStatus::crashed;
    scratch.make("0");
    keeper.on_trial(failed, so_far.add(failed));
    CHECK(scratch.entries().empty());
    // A trial that failed before its directory was made: nothing to remove, no warning.
    keeper.on_trial(told(1, 1), so_far.add(told(1, 1)));
    CHECK(keeper.live() == std::set<TrialId>{1});
}

TEST_CASE("what the checkpoint's last commit may start from stays until the next commit", "[checkpoint_keeper]") {
    Scratch scratch;
    FixedStrategy strategy;
    std::size_t commits = 0;
    hpo::CheckpointKeeper keeper(strategy, {scratch.root, std::nullopt, [&] { return commits; }, {}});
    scratch.make("0");
    strategy.inheritable_ids = {0};
    SoFar so_far;
    so_far.add(told(0, 1));
    keeper.on_start(strategy, layout());  // resumed at a commit where 0 was inheritable
    scratch.make("1");                    // trial 1 runs

    // Trial 1 replaces 0 in the strategy, and is the best; no commit yet: a kill -9 now resumes
    // from the state where 0 is inheritable.
    strategy.inheritable_ids = {1};
    keeper.on_trial(told(1, 0.5), so_far.add(told(1, 0.5)));
    CHECK(scratch.entries() == std::set<std::string>{"0", "1"});
    keeper.on_tick();
    CHECK(scratch.entries() == std::set<std::string>{"0", "1"});

    ++commits;  // the recorder committed the state where only 1 is inheritable
    keeper.on_tick();
    CHECK(scratch.entries() == std::set<std::string>{"1"});
}

TEST_CASE("the session's scan removes what is not live and partial copies, and leaves other names alone",
          "[checkpoint_keeper]") {
    Scratch scratch;
    for (const char* name : {"0", "1", "2", "3", "4", "5", "007", ".partial-6-4242"}) scratch.make(name);
    std::ofstream(scratch.root / "notes.txt") << "mine";
    FixedStrategy strategy;  // restored from the checkpoint
    strategy.inheritable_ids = {1};
    strategy.pending_proposals = {proposal(5, TrialId{0}), proposal(6, std::nullopt)};
    hpo::CheckpointKeeper keeper(strategy, {scratch.root, TrialId{3}, [] { return std::size_t{0}; }, {}});
    keeper.on_start(strategy, layout());
    CHECK(scratch.entries() == std::set<std::string>{"0", "1", "3", "5", "007", "notes.txt"});

    // A missing root (no trial ran yet) is nothing to scan.
    FixedStrategy fresh;
    hpo::CheckpointKeeper none(fresh, {scratch.root / "absent", std::nullopt, {}, {}});
    none.on_start(fresh, layout());
    CHECK_FALSE(fs::exists(scratch.root / "absent"));
}

TEST_CASE("a directory that cannot be removed is a warning, and the run goes on", "[checkpoint_keeper]") {
    Scratch scratch;
    FixedStrategy strategy;
    std::vector<std::string> warnings;
    // The root is a file: listing and removing under it fail.
    const fs::path file = scratch.root / "file";
    std::ofstream(file) << "x";
    hpo::CheckpointKeeper keeper(strategy, {file, std::nullopt, {}, [&](const std::string& w) { warnings.push_back(w); }});
    keeper.on_start(strategy, layout());
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains(file.string()));
}

namespace {

// A PBT-like lineage: `members` members, each trial continues a member from the latest trial of a
// random member (a copy of its directory); the latest trial of each member is inheritable. Its
// whole state is a value, so a test can take it at a commit and bring it back (a kill -9 and a
// resume).
class LineageStrategy final : public hpo::Strategy {
public:
    struct State {
        std::mt19937 generator{7};
        TrialId next_id = 0;
        std::vector<std::optional<TrialId>> latest;
        std::vector<Proposal> pending;
    } state;

    explicit LineageStrategy(int members) { state.latest.resize(static_cast<std::size_t>(members)); }

    std::string_view name() const override { return "lineage"; }
    std::vector<Proposal> ask(std::size_t max_count, int) override {
        std::vector<Proposal> asked;
        for (std::size_t m = 0; m < state.latest.size() && asked.size() < max_count; ++m) {
            const bool busy = std::any_of(state.pending.begin(), state.pending.end(),
                                          [m](const Proposal& p) { return p.member == static_cast<int>(m); });
            if (busy) continue;
            Proposal p = proposal(state.next_id++, state.latest[state.generator() % state.latest.size()]);
            p.member = static_cast<int>(m);
            state.pending.push_back(p);
            asked.push_back(p);
        }
        return asked;
    }
    void tell(const Trial& trial) override {
        state.latest[static_cast<std::size_t>(trial.member)] = trial.id;
        std::erase_if(state.pending, [&](const Proposal& p) { return p.id == trial.id; });
    }
    bool exhausted() const override { return false; }
    std::size_t planned_evaluations() const override { return 0; }
    std::string save_state() const override { return ""; }
    void load_state(std::string_view) override {}
    std::vector<Proposal> pending() const override { return state.pending; }
    std::vector<TrialId> inheritable() const override {
        std::vector<TrialId> ids;
        for (const auto& id : state.latest) {
            if (id) ids.push_back(*id);
        }
        return ids;
    }
};

}  // namespace

TEST_CASE("a removed directory is never needed again: a long lineage, commits, a kill -9 and a resume",
          "[checkpoint_keeper]") {
    Scratch scratch;
    LineageStrategy strategy(4);
    std::size_t commits = 0;
    LineageStrategy::State committed_state = strategy.state;
    SoFar so_far, committed_so_far;
    std::mt19937 order(11);
    std::size_t most_dirs = 0;

    // Each trial's directory is made as a worker makes it: a real copy of its parent's, which must exist.
    const auto start = [&](const Proposal& p) {
        const auto prepared = hpo::prepare_checkpoint_dir(scratch.root, p.id, p.parent);
        REQUIRE(prepared.failure.empty());
        std::ofstream(prepared.dir / ("round-" + std::to_string(p.id))) << p.id;
    };
    const auto session = [&](hpo::CheckpointKeeper& keeper, int results) {
        keeper.on_start(strategy, layout());
        for (const Proposal& p : strategy.pending()) start(p);  // run again from their parents
        for (int i = 0; i < results; ++i) {
            for (const Proposal& p : strategy.ask(2, hpo::Strategy::any_deme)) start(p);
            std::vector<Proposal> running = strategy.pending();
            Trial trial = told(running[order() % running.size()].id, static_cast<double>(order() % 1000));
            trial.member = std::find_if(running.begin(), running.end(), [&](const Proposal& p) { return p.id == trial.id; })->member;
            strategy.tell(trial);
            so_far.add(trial);
            if (i % 5 == 4) {  // the recorder commits before the keeper hears of the trial
                ++commits;
                committed_state = strategy.state;
                committed_so_far = so_far;
            }
            keeper.on_trial(trial, so_far.result);
            most_dirs = std::max(most_dirs, scratch.entries().size());
        }
    };

    hpo::CheckpointKeeper first(strategy, {scratch.root, std::nullopt, [&] { return commits; }, {}});
    session(first, 38);  // killed 3 results after its last commit

    // The resume: the strategy as committed, the trials the checkpoint holds.
    strategy.state = committed_state;
    so_far = committed_so_far;
    commits = 0;
    hpo::CheckpointKeeper second(strategy, {scratch.root, so_far.result.best->id, [&] { return commits; }, {}});
    session(second, 60);

    // At most the live set now and at the last commit, each: a member's latest (4), the pending
    // (4) and their parents (4), the best: far fewer than the trials.
    CHECK(so_far.result.trials.size() == 95);
    CHECK(most_dirs <= 2 * (4 + 4 + 4 + 1));
    CHECK(fs::exists(hpo::checkpoint_dir_of(scratch.root, so_far.result.best->id)));
}
