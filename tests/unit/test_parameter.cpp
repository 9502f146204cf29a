// Parameters and the search space: validation, native <-> unit forms, formatting, describe().
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <random>
#include <set>

#include "hpo/exec/command_line.hpp"
#include "hpo/space/parameter.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/space/search_space.hpp"

using namespace hpo;
using Catch::Matchers::Contains;

TEST_CASE("factories validate their arguments and name the parameter", "[parameter]") {
    REQUIRE_THROWS_WITH(Parameter::float_range("--x", 1.0, 1.0), Contains("--x") && Contains("lo must be < hi"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--x", 2.0, 1.0), Contains("lo must be < hi"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--x", 0.0, 1.0, true), Contains("'log' needs lo > 0"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--x", -1.0, 1.0, true), Contains("'log' needs lo > 0"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--x", 0.0, INFINITY), Contains("finite"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--x", NAN, 1.0), Contains("finite"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--x", 0.0, 1.0, false, 1.5), Contains("outside"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--x", 0.0, 1.0, false, NAN), Contains("not finite"));
    REQUIRE_THROWS_WITH(Parameter::int_range("--n", 3, 3), Contains("--n") && Contains("lo must be < hi"));
    REQUIRE_THROWS_WITH(Parameter::int_range("--n", 0, 8, true), Contains("'log' needs lo > 0"));
    REQUIRE_THROWS_WITH(Parameter::int_range("--n", 1, 8, false, 9), Contains("outside"));
    REQUIRE_THROWS_WITH(Parameter::int_range("--n", 0, 1LL << 60), Contains("2^53"));
    REQUIRE_THROWS_WITH(Parameter::choice("--c", {}), Contains("--c") && Contains("empty choice"));
    REQUIRE_THROWS_WITH(Parameter::choice("--c", {"a", ""}), Contains("empty option"));
    REQUIRE_THROWS_WITH(Parameter::choice("--c", {"a", "a"}), Contains("duplicate option 'a'"));
    REQUIRE_THROWS_WITH(Parameter::choice("--c", {"a", "b"}, "z"), Contains("default 'z' is not one of"));
    REQUIRE_THROWS_WITH(Parameter::float_range("", 0.0, 1.0), Contains("empty flag"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--a  b", 0.0, 1.0), Contains("whitespace"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--a\tb", 0.0, 1.0), Contains("whitespace"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--a ", 0.0, 1.0), Contains("whitespace"));
    REQUIRE_THROWS_WITH(Parameter::float_range(" --a", 0.0, 1.0), Contains("whitespace"));
    REQUIRE_THROWS_WITH(Parameter::float_range("0.5 lr", 0.0, 1.0), Contains("is not"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--a=1", 0.0, 1.0), Contains("'='"));
    REQUIRE_THROWS_WITH(Parameter::float_range(std::string("--x\0y", 6), 0.0, 1.0), Contains("NUL"));
    REQUIRE_THROWS_WITH(Parameter::choice("--c", {"a", std::string("c\0d", 3)}), Contains("NUL"));
    REQUIRE_THROWS_AS(Parameter::float_range("--x", 1.0, 0.0), SpecError);
}

TEST_CASE("accessors, defaults and cardinality", "[parameter]") {
    const auto f = Parameter::float_range("--lr", 1e-5, 0.1, true, 0.001);
    CHECK(f.kind() == ParameterKind::float_range);
    CHECK(f.is_log());
    CHECK(f.has_default());
    CHECK(f.default_value() == 0.001);
    CHECK(f.cardinality() == 0);

    const auto n = Parameter::int_range("--layers", 1, 8, false, 2);
    CHECK(n.kind() == ParameterKind::int_range);
    CHECK(n.cardinality() == 8);
    CHECK(n.default_value() == 2.0);

    const auto c = Parameter::choice("--opt", {"adam", "sgd", "rmsprop"}, "sgd");
    CHECK(c.cardinality() == 3);
    CHECK(c.default_value() == 1.0);  // the index of the option

    const auto none = Parameter::choice("--batch", {"16", "32"});
    CHECK_FALSE(none.has_default());
    CHECK_THROWS_AS(none.default_value(), std::logic_error);
}

TEST_CASE("float ranges map linearly, log ranges logarithmically, ends exactly", "[parameter]") {
    const auto lin = Parameter::float_range("--a", -1.0, 1.0);
    CHECK(lin.from_unit(0.0) == -1.0);
    CHECK(lin.from_unit(1.0) == 1.0);
    CHECK(lin.from_unit(0.5) == Approx(0.0).margin(1e-15));
    CHECK(lin.from_unit(-3.0) == -1.0);  // clamped
    CHECK(lin.from_unit(7.0) == 1.0);
    CHECK(lin.to_unit(0.5) == Approx(0.75));
    CHECK(lin.to_unit(5.0) == 1.0);

    const auto log = Parameter::float_range("--lr", 1e-4, 1.0, true);
    CHECK(log.from_unit(0.0) == 1e-4);
    CHECK(log.from_unit(1.0) == 1.0);
    CHECK(log.from_unit(0.5) == Approx(1e-2));
    CHECK(log.from_unit(0.25) == Approx(1e-3));
    CHECK(log.to_unit(1e-3) == Approx(0.25));
    for (double u : {0.1, 0.33, 0.77, 0.999}) CHECK(log.to_unit(log.from_unit(u)) == Approx(u));
    CHECK_THROWS_AS(lin.from_unit(NAN), std::invalid_argument);
}

TEST_CASE("integers own equal cells and round-trip through the unit form", "[parameter]") {
    const auto n = Parameter::int_range("--n", 1, 4);
    // Four cells of width 1/4: [0,.25) -> 1, [.25,.5) -> 2, ...
    CHECK(n.from_unit(0.0) == 1.0);
    CHECK(n.from_unit(0.2499) == 1.0);
    CHECK(n.from_unit(0.25) == 2.0);
    CHECK(n.from_unit(0.74) == 3.0);
    CHECK(n.from_unit(1.0) == 4.0);
    CHECK(n.from_unit(-1.0) == 1.0);
    CHECK(n.from_unit(2.0) == 4.0);
    for (int k = 1; k <= 4; ++k) {
        CHECK(n.to_unit(k) == Approx((k - 1 + 0.5) / 4.0));
        CHECK(n.from_unit(n.to_unit(k)) == k);
    }

    // Log integers: every value reachable, each round trip exact, from_unit always integral.
    const auto ln = Parameter::int_range("--units", 4, 256, true);
    for (int k = 4; k <= 256; ++k) REQUIRE(ln.from_unit(ln.to_unit(k)) == k);
    for (int i = 0; i <= 1000; ++i) {
        const double v = ln.from_unit(i / 1000.0);
        REQUIRE(v == std::floor(v));
        REQUIRE(ln.contains(v));
    }
    // On a log scale small integers own a larger share of [0,1] than large ones.
    const double width4 = ln.to_unit(5) - ln.to_unit(4);
    const double width200 = ln.to_unit(201) - ln.to_unit(200);
    CHECK(width4 > 10 * width200);
}

TEST_CASE("a uniform unit draw gives every integer and option its fair share", "[parameter]") {
    const auto n = Parameter::int_range("--n", -2, 2);
    const auto c = Parameter::choice("--c", {"a", "b", "c"});
    std::map<double, int> ints, options;
    const int draws = 30000;
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int i = 0; i < draws; ++i) {
        ++ints[n.from_unit(unit(rng))];
        ++options[c.from_unit(unit(rng))];
    }
    REQUIRE(ints.size() == 5);
    for (auto [value, count] : ints) CHECK(std::abs(count - draws / 5) < draws / 50);
    REQUIRE(options.size() == 3);
    for (auto [value, count] : options) CHECK(std::abs(count - draws / 3) < draws / 50);
}

TEST_CASE("contains checks bounds, integrality and option indices", "[parameter]") {
    const auto f = Parameter::float_range("--a", -1.0, 1.0);
    CHECK(f.contains(-1.0));
    CHECK(f.contains(0.3));
    CHECK_FALSE(f.contains(1.0001));
    CHECK_FALSE(f.contains(NAN));
    const auto n = Parameter::int_range("--n", 1, 8);
    CHECK(n.contains(3));
    CHECK_FALSE(n.contains(3.5));
    CHECK_FALSE(n.contains(0));
    const auto c = Parameter::choice("--c", {"x", "y"});
    CHECK(c.contains(1));
    CHECK_FALSE(c.contains(2));
    CHECK_FALSE(c.contains(0.5));
}

TEST_CASE("format: integers as integers, floats shortest, choices their text", "[parameter]") {
    const auto n = Parameter::int_range("--n", -5, 1000);
    CHECK(n.format(3) == "3");
    CHECK(n.format(-5) == "-5");
    CHECK(n.format(1000) == "1000");
    const auto f = Parameter::float_range("--lr", 1e-5, 0.1, true);
    CHECK(f.format(0.001) == "0.001");
    CHECK(f.format(1e-5) == "1e-05");
    CHECK(f.format(0.1) == "0.1");
    const double third = 1.0 / 3.0;
    CHECK(std::stod(f.format(third)) == third);  // round-trips exactly
    const auto c = Parameter::choice("--opt", {"adam", "a b;rm -rf x"});
    CHECK(c.format(0) == "adam");
    CHECK(c.format(1) == "a b;rm -rf x");
    CHECK_THROWS_AS(c.format(2), std::out_of_range);
}

TEST_CASE("describe() round-trips through parse_parameter", "[parameter]") {
    const std::vector<Parameter> parameters{
        Parameter::float_range("-a", -1.0, 1.0, false, 1.0),
        Parameter::float_range("--lr", 1e-5, 0.1, true, 0.001),
        Parameter::float_range("--x", 0.0, 1.0),
        Parameter::float_range("--y", 1.0 / 3.0, 2e20, false, 7.25),
        Parameter::int_range("--layers", 1, 8, false, 2),
        Parameter::int_range("--units", 4, 256, true),
        Parameter::int_range("--neg", -10, -2, false, -3),
        Parameter::choice("--opt", {"adam", "sgd", "rmsprop"}, "adam"),
        Parameter::choice("--batch", {"16", "32", "64"}),
        Parameter::choice("--weird", {"a b;rm -rf x", "x,y", "{z}", "q\"uote", "it's", "back\\slash", " pad "},
                          "x,y"),
        Parameter::choice("--one", {"only"}, "only"),
    };
    for (const auto& p : parameters) {
        INFO(p.describe());
        const Parameter back = parse_parameter(p.describe());
        CHECK(back == p);
    }
    CHECK(parameters[0].describe() == "-a 1 [-1.0,1.0]");
    CHECK(parameters[1].describe() == "--lr 0.001 [1e-05,0.1] log");
    CHECK(parameters[4].describe() == "--layers 2 [1,8]");
    CHECK(parameters[7].describe() == "--opt adam {adam,sgd,rmsprop}");
    CHECK(parameters[8].describe() == "--batch {16,32,64}");
}

TEST_CASE("search space: duplicates, whole-point conversions, initial and random points", "[parameter]") {
    SearchSpace space({Parameter::float_range("--a", 0.0, 1.0, false, 0.25),
                       Parameter::int_range("--n", 1, 8),
                       Parameter::choice("--opt", {"adam", "sgd"}, "sgd")});
    REQUIRE(space.size() == 3);
    CHECK_THROWS_WITH(space.add(Parameter::int_range("--n", 0, 3)), Contains("--n") && Contains("duplicate"));
    CHECK_THROWS_AS(SearchSpace({Parameter::int_range("--n", 0, 3), Parameter::int_range("--n", 0, 4)}), SpecError);

    std::mt19937_64 rng(3);
    const Point initial = space.initial_point(rng);
    CHECK(initial[0] == 0.25);
    CHECK(initial[2] == 1.0);
    CHECK(space.contains(initial));

    // A parameter without default draws its initial value from the seed.
    std::set<double> seen;
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
        std::mt19937_64 r(seed);
        seen.insert(space.initial_point(r)[1]);
    }
    CHECK(seen.size() > 3);

    for (int i = 0; i < 200; ++i) {
        const Point p = space.random_point(rng);
        REQUIRE(space.contains(p));
        REQUIRE(space.from_unit(space.to_unit(p))[1] == p[1]);
        REQUIRE(space.from_unit(space.to_unit(p))[2] == p[2]);
    }
    CHECK_FALSE(space.contains({0.5, 2.0}));
    CHECK_THROWS_AS(space.to_unit({0.5}), std::invalid_argument);
    // A whole point as the kernel receives it and the log shows it (a choice by its option's name).
    CHECK(shell_join(hyperparameter_args(space, {0.5, 3.0, 0.0}, ArgStyle::equals)) == "--a=0.5 --n=3 --opt=adam");
}

TEST_CASE("the same seed gives the same random points", "[parameter]") {
    SearchSpace space({Parameter::float_range("--a", 0.0, 1.0), Parameter::int_range("--n", 1, 100, true)});
    std::mt19937_64 a(42), b(42), c(43);
    for (int i = 0; i < 20; ++i) {
        const Point pa = space.random_point(a);
        CHECK(pa == space.random_point(b));
        CHECK(pa != space.random_point(c));
    }
}

TEST_CASE("a flag of several words (the seed's '--optimizer lr') is quoted in its spec", "[parameter]") {
    const auto p = Parameter::float_range("--optimizer lr", 1e-3, 0.1, false, 0.01);
    CHECK(p.describe() == "\"--optimizer lr\" 0.01 [0.001,0.1]");
    CHECK(parse_parameter(p.describe()) == p);
    CHECK(parse_parameter("'--optimizer lr' [0.001,0.1]").flag() == "--optimizer lr");
    REQUIRE_THROWS_WITH(parse_parameter("'--optimizer lr [0.001,0.1]"), Contains("unterminated quote"));
}
