// Random search: the initial point first, then uniform (log-uniform where asked) draws, evals in all.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

#include "hpo/space/parse.hpp"
#include "hpo/strategy/random.hpp"

using namespace hpo;

namespace {

std::vector<Proposal> drain(RandomStrategy& strategy) {
    std::vector<Proposal> all;
    for (;;) {
        auto got = strategy.ask(7);
        if (got.empty()) break;
        for (auto& p : got) {
            Trial t;
            t.id = p.id;
            t.values = p.values;
            t.fom = 0.0;
            strategy.tell(t);
            all.push_back(std::move(p));
        }
    }
    return all;
}

}  // namespace

TEST_CASE("random: the initial point comes first, defaults exactly", "[random]") {
    const auto space = parse_search_space({"--lr 0.001 [1e-5,0.1] log", "--layers 2 [1,8]", "--opt sgd {adam,sgd}"});
    RandomStrategy strategy(space, {.evals = 5}, {.seed = 3});
    const auto first = strategy.ask(1);
    REQUIRE(first.size() == 1);
    CHECK(first[0].id == 0);
    CHECK(first[0].values == Point{0.001, 2.0, 1.0});
    CHECK(first[0].deme == 0);
    CHECK(first[0].generation == 0);
}

TEST_CASE("random: a parameter without default starts from a seeded draw", "[random]") {
    const auto space = parse_search_space({"--x [0.0,1.0]", "--n 3 [1,8]"});
    std::set<double> starts;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        RandomStrategy a(space, {.evals = 3}, {.seed = seed}), b(space, {.evals = 3}, {.seed = seed});
        const auto pa = a.ask(1), pb = b.ask(1);
        CHECK(pa[0].values == pb[0].values);
        CHECK(pa[0].values[1] == 3.0);
        starts.insert(pa[0].values[0]);
    }
    CHECK(starts.size() == 20);
}

TEST_CASE("random: exactly evals proposals, in any chunks", "[random]") {
    const auto space = parse_search_space({"--x [0.0,1.0]"});
    RandomStrategy strategy(space, {.evals = 10}, {.seed = 1});
    CHECK(strategy.planned_evaluations() == 10);
    CHECK(strategy.ask(4).size() == 4);
    CHECK_FALSE(strategy.exhausted());
    CHECK(strategy.ask(100).size() == 6);
    CHECK(strategy.exhausted());
    CHECK(strategy.ask(100).empty());
    CHECK_THROWS_AS(RandomStrategy(space, {.evals = 0}), std::invalid_argument);
}

TEST_CASE("random: samples are uniform in the unit form (log-uniform on a log scale)", "[random]") {
    const auto space = parse_search_space({"--lr [1e-5,0.1] log", "--a [0.0,10.0]", "--n [1,4]", "--c {x,y,z}"});
    RandomStrategy strategy(space, {.evals = 4001}, {.seed = 99});
    auto all = drain(strategy);
    REQUIRE(all.size() == 4001);
    all.erase(all.begin());  // the initial point is a draw too, but keep the test to the samples
    const double n = static_cast<double>(all.size());
    std::size_t below_1e3 = 0, below_5 = 0;
    std::map<double, std::size_t> ints, options;
    for (const auto& p : all) {
        REQUIRE(space.contains(p.values));
        below_1e3 += p.values[0] < 1e-3;
        below_5 += p.values[1] < 5.0;
        ++ints[p.values[2]];
        ++options[p.values[3]];
    }
    // Half the log range lies below 1e-3; a linear draw would put only ~1% there.
    CHECK(below_1e3 / n == Approx(0.5).margin(0.04));
    CHECK(below_5 / n == Approx(0.5).margin(0.04));
    REQUIRE(ints.size() == 4);
    for (auto [v, count] : ints) CHECK(count / n == Approx(0.25).margin(0.03));
    REQUIRE(options.size() == 3);
    for (auto [v, count] : options) CHECK(count / n == Approx(1.0 / 3).margin(0.03));
}

TEST_CASE("random: the sequence depends on the seed only", "[random]") {
    const auto space = parse_search_space({"--x [0.0,1.0]", "--n [1,100] log"});
    RandomStrategy a(space, {.evals = 50}, {.seed = 8}), b(space, {.evals = 50}, {.seed = 8});
    std::vector<Proposal> chunked;
    while (!b.exhausted())
        for (auto& p : b.ask(3)) chunked.push_back(p);
    CHECK(a.ask(50) == chunked);
}

TEST_CASE("random: the saved state is readable text, pending trials with their values", "[random][state]") {
    const auto space = parse_search_space({"--x [0.0,1.0]", "--n [1,100] log"});
    RandomStrategy a(space, {.evals = 10}, {.seed = 4});
    const auto asked = a.ask(3);
    Trial t;
    t.id = 1;
    t.values = asked[1].values;
    a.tell(t);
    const std::string state = a.save_state();
    CHECK(state.rfind("hpo-strategy random 1\ndimension 2\nnext-id 3\nrng ", 0) == 0);
    CHECK(state.find("\npending 0 ") != std::string::npos);
    CHECK(state.find("\npending 1 ") == std::string::npos);
    CHECK(state.find("\npending 2 ") != std::string::npos);
    CHECK(state.substr(state.size() - 5) == "\nend\n");
    CHECK(a.pending() == std::vector<Proposal>{asked[0], asked[2]});

    // The restart evaluates the pending trials again and tells them; then the draws go on.
    RandomStrategy b(space, {.evals = 10}, {.seed = 4});
    b.load_state(state);
    CHECK(b.pending() == a.pending());
    for (const auto& p : b.pending()) {
        t.id = p.id;
        t.values = p.values;
        b.tell(t);
        CHECK_THROWS_AS(b.tell(t), std::invalid_argument);
    }
    CHECK(b.pending().empty());
    CHECK(b.ask(7) == a.ask(7));
    CHECK(b.exhausted());
}

TEST_CASE("random: a resume may raise evals, not lower them below what was proposed", "[random][state]") {
    const auto space = parse_search_space({"--x [0.0,1.0]", "--c {a,b,c}"});
    RandomStrategy uninterrupted(space, {.evals = 30}, {.seed = 6});
    const auto all = drain(uninterrupted);

    RandomStrategy first(space, {.evals = 20}, {.seed = 6});
    const auto part = drain(first);
    CHECK(first.exhausted());
    RandomStrategy more(space, {.evals = 30}, {.seed = 6});
    more.load_state(first.save_state());
    CHECK_FALSE(more.exhausted());
    auto rest = drain(more);
    std::vector<Proposal> resumed = part;
    resumed.insert(resumed.end(), rest.begin(), rest.end());
    CHECK(resumed == all);

    RandomStrategy fewer(space, {.evals = 10}, {.seed = 6});
    CHECK_THROWS_WITH(fewer.load_state(first.save_state()),
                      Catch::Contains("the state has made 20 proposals, more than evals (10)"));
}
