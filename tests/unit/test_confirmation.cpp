// Confirmation (--confirm-top, docs/confirm.md): the ranking of configurations by their mean, and
// ConfirmingStrategy around real strategies (random, genetic, bayes): dense ids, repeats of the top
// K only and exactly R each, the inner search unchanged, an exact continuation from its state; and
// the kernel's @repeat and HPO_REPEAT.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "hpo/confirmation.hpp"
#include "hpo/hpo.hpp"
#include "hpo/exec/kernel.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/strategy/bayes_options.hpp"
#include "hpo/strategy/confirming_strategy.hpp"
#include "hpo/strategy/factory.hpp"
#include "hpo/strategy/genetic_options.hpp"
#include "hpo/strategy/random_options.hpp"
#include "test_strategy_support.hpp"

using namespace hpo;
using strategy_test::told;

namespace {

SearchSpace space() { return parse_search_space({"--x [0.0,1.0]", "--y [-1.0,1.0]"}); }

// A deterministic objective: the original's FoM from its values, a repeat's with noise from its id.
double fom_of(const Proposal& p) {
    const double base = (p.values[0] - 0.3) * (p.values[0] - 0.3) + p.values[1] * p.values[1];
    return p.repeat_of ? base + 0.01 * static_cast<double>((p.id * 7919) % 13) : base;
}

std::unique_ptr<ConfirmingStrategy> confirming(const StrategyConfig& config, int top, int repeats, std::uint64_t seed = 5) {
    return std::make_unique<ConfirmingStrategy>(make_strategy(config, space(), {.seed = seed}), space(),
                                                ConfirmingStrategy::Settings{top, repeats, false});
}

Trial result(const Proposal& p) {
    Trial t = told(p, fom_of(p));
    t.repeat_of = p.repeat_of;
    t.repeat = p.repeat;
    return t;
}

// Asks `batch` at a time and tells each batch in id order until the strategy is exhausted.
struct Run {
    std::vector<Proposal> proposals;
    std::vector<Trial> trials;
    void until_exhausted(Strategy& s, std::size_t batch) {
        for (int guard = 0; !s.exhausted() && guard < 10000; ++guard) {
            std::vector<Proposal> asked = s.ask(batch);
            REQUIRE(!asked.empty());
            for (const Proposal& p : asked) proposals.push_back(p);
            for (const Proposal& p : asked) {
                trials.push_back(result(p));
                s.tell(trials.back());
            }
        }
        REQUIRE(s.exhausted());
    }
};

// The final top K originals by loss, and the repeats per original.
std::vector<TrialId> top_originals(const std::vector<Trial>& trials, std::size_t k) {
    std::vector<const Trial*> originals;
    for (const Trial& t : trials)
        if (!t.repeat_of) originals.push_back(&t);
    std::sort(originals.begin(), originals.end(), [](const Trial* a, const Trial* b) { return better_trial(*a, *b, false); });
    std::vector<TrialId> ids;
    for (std::size_t i = 0; i < k && i < originals.size(); ++i) ids.push_back(originals[i]->id);
    return ids;
}

std::map<TrialId, int> repeats_of(const std::vector<Trial>& trials) {
    std::map<TrialId, int> counts;
    for (const Trial& t : trials)
        if (t.repeat_of) ++counts[*t.repeat_of];
    return counts;
}

void check_ids_dense(const std::vector<Proposal>& proposals) {
    std::set<TrialId> ids;
    for (const Proposal& p : proposals) ids.insert(p.id);
    REQUIRE(ids.size() == proposals.size());
    CHECK(*ids.rbegin() + 1 == proposals.size());
}

Trial trial(TrialId id, double fom, std::optional<TrialId> repeat_of = {}, TrialStatus status = TrialStatus::ok) {
    Trial t;
    t.id = id;
    t.fom = fom;
    t.status = status;
    t.repeat_of = repeat_of;
    t.repeat = repeat_of ? 1 : 0;
    return t;
}

}  // namespace

TEST_CASE("confirmed_ranking: by mean over the ok runs, with the spread; a failed repeat ranks after", "[confirm]") {
    // Trial 0 is the luckiest single run, but its repeats are worse; trial 1 is best on average.
    const std::vector<Trial> trials = {
        trial(0, 0.10), trial(1, 0.20), trial(2, 0.15), trial(3, 0.05),
        trial(4, 0.50, 0), trial(5, 0.40, 0),  // 0: mean 1/3
        trial(6, 0.22, 1), trial(7, 0.24, 1),  // 1: mean 0.22
        trial(8, 0.01, 2), trial(9, 0.0, 2, TrialStatus::crashed),  // 2: best mean, but a repeat failed
        trial(10, 0.3, 99),                    // the repeat of an unknown original: left out
    };
    const std::vector<Confirmation> ranking = confirmed_ranking(trials, false);
    REQUIRE(ranking.size() == 3);
    CHECK(ranking[0].original == 1);
    CHECK(ranking[0].rank == 1);
    CHECK(ranking[0].mean == Approx(0.22));
    CHECK(ranking[0].std == Approx(0.02));
    CHECK(ranking[0].min == 0.20);
    CHECK(ranking[0].max == 0.24);
    CHECK(ranking[0].runs == 3);
    CHECK(ranking[0].failed == 0);
    CHECK(ranking[1].original == 0);
    CHECK(ranking[1].mean == Approx(1.0 / 3.0));
    CHECK(ranking[2].original == 2);  // best mean of all (0.08), but not every run trained
    CHECK(ranking[2].failed == 1);
    CHECK(ranking[2].repeats == 2);
    CHECK(ranking[2].runs == 2);
    CHECK(ranking[2].mean == Approx(0.08));
    CHECK(ranking[2].rank == 3);
    CHECK(confirmed_best(trials, false)->original == 1);

    // Maximizing: the highest mean first.
    CHECK(confirmed_ranking(trials, true).front().original == 0);
    // Nothing repeated: no confirmation; a failed original is never confirmed.
    CHECK_FALSE(confirmed_best({trial(0, 1.0), trial(1, 2.0)}, false));
    CHECK(confirmed_ranking({trial(0, 1.0, {}, TrialStatus::failed), trial(1, 2.0, 0)}, false).empty());
    // One run only (every repeat failed): std 0.
    const auto lone = confirmed_ranking({trial(0, 1.0), trial(1, 2.0, 0, TrialStatus::timeout)}, false);
    REQUIRE(lone.size() == 1);
    CHECK(lone[0].std == 0);
    CHECK(lone[0].runs == 1);
    // Fewer repeats than the most repeated (pushed out of the top K while confirming): after the
    // fully confirmed, however good its mean; before any with a failed repeat.
    const auto partial = confirmed_ranking({trial(0, 0.5), trial(1, 0.1), trial(2, 0.9), trial(3, 0.5, 0), trial(4, 0.5, 0),
                                            trial(5, 0.1, 1), trial(6, 0.9, 2), trial(7, 0.9, 2, TrialStatus::failed)},
                                           false);
    REQUIRE(partial.size() == 3);
    CHECK(partial[0].original == 0);
    CHECK(partial[1].original == 1);  // mean 0.1, but one repeat of two
    CHECK(partial[2].original == 2);
}

TEST_CASE("around random search: dense ids, repeats of the final top K only, exactly R each", "[confirm]") {
    auto s = confirming(RandomOptions{.evals = 15}, 3, 2);
    Run run;
    run.until_exhausted(*s, 1);  // one at a time: the top K is final when the repeats start
    check_ids_dense(run.proposals);
    REQUIRE(run.proposals.size() == 15 + 3 * 2);
    const std::vector<TrialId> top = top_originals(run.trials, 3);
    const std::map<TrialId, int> counts = repeats_of(run.trials);
    CHECK(counts == std::map<TrialId, int>{{top[0], 2}, {top[1], 2}, {top[2], 2}});
    // The inner strategy was told the originals only (random refuses a trial it did not propose).
    CHECK(s->inner().exhausted());
    CHECK(s->inner().pending().empty());
    CHECK(s->planned_evaluations() == 21);
    for (const Proposal& p : run.proposals) {
        if (!p.repeat_of) continue;
        const Proposal& original = run.proposals[*p.repeat_of];
        CHECK(p.values == original.values);
        CHECK(p.repeat >= 1);
        CHECK(p.repeat <= 2);
    }
}

TEST_CASE("around genetic search: repeats fill the barrier, the search itself is unchanged", "[confirm]") {
    const GeneticOptions options{.generations = 4, .pop_size = 6, .num_demes = 2, .migration_interval = 2, .elites = 1};
    auto s = confirming(options, 2, 3);
    Run run;
    run.until_exhausted(*s, 5);  // 5 at a time: a generation's last asks leave room for repeats
    check_ids_dense(run.proposals);

    // The same asks of the genetic strategy alone propose the same originals, in the same order.
    auto alone = make_strategy(options, space(), {.seed = 5});
    std::vector<Point> alone_values;
    for (int guard = 0; !alone->exhausted() && guard < 1000; ++guard) {
        const auto asked = alone->ask(5);
        for (const Proposal& p : asked) alone_values.push_back(p.values);
        for (const Proposal& p : asked) alone->tell(result(p));
    }
    std::vector<Point> original_values;
    bool repeat_before_end = false;
    std::size_t originals_seen = 0;
    for (const Proposal& p : run.proposals) {
        if (!p.repeat_of) {
            original_values.push_back(p.values);
            ++originals_seen;
            continue;
        }
        repeat_before_end = repeat_before_end || originals_seen < alone_values.size();
        const Proposal& original = run.proposals[*p.repeat_of];
        CHECK(p.values == original.values);
        CHECK(p.deme == original.deme);
        CHECK(p.generation == original.generation);
        CHECK(p.parent == original.parent);
    }
    CHECK(original_values == alone_values);
    CHECK(repeat_before_end);  // idle slots at a barrier confirmed before the search ended
    // Every configuration of the final top 2 has 3 repeats, and none has more.
    const auto counts = repeats_of(run.trials);
    for (TrialId id : top_originals(run.trials, 2)) CHECK(counts.at(id) == 3);
    for (const auto& [id, count] : counts) CHECK(count <= 3);
}

TEST_CASE("saved mid-confirmation, a new ConfirmingStrategy continues exactly", "[confirm]") {
    const StrategyConfig config = GENERATE(StrategyConfig(RandomOptions{.evals = 10}),
                                           StrategyConfig(GeneticOptions{.generations = 3, .pop_size = 5}));
    auto a = confirming(config, 3, 2);
    Run head;
    // Up to some repeats pending: asked past the search's end, half told.
    while (!a->inner().exhausted()) {
        for (const Proposal& p : a->ask(4)) {
            head.proposals.push_back(p);
            head.trials.push_back(result(p));
            a->tell(head.trials.back());
        }
    }
    const auto pending = a->ask(4);
    REQUIRE(!pending.empty());
    a->tell(result(pending.front()));
    head.trials.push_back(result(pending.front()));
    const std::string state = a->save_state();

    auto b = confirming(config, 3, 2);
    b->restore(state, head.trials);
    CHECK(b->pending() == a->pending());
    CHECK(b->save_state() == state);
    auto c = confirming(config, 3, 2);
    c->load_state(state);  // without the history: the same
    CHECK(c->pending() == a->pending());

    Run rest_a, rest_b;
    for (Strategy* s : {static_cast<Strategy*>(a.get()), static_cast<Strategy*>(b.get())}) {
        Run& rest = s == a.get() ? rest_a : rest_b;
        for (const Proposal& p : s->pending()) s->tell(result(p));
        rest.until_exhausted(*s, 2);
    }
    CHECK(rest_a.proposals == rest_b.proposals);
    CHECK(a->save_state() == b->save_state());

    // Not a state of this strategy: refused, naming it.
    auto d = confirming(config, 3, 2);
    CHECK_THROWS_WITH(d->load_state("hpo-strategy confirm 1\nnext-id x\nend\n"), Catch::Contains("confirm state"));
}

TEST_CASE("bayes inside: restored from a history holding repeats (it rebuilds its model from the originals)", "[confirm]") {
    auto a = confirming(BayesOptions{.evals = 8, .initial = 4}, 2, 2);
    Run run;
    run.until_exhausted(*a, 3);
    REQUIRE(!repeats_of(run.trials).empty());
    const std::string state = a->save_state();
    // The resume raises the budget: bayes goes on from the same model. Its state checks the
    // results it was told (a hash); a history with the repeats in it would be refused.
    auto b = confirming(BayesOptions{.evals = 10, .initial = 4}, 2, 2);
    REQUIRE_NOTHROW(b->restore(state, run.trials));
    CHECK_FALSE(b->exhausted());
    const auto next = b->ask(1);
    REQUIRE(next.size() == 1);
    CHECK_FALSE(next[0].repeat_of);
    CHECK(next[0].id == run.proposals.size());
    // Raising K on the resume: the third best gets its repeats once the search ends again.
    auto c = confirming(BayesOptions{.evals = 8, .initial = 4}, 3, 2);
    c->restore(state, run.trials);
    CHECK_FALSE(c->exhausted());
    Run more;
    more.until_exhausted(*c, 3);
    std::vector<Trial> all = run.trials;
    all.insert(all.end(), more.trials.begin(), more.trials.end());
    for (TrialId id : top_originals(all, 3)) CHECK(repeats_of(all).at(id) == 2);
}

TEST_CASE("a state saved without confirmation is taken, its ids as they are", "[confirm]") {
    auto bare = make_strategy(RandomOptions{.evals = 6}, space(), {.seed = 5});
    std::vector<Trial> history;
    for (const Proposal& p : bare->ask(4)) {
        history.push_back(result(p));
        bare->tell(history.back());
    }
    auto s = confirming(RandomOptions{.evals = 6}, 2, 1);
    s->restore(bare->save_state(), history);
    Run run;
    run.trials = history;
    run.until_exhausted(*s, 1);
    CHECK(run.proposals.front().id == 4);
    CHECK(run.proposals.size() == 2 + 2);
    for (TrialId id : top_originals(run.trials, 2)) CHECK(repeats_of(run.trials).at(id) == 1);
}

TEST_CASE("the kernel gets its repeat as HPO_REPEAT and in place of @repeat", "[confirm][kernel]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("hpo-confirm-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    KernelConfig config;
    config.command = {"sh", "-c", "printf '%s|%s|%s' \"$HPO_REPEAT\" \"$1\" \"$2\" > seen; echo 'FoM: 1'", "kernel",
                      "@repeat", "--seed=@repeat,@repeat"};
    config.run_dir = dir.string();
    for (int repeat : {0, 3}) {
        KernelInvocation invocation;
        invocation.trial_id = static_cast<TrialId>(repeat);
        invocation.repeat = repeat;
        REQUIRE(run_kernel(config, invocation).outcome.status == TrialStatus::ok);
        std::ifstream in(dir / std::to_string(repeat) / "seen");
        std::stringstream text;
        text << in.rdbuf();
        const std::string r = std::to_string(repeat);
        CHECK(text.str() == r + "|" + r + "|--seed=" + r + "," + r);
    }
    CHECK(with_repeat({"a@repeatb", "@repeat@repeat", "x"}, 12) == std::vector<std::string>{"a12b", "1212", "x"});
    fs::remove_all(dir);
}

TEST_CASE("the C++ driver: best_fom is the confirmed best's mean, best_trial its original", "[confirm][driver]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("hpo-confirm-driver-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const hpo::Evaluator evaluator = hpo::Evaluator::from_argv(
        {"python3", std::string(HPO_TEST_SCRIPT_DIR) + "/noisy_kernel.py", "--seed=@repeat"},
        {.run_dir = (dir / "runs").string()});
    CHECK_THROWS_WITH(hpo::random::Optimizer(evaluator, {.evals = 4}, {.confirm = {.confirm_top = 2, .confirm_repeats = 0}}),
                      Catch::Contains("confirm_repeats must be >= 1"));
    hpo::random::Optimizer optimizer(evaluator, {.evals = 8},
                                     {.seed = 3, .checkpoint_fn = (dir / "hpo.h5").string(), .parallel = 2,
                                      .confirm = {.confirm_top = 2, .confirm_repeats = 2}});
    optimizer.optimize(hpo::Params({{"--x", hpo::range(0.0, 1.0)}}));
    const RunResult& result = optimizer.result();
    REQUIRE(result.trials.size() >= 8 + 2 * 2);  // more if one was pushed out of the top 2 while confirming
    const std::optional<Confirmation> expected = confirmed_best(result.trials, false);
    REQUIRE(expected);
    REQUIRE(optimizer.confirmed());
    CHECK(*optimizer.confirmed() == *expected);
    CHECK(optimizer.best_trial().id == expected->original);
    CHECK(optimizer.best_fom() == expected->mean);
    CHECK(expected->runs == 3);
    fs::remove_all(dir);
}
