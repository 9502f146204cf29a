// Hostile parameter specs (issue 12): ranges whose unit form cannot be computed, integer ranges
// beyond exact doubles, flags that are not flags, and very large choices.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "hpo/space/parameter.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/space/search_space.hpp"

using namespace hpo;
using Catch::Matchers::Contains;

namespace {

// Every value a strategy could map a unit point to lies in the domain and reads back.
void require_sound_unit_form(const Parameter& p) {
    std::mt19937_64 rng(7);
    for (int i = 0; i <= 1000; ++i) {
        const double unit = i < 2 ? i : static_cast<double>(rng() >> 11) * 0x1.0p-53;
        const double native = p.from_unit(unit);
        INFO(p.describe() << " unit " << unit << " native " << native);
        REQUIRE(std::isfinite(native));
        REQUIRE(p.contains(native));
        const double back = p.to_unit(native);
        REQUIRE(std::isfinite(back));
        if (p.kind() != ParameterKind::float_range) REQUIRE(p.from_unit(back) == native);
    }
}

}  // namespace

TEST_CASE("a range whose width overflows a double is refused", "[parameter][limits]") {
    REQUIRE_THROWS_WITH(parse_parameter("--x [-1e308,1e308]"), Contains("--x") && Contains("too wide"));
    REQUIRE_THROWS_WITH(Parameter::float_range("--x", -1.7e308, 1.7e308), Contains("overflows"));
    // The widest ranges that fit are sound: every unit point maps to a finite value inside.
    require_sound_unit_form(parse_parameter("--x [-8e307,8e307]"));
    require_sound_unit_form(parse_parameter("--x [1e-300,1e308] log"));
    require_sound_unit_form(parse_parameter("--x [5e-324,1.7976931348623157e308] log"));
}

TEST_CASE("a log range too narrow for its logarithms to differ is refused", "[parameter][limits]") {
    const double lo = 1e300, hi = std::nextafter(lo, 2e300);
    REQUIRE(std::log(hi) - std::log(lo) == 0.0);  // the case: lo < hi, yet the log-width is 0
    REQUIRE_THROWS_WITH(Parameter::float_range("--x", lo, hi, true), Contains("--x") && Contains("too narrow"));
    require_sound_unit_form(Parameter::float_range("--x", lo, hi));  // linear, the same bounds are fine
}

TEST_CASE("integer ranges are limited to what the unit form keeps exact", "[parameter][limits]") {
    const long long wide = 1LL << 50;
    REQUIRE_THROWS_WITH(Parameter::int_range("--n", 0, wide), Contains("--n") && Contains("2^50"));
    REQUIRE_THROWS_WITH(parse_parameter("--n [-9007199254740992,9007199254740992]"), Contains("2^50"));
    REQUIRE_THROWS_WITH(parse_parameter("--n [1,2199023255552] log"), Contains("2^40"));
    REQUIRE_THROWS_WITH(parse_parameter("--n [9007199254740991,9007199254740992] log"), Contains("2^40"));
    // At the limits, every integer reads back as itself, the ends and their neighbours included.
    for (const Parameter& p : {Parameter::int_range("--n", 0, wide - 1), Parameter::int_range("--n", -wide / 2, wide / 2 - 1),
                               Parameter::int_range("--n", (1LL << 53) - wide + 1, 1LL << 53),
                               Parameter::int_range("--n", 1, 1LL << 40, true),
                               Parameter::int_range("--n", (1LL << 40) - 2, 1LL << 40, true)}) {
        require_sound_unit_form(p);
        for (const double k : {p.lo(), p.lo() + 1, p.hi() - 1, p.hi()}) {
            INFO(p.describe() << " k " << k);
            REQUIRE(p.from_unit(p.to_unit(k)) == k);
        }
    }
}

TEST_CASE("a flag must look like a flag, not a value", "[parse][limits]") {
    // `0.5 [0,1]` forgot its flag: the kernel would have received `0.5=0.3`.
    REQUIRE_THROWS_WITH(parse_parameter("0.5 [0,1]"), Contains("'0.5'") && Contains("starts with a letter"));
    for (const char* spec : {"-1 [0,1]", "--5 [0,1]", "- [0,1]", "-- [0,1]", "+ [0,1]", "--- [0,1]", "+1 {a,b}",
                             ".x [0,1]", "---x [0,1]", "'0.5' [0,1]", "\"--x [0,1]"}) {
        INFO(spec);
        REQUIRE_THROWS_AS(parse_parameter(spec), SpecError);
    }
    for (const char* spec : {"--lr [0.0,1.0]", "-a [0.0,1.0]", "lr [0.0,1.0]", "+model.lr [0.0,1.0]", "--_x [0,1]",
                             "_x [0,1]", "--x2 [0,1]", "--Batch-Size [1,8]"}) {
        INFO(spec);
        REQUIRE_NOTHROW(parse_parameter(spec));
    }
    // A quoted flag is its text (the quotes allow a flag of several words: '--optimizer lr').
    CHECK(parse_parameter("\"--x\" [0,1]").flag() == "--x");
}

TEST_CASE("a choice of a million options is parsed and checked for duplicates", "[parse][limits]") {
    // Pairwise comparison would take hours here (5e11 comparisons); the test's timeout is 300 s.
    constexpr std::size_t n = 1'000'000;
    std::string spec = "--c {";
    for (std::size_t i = 0; i < n; ++i) spec += (i ? "," : "") + std::to_string(i);
    const Parameter p = parse_parameter(spec + "}");
    REQUIRE(p.cardinality() == n);
    REQUIRE(p.options().back() == std::to_string(n - 1));
    // The duplicate reported is the first option that repeats an earlier one.
    REQUIRE_THROWS_WITH(parse_parameter(spec + ",999999,17}"), Contains("duplicate option '999999'"));
    REQUIRE_THROWS_WITH(parse_parameter(spec + ",17,999999}"), Contains("duplicate option '17'"));
}
