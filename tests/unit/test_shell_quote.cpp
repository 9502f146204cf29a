// shell_quote and shell_join: what hpo prints of a command reads back as the same words.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "hpo/exec/command_line.hpp"

using hpo::shell_join;
using hpo::shell_quote;
using hpo::split_command;
using Words = std::vector<std::string>;

namespace {

// Each of these broke some quoting hpo once had (`'it's'`), or breaks a naive one.
const Words nasty_words = {
    "",
    "plain",
    "two words",
    "it's",
    "'",
    "''",
    "\"double\"",
    "back\\slash",
    "trailing\\",
    "$HOME",
    "`date`",
    "$(rm -rf x)",
    "a;b&c|d",
    "line\nbreak",
    "tab\there",
    "*?[a]",
    "~user",
    "#comment",
    "caf\xc3\xa9 \xe2\x82\xac",
    "--name=it's a \"test\"",
    "{a,b}",
    "!bang",
};

}  // namespace

TEST_CASE("a quote inside a word is written '\\'' so that a shell reads it back", "[shell_quote]") {
    CHECK(shell_quote("it's") == R"('it'\''s')");
    CHECK(shell_quote("") == "''");
    CHECK(shell_quote("a b") == "'a b'");
}

TEST_CASE("words no shell treats specially stay as they are", "[shell_quote]") {
    CHECK(shell_quote("--lr=0.001") == "--lr=0.001");
    CHECK(shell_quote("/home/me/train.py") == "/home/me/train.py");
    CHECK(shell_join({"python3", "train.py", "--epochs", "3"}) == "python3 train.py --epochs 3");
}

TEST_CASE("split_command reads shell_join's text back as the same words", "[shell_quote]") {
    for (const auto& word : nasty_words) {
        INFO("word: " << word);
        CHECK(split_command(shell_quote(word)) == Words{word});
        CHECK(split_command("x " + shell_quote(word) + " y") == Words{"x", word, "y"});
    }
    CHECK(split_command(shell_join(nasty_words)) == nasty_words);
}

TEST_CASE("shell_join of no words is empty", "[shell_quote]") { CHECK(shell_join({}).empty()); }
