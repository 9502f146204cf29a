// The `FLAG [DEFAULT] DOMAIN [log]` grammar: what parses, and every rejection naming its parameter.
#include <catch2/catch.hpp>

#include "hpo/space/parse.hpp"

using namespace hpo;
using Catch::Matchers::Contains;

TEST_CASE("the README examples parse", "[parse]") {
    const auto a = parse_parameter("-a 1.0 [-1.0,1.0]");
    CHECK(a.flag() == "-a");
    CHECK(a.kind() == ParameterKind::float_range);
    CHECK(a.lo() == -1.0);
    CHECK(a.hi() == 1.0);
    CHECK(a.default_value() == 1.0);
    CHECK_FALSE(a.is_log());

    const auto lr = parse_parameter("--lr 0.001 [1e-5,0.1] log");
    CHECK(lr.kind() == ParameterKind::float_range);
    CHECK(lr.is_log());
    CHECK(lr.lo() == 1e-5);
    CHECK(lr.default_value() == 0.001);

    const auto layers = parse_parameter("--layers 2 [1,8]");
    CHECK(layers.kind() == ParameterKind::int_range);
    CHECK(layers.default_value() == 2.0);
    CHECK(layers.cardinality() == 8);

    const auto opt = parse_parameter("--opt adam {adam,sgd,rmsprop}");
    CHECK(opt.kind() == ParameterKind::choice);
    CHECK(opt.options() == std::vector<std::string>{"adam", "sgd", "rmsprop"});
    CHECK(opt.default_value() == 0.0);

    const auto batch = parse_parameter("--batch {16,32,64}");
    CHECK(batch.kind() == ParameterKind::choice);
    CHECK_FALSE(batch.has_default());
    CHECK(batch.options() == std::vector<std::string>{"16", "32", "64"});
}

TEST_CASE("integer range iff both bounds are integer literals", "[parse]") {
    CHECK(parse_parameter("--x [0,1]").kind() == ParameterKind::int_range);
    CHECK(parse_parameter("--x [-3,+8]").kind() == ParameterKind::int_range);
    CHECK(parse_parameter("--x [0.0,1.0]").kind() == ParameterKind::float_range);
    CHECK(parse_parameter("--x [0,1.0]").kind() == ParameterKind::float_range);
    CHECK(parse_parameter("--x [1e0,10]").kind() == ParameterKind::float_range);
    CHECK(parse_parameter("--x [1,100] log").is_log());
    CHECK(parse_parameter("--x [1,100] log").kind() == ParameterKind::int_range);
}

TEST_CASE("whitespace is free around the parts of a spec", "[parse]") {
    const auto p = parse_parameter("  --lr   0.01   [ 1e-4 , 1.0 ]   log  ");
    CHECK(p.flag() == "--lr");
    CHECK(p.lo() == 1e-4);
    CHECK(p.hi() == 1.0);
    CHECK(p.is_log());
    const auto c = parse_parameter("--opt\t{ adam , sgd }");
    CHECK(c.options() == std::vector<std::string>{"adam", "sgd"});
    CHECK(parse_parameter("lr 0.1 [0.0,1.0]").flag() == "lr");  // key=value kernels (Hydra style)
}

TEST_CASE("choice options may hold spaces and shell characters, or be quoted", "[parse]") {
    const auto c = parse_parameter("--cmd {a b;rm -rf x, plain}");
    CHECK(c.options() == std::vector<std::string>{"a b;rm -rf x", "plain"});
    const auto r = parse_parameter(R"(--q "x,y" {"x,y", "it's", "say \"hi\"", "{b}"})");
    CHECK(r.options() == std::vector<std::string>{"x,y", "it's", "say \"hi\"", "{b}"});
    CHECK(r.default_value() == 0.0);
    CHECK(parse_parameter("--q 'a b' {'a b',c}").default_value() == 0.0);
}

TEST_CASE("a choice default matches an option's text, else its numeric value", "[parse]") {
    CHECK(parse_parameter("--batch 32 {16,32,64}").default_value() == 1.0);
    CHECK(parse_parameter("--batch 32.0 {16,32,64}").default_value() == 1.0);
    CHECK(parse_parameter("--batch 6.4e1 {16,32,64}").default_value() == 2.0);
    CHECK_THROWS_WITH(parse_parameter("--batch 33 {16,32,64}"),
                      Contains("--batch") && Contains("default '33' is not one of the options"));
    CHECK_THROWS_WITH(parse_parameter("--opt adamw {adam,sgd}"), Contains("--opt") && Contains("not one of"));
}

TEST_CASE("integer-valued defaults of integer ranges", "[parse]") {
    CHECK(parse_parameter("--n 2.0 [1,8]").default_value() == 2.0);
    CHECK_THROWS_WITH(parse_parameter("--n 2.5 [1,8]"), Contains("--n") && Contains("not an integer"));
    CHECK_THROWS_WITH(parse_parameter("--n 9 [1,8]"), Contains("--n") && Contains("outside"));
    CHECK_THROWS_WITH(parse_parameter("--n 1e300 [1,8]"), Contains("outside"));
    CHECK_THROWS_WITH(parse_parameter("--n abc [1,8]"), Contains("'abc' is not a number"));
}

TEST_CASE("invalid specs are rejected with the parameter and the problem named", "[parse]") {
    struct Case {
        const char* spec;
        const char* problem;
    };
    const std::vector<Case> cases{
        {"--x [1,1]", "lo must be < hi"},
        {"--x [2.0,1.0]", "lo must be < hi"},
        {"--x 2.0 [0.0,1.0]", "outside"},
        {"--x -0.5 [0.0,1.0]", "outside"},
        {"--x [0.0,1.0] log", "'log' needs lo > 0"},
        {"--x [-1,5] log", "'log' needs lo > 0"},
        {"--x {a,b} log", "'log' applies to ranges only"},
        {"--x {}", "empty choice"},
        {"--x { }", "empty choice"},
        {"--x {a,,b}", "empty option"},
        {"--x {a,}", "empty option"},
        {"--x {\"\",b}", "empty option"},
        {"--x {a,a}", "duplicate option"},
        {"--x", "missing domain"},
        {"--x 0.5", "missing domain"},
        {"--x 0.5 0.6 [0.0,1.0]", "expected a domain"},
        {"--x [0.0,1.0] lg", "unexpected 'lg'"},
        {"--x [0.0,1.0] log extra", "unexpected 'extra' after 'log'"},
        {"--x [0.0,1.0]junk", "right after the domain"},
        {"--x [0.0,1.0", "unterminated '['"},
        {"--x {a,b", "unterminated '{'"},
        {"--x [0.0]", "exactly two bounds"},
        {"--x [0,1,2]", "exactly two bounds"},
        {"--x [,1]", "missing bound"},
        {"--x [a,1]", "'a' is not a number"},
        {"--x [0.0,inf]", "finite"},
        {"--x [nan,1.0]", "finite"},
        {"--x [0,99999999999999999999]", "out of range"},
        {"--x 'abc {a,b}", "unterminated quote"},
        {"--x {\"a,b}", "unterminated quote"},
        {"--x {\"a\" b,c}", "expected ',' or '}'"},
        {"--x {a\"b,c}", "quote the whole option"},
        {"--x abc [0.0,1.0]", "not a number"},
        {"--x=1 [0,2]", "'='"},
    };
    for (const auto& c : cases) {
        INFO(c.spec);
        REQUIRE_THROWS_AS(parse_parameter(c.spec), SpecError);
        CHECK_THROWS_WITH(parse_parameter(c.spec), Contains("parameter '--x") && Contains(c.problem));
    }
}

TEST_CASE("specs without a flag are rejected", "[parse]") {
    CHECK_THROWS_WITH(parse_parameter(""), Contains("empty parameter spec"));
    CHECK_THROWS_WITH(parse_parameter("   "), Contains("empty parameter spec"));
    CHECK_THROWS_WITH(parse_parameter("[0,1]"), Contains("missing flag"));
    CHECK_THROWS_WITH(parse_parameter("{a,b}"), Contains("missing flag"));
}

TEST_CASE("parse_search_space keeps the order and rejects duplicate flags", "[parse]") {
    const auto space = parse_search_space({"--lr 0.001 [1e-5,0.1] log", "--layers 2 [1,8]", "--opt {adam,sgd}"});
    REQUIRE(space.size() == 3);
    CHECK(space[0].flag() == "--lr");
    CHECK(space[1].flag() == "--layers");
    CHECK(space[2].flag() == "--opt");
    CHECK_THROWS_WITH(parse_search_space({"--lr [0.0,1.0]", "--n [1,2]", "--lr {a,b}"}),
                      Contains("parameter '--lr'") && Contains("duplicate flag"));
    CHECK_THROWS_WITH(parse_search_space({"--lr [0.0,1.0]", "--n [2,1]"}), Contains("parameter '--n'"));
    CHECK(parse_search_space({}).empty());
}
