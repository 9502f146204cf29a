// Splitting the kernel command like a shell (without any expansion) and the hyperparameter argv.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "hpo/exec/command_line.hpp"
#include "hpo/space/parameter.hpp"
#include "hpo/space/search_space.hpp"

using hpo::split_command;
using Args = std::vector<std::string>;

TEST_CASE("words are separated by any run of whitespace", "[command_line]") {
    CHECK(split_command("python train.py") == Args{"python", "train.py"});
    CHECK(split_command("  a \t b\n c  ") == Args{"a", "b", "c"});
    CHECK(split_command("single") == Args{"single"});
}

TEST_CASE("single quotes keep everything literally", "[command_line]") {
    CHECK(split_command("echo 'a b;rm -rf x'") == Args{"echo", "a b;rm -rf x"});
    CHECK(split_command(R"(x '$HOME \n "q"')") == Args{"x", R"($HOME \n "q")"});
    CHECK(split_command("x ''") == Args{"x", ""});
}

TEST_CASE("double quotes keep all but a few backslash escapes", "[command_line]") {
    CHECK(split_command(R"(x "a b" "c\"d" "e\\f" "\$HOME" "\`" "\n")") ==
          Args{"x", "a b", "c\"d", "e\\f", "$HOME", "`", "\\n"});
    CHECK(split_command(R"(x "" "it's")") == Args{"x", "", "it's"});
    CHECK(split_command("x \"$HOME*\"") == Args{"x", "$HOME*"});
}

TEST_CASE("a backslash outside quotes escapes the next character", "[command_line]") {
    CHECK(split_command(R"(a\ b c\'d \"e\")") == Args{"a b", "c'd", "\"e\""});
    CHECK(split_command("a \\\nb") == Args{"a", "b"});  // line continuation
}

TEST_CASE("quoted parts join the word around them", "[command_line]") {
    CHECK(split_command(R"(--opt='a b'"c d"e)") == Args{"--opt=a bc de"});
}

TEST_CASE("nothing is expanded", "[command_line]") {
    CHECK(split_command("echo $HOME ~ *.py `id` $(id) a;b a|b a>b # c") ==
          Args{"echo", "$HOME", "~", "*.py", "`id`", "$(id)", "a;b", "a|b", "a>b", "#", "c"});
}

TEST_CASE("malformed commands are rejected", "[command_line]") {
    CHECK_THROWS_AS(split_command(""), hpo::CommandLineError);
    CHECK_THROWS_AS(split_command("  \t "), hpo::CommandLineError);
    CHECK_THROWS_AS(split_command("echo 'open"), hpo::CommandLineError);
    CHECK_THROWS_AS(split_command("echo \"open"), hpo::CommandLineError);
    CHECK_THROWS_AS(split_command("echo \"a\\\""), hpo::CommandLineError);
    CHECK_THROWS_AS(split_command("echo \\"), hpo::CommandLineError);
    CHECK_THROWS_WITH(split_command("echo 'open"), Catch::Contains("unterminated single quote"));
}

TEST_CASE("arg styles by name", "[command_line]") {
    CHECK(hpo::to_string(hpo::ArgStyle::equals) == "equals");
    CHECK(hpo::to_string(hpo::ArgStyle::space) == "space");
    CHECK(hpo::arg_style_from_string("equals") == hpo::ArgStyle::equals);
    CHECK(hpo::arg_style_from_string("space") == hpo::ArgStyle::space);
    CHECK_THROWS_AS(hpo::arg_style_from_string("colon"), std::invalid_argument);
    CHECK_THROWS_WITH(hpo::arg_style_from_string("colon"), Catch::Contains("colon"));
}

namespace {

hpo::SearchSpace example_space() {
    return hpo::SearchSpace({hpo::Parameter::float_range("--lr", 1e-5, 0.1, true),
                             hpo::Parameter::int_range("-n", 1, 8),
                             hpo::Parameter::choice("--opt", {"adam", "a b;rm -rf x", "it's \"q\""})});
}

}  // namespace

TEST_CASE("hyperparameters as FLAG=VALUE, one argv element each", "[command_line]") {
    const auto space = example_space();
    const hpo::Point values{0.001, 3, 1};
    const auto args = hpo::hyperparameter_args(space, values, hpo::ArgStyle::equals);
    CHECK(args == Args{"--lr=" + space[0].format(0.001), "-n=3", "--opt=a b;rm -rf x"});
    CHECK(hpo::hyperparameter_args(space, {0.001, 8, 2}, hpo::ArgStyle::equals)[2] == "--opt=it's \"q\"");
}

TEST_CASE("hyperparameters as FLAG VALUE, two argv elements each", "[command_line]") {
    const auto space = example_space();
    const auto args = hpo::hyperparameter_args(space, {0.001, 3, 1}, hpo::ArgStyle::space);
    CHECK(args == Args{"--lr", space[0].format(0.001), "-n", "3", "--opt", "a b;rm -rf x"});
}

TEST_CASE("a point of the wrong size is a programming error", "[command_line]") {
    CHECK_THROWS_AS(hpo::hyperparameter_args(example_space(), {0.001}, hpo::ArgStyle::equals),
                    std::invalid_argument);
    CHECK(hpo::hyperparameter_args(hpo::SearchSpace{}, {}, hpo::ArgStyle::space).empty());
}

TEST_CASE("a flag of several words gives that many words, the value after the last", "[command_line]") {
    hpo::SearchSpace space({hpo::Parameter::float_range("--optimizer lr", 0.0, 1.0), hpo::Parameter::int_range("--n", 1, 9)});
    CHECK(hpo::hyperparameter_args(space, {0.5, 3}, hpo::ArgStyle::equals) ==
          std::vector<std::string>{"--optimizer", "lr=0.5", "--n=3"});
    CHECK(hpo::hyperparameter_args(space, {0.5, 3}, hpo::ArgStyle::space) ==
          std::vector<std::string>{"--optimizer", "lr", "0.5", "--n", "3"});
}
