// pbt's explore step alone: perturbations by 0.8/1.2, log steps, integers, choices, resampling.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <random>
#include <set>

#include "../../src/strategy/pbt_explore.hpp"
#include "hpo/space/parse.hpp"

using hpo::Point;
using hpo::SearchSpace;
using hpo::detail::explore;

namespace {

// Every value explore gives parameter `index` of `point` over `draws` seeded calls (resampling off).
std::set<double> outcomes(const SearchSpace& space, const Point& point, std::size_t index, int draws = 200) {
    std::mt19937_64 rng(7);
    std::set<double> seen;
    for (int i = 0; i < draws; ++i) seen.insert(explore(space, point, rng, 0.0)[index]);
    return seen;
}

std::set<double> one_dimension(const char* spec, double value) {
    const SearchSpace space = hpo::parse_search_space({spec});
    return outcomes(space, {value}, 0);
}

}  // namespace

TEST_CASE("a linear range moves by x 0.8 or x 1.2, clipped to its bounds", "[pbt][explore]") {
    CHECK(one_dimension("-a [-1.0,1.0]", 0.5) == std::set<double>{0.5 * 0.8, 0.5 * 1.2});
    CHECK(one_dimension("-a [-1.0,1.0]", -0.5) == std::set<double>{-0.5 * 1.2, -0.5 * 0.8});
    CHECK(one_dimension("-a [-1.0,1.0]", 0.9) == std::set<double>{0.9 * 0.8, 1.0});  // 1.08 clipped
    CHECK(one_dimension("-a [-1.0,1.0]", -0.9) == std::set<double>{-1.0, -0.9 * 0.8});
    CHECK(one_dimension("-a [2.0,3.0]", 2.0) == std::set<double>{2.0, 2.0 * 1.2});  // 1.6 clipped to lo
}

TEST_CASE("a linear range's 0 moves by 20 % of the range's width", "[pbt][explore]") {
    CHECK(one_dimension("-a [-1.0,1.0]", 0.0) == std::set<double>{-0.4, 0.4});
    CHECK(one_dimension("-a [0.0,5.0]", 0.0) == std::set<double>{0.0, 1.0});  // -1 clipped
    CHECK(one_dimension("-n [-10,10]", 0.0) == std::set<double>{-4.0, 4.0});
}

TEST_CASE("a log range moves by a step of ln 1.2 on its scale", "[pbt][explore]") {
    const std::set<double> seen = one_dimension("--lr [1e-5,0.1] log", 0.001);
    REQUIRE(seen.size() == 2);
    for (double v : seen) CHECK(std::abs(std::abs(std::log(v / 0.001)) - std::log(1.2)) < 1e-12);
    CHECK(*seen.begin() < 0.001);
    CHECK(*seen.rbegin() > 0.001);
    CHECK(one_dimension("--lr [1e-5,0.1] log", 0.1) == std::set<double>{0.1 / 1.2, 0.1});
}

TEST_CASE("integers stay integers, and a step too small to leave one moves by one", "[pbt][explore]") {
    CHECK(one_dimension("--layers [1,8]", 5) == std::set<double>{4, 6});
    CHECK(one_dimension("--layers [1,8]", 2) == std::set<double>{1, 3});    // 1.6 and 2.4 round back to 2
    CHECK(one_dimension("--layers [1,8]", 1) == std::set<double>{1, 2});    // 0 clipped to lo
    CHECK(one_dimension("--layers [1,8]", 8) == std::set<double>{6, 8});    // 9.6 -> 10 clipped to hi
    CHECK(one_dimension("-n [-10,10]", -1) == std::set<double>{-2, 0});     // the factor's direction
    CHECK(one_dimension("-n [-10,10]", -5) == std::set<double>{-6, -4});
    CHECK(one_dimension("--units [4,256] log", 4) == std::set<double>{4, 5});
    CHECK(one_dimension("--units [1,256] log", 1) == std::set<double>{1, 2});
    CHECK(one_dimension("--units [4,256] log", 100) == std::set<double>{83, 120});
}

TEST_CASE("a choice moves to a neighbouring option", "[pbt][explore]") {
    CHECK(one_dimension("--opt {adam,sgd,rmsprop}", 0) == std::set<double>{1});
    CHECK(one_dimension("--opt {adam,sgd,rmsprop}", 2) == std::set<double>{1});
    CHECK(one_dimension("--opt {adam,sgd,rmsprop}", 1) == std::set<double>{0, 2});
    CHECK(one_dimension("--opt {a,b,c,d,e}", 3) == std::set<double>{2, 4});
    CHECK(one_dimension("--opt {adam}", 0) == std::set<double>{0});
    const SearchSpace single = hpo::parse_search_space({"--opt {adam}"});
    std::mt19937_64 rng(1);
    for (int i = 0; i < 50; ++i) CHECK(explore(single, {0}, rng, 1.0)[0] == 0);  // resampled, still the one
}

TEST_CASE("each parameter is resampled with the given probability, and moves up or down at even odds",
          "[pbt][explore]") {
    const SearchSpace space = hpo::parse_search_space({"-a [0.0,1.0]", "-b [0.0,1.0]"});
    for (double p : {0.0, 0.1, 0.25, 0.6, 1.0}) {
        INFO("resample_probability " << p);
        std::mt19937_64 rng(42);
        const int draws = 20000;
        int resampled = 0, up = 0, moved = 0;
        for (int i = 0; i < draws; ++i) {
            const Point out = explore(space, {0.5, 0.5}, rng, p);
            for (double v : out) {
                // A fresh draw lands on 0.4 or 0.6 exactly with probability ~0.
                if (v != 0.4 && v != 0.6) ++resampled;
                else {
                    ++moved;
                    if (v == 0.6) ++up;
                }
            }
        }
        const double rate = static_cast<double>(resampled) / (2.0 * draws);
        CHECK(std::abs(rate - p) < 0.015);  // the binomial's sd is at most 0.0025
        if (moved > 0) CHECK(std::abs(static_cast<double>(up) / moved - 0.5) < 0.03);
    }
}

TEST_CASE("explore never leaves the domain, and a seed gives the same points", "[pbt][explore]") {
    const SearchSpace space = hpo::parse_search_space({"-a 0.5 [-1.0,1.0]", "--lr 0.001 [1e-5,0.1] log",
                                                       "--layers 2 [1,8]", "--units [4,256] log",
                                                       "--opt adam {adam,sgd,rmsprop}", "-z [0.0,1e-3]"});
    std::mt19937_64 points(3);
    std::mt19937_64 a(11), b(11);
    for (int i = 0; i < 2000; ++i) {
        Point point = space.random_point(points);
        for (int step = 0; step < 5; ++step) {  // chains of explores wander to the bounds
            const Point next = explore(space, point, a, 0.25);
            CHECK(explore(space, point, b, 0.25) == next);
            REQUIRE(space.contains(next));
            CHECK(next[2] == std::floor(next[2]));
            CHECK(next[3] == std::floor(next[3]));
            point = next;
        }
    }
    std::mt19937_64 rng(1);
    CHECK_THROWS_AS(explore(space, {0.5}, rng, 0.25), std::invalid_argument);
}
