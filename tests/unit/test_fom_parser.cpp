// FomParser: finding the last `FoM: value` line in stdout streamed in arbitrary chunks.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "hpo/exec/fom_parser.hpp"

using hpo::FomParser;

namespace {

FomParser parse_whole(const std::string& text, const std::string& prefix = "FoM: ") {
    FomParser parser(prefix);
    parser.feed(text);
    parser.finish();
    return parser;
}

}  // namespace

TEST_CASE("a FoM line is found anywhere in a line", "[fom_parser]") {
    auto parser = parse_whole("loading\nepoch 3 FoM: 1.2e-3\ndone\n");
    REQUIRE(parser.seen());
    REQUIRE_FALSE(parser.last_was_unparsable());
    REQUIRE(parser.value() == 1.2e-3);
    REQUIRE(parser.last_text() == "1.2e-3");
}

TEST_CASE("the last FoM printed wins", "[fom_parser]") {
    auto parser = parse_whole("FoM: 5\nFoM: 2.5\nnoise\n");
    REQUIRE(parser.value() == 2.5);
}

TEST_CASE("no FoM line", "[fom_parser]") {
    auto parser = parse_whole("FoM:missing space\nfom: 1\nFoM 2\n");
    REQUIRE_FALSE(parser.seen());
    REQUIRE_FALSE(parser.value());
}

TEST_CASE("anything strtod accepts is a value, whitespace around it allowed", "[fom_parser]") {
    CHECK(parse_whole("FoM: inf\n").value() == HUGE_VAL);
    CHECK(parse_whole("FoM: -Infinity\n").value() == -HUGE_VAL);
    CHECK(parse_whole("FoM: 0x1p-3\n").value() == 0.125);
    CHECK(parse_whole("FoM: +7\n").value() == 7.0);
    CHECK(parse_whole("FoM:    3.5 \t \r\n").value() == 3.5);
    CHECK(parse_whole("FoM: 1e999\n").value() == HUGE_VAL);
}

TEST_CASE("NaN is kept as a value, for the caller to reject", "[fom_parser]") {
    auto parser = parse_whole("FoM: 1\nFoM: nan\n");
    REQUIRE(parser.value());
    REQUIRE(std::isnan(*parser.value()));
    REQUIRE_FALSE(parser.last_was_unparsable());
}

TEST_CASE("an unparsable last FoM leaves no value", "[fom_parser]") {
    for (const char* text : {"FoM: 1\nFoM: twelve\n", "FoM: 1\nFoM: 3 epochs\n", "FoM: 1\nFoM: \n",
                             "FoM: 1\nFoM:  \n"}) {
        INFO(text);
        auto parser = parse_whole(text);
        CHECK(parser.seen());
        CHECK(parser.last_was_unparsable());
        CHECK_FALSE(parser.value());
    }
    auto parser = parse_whole("FoM: twelve\nFoM: 4\n");
    CHECK_FALSE(parser.last_was_unparsable());
    CHECK(parser.value() == 4.0);
}

TEST_CASE("a last line without a newline counts once the output ends", "[fom_parser]") {
    FomParser parser("FoM: ");
    parser.feed("FoM: 1\nFoM: 6.5");
    CHECK(parser.value() == 1.0);
    parser.finish();
    CHECK(parser.value() == 6.5);
}

TEST_CASE("chunk boundaries anywhere give the same result", "[fom_parser]") {
    const std::string text = "warmup\nepoch 1 FoM: 0.5\nlog line\r\nepoch 2 FoM: 1.25e-2\ntrailer";
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        FomParser parser("FoM: ");
        parser.feed(text.substr(0, cut));
        parser.feed(text.substr(cut));
        parser.finish();
        INFO("cut at " << cut);
        CHECK(parser.value() == 1.25e-2);
    }
    FomParser bytewise("FoM: ");
    for (char c : text) bytewise.feed(std::string_view(&c, 1));
    bytewise.finish();
    CHECK(bytewise.value() == 1.25e-2);
    CHECK(bytewise.last_text() == "1.25e-2");
}

TEST_CASE("a prefix split across chunks is still found", "[fom_parser]") {
    FomParser parser("FoM: ");
    parser.feed("abc Fo");
    parser.feed("M");
    parser.feed(": 9");
    parser.feed("9\n");
    CHECK(parser.value() == 99.0);
}

TEST_CASE("only the last max_line_bytes of a line are kept", "[fom_parser]") {
    FomParser parser("FoM: ", 16);
    parser.feed(std::string(1000, 'x'));
    parser.feed("\r FoM: 1\n");  // at the end of an over-long line, as after a progress bar
    CHECK(parser.value() == 1.0);
    parser.feed("FoM: 2 " + std::string(1000, ' ') + "x\n");  // the prefix has scrolled out of the window
    CHECK(parser.value() == 1.0);
    parser.feed(std::string(1000, 'y') + " FoM: 3\n");  // a whole over-long line in one chunk
    CHECK(parser.value() == 3.0);
    for (int i = 0; i < 100; ++i) parser.feed(std::string(999, 'z'));  // bounded, however long
    parser.feed("FoM: 4");
    parser.finish();
    CHECK(parser.value() == 4.0);
}

TEST_CASE("a custom prefix", "[fom_parser]") {
    auto parser = parse_whole("loss=0.3\nval_loss=0.1\n", "val_loss=");
    CHECK(parser.value() == 0.1);
}

TEST_CASE("every FoM line is a step: counted, and told to the listener as it completes", "[fom_parser]") {
    FomParser parser("FoM: ");
    std::vector<std::pair<int, double>> steps;
    parser.on_step([&](int step, double value) { steps.emplace_back(step, value); });
    parser.feed("epoch 1 FoM: 0.9\nnoise\nepoch 2 FoM: 0.");  // a line cut between chunks
    CHECK(steps.size() == 1);
    parser.feed("5\nFoM: oops\n");
    parser.feed("FoM: 0.25");  // the last line without a newline counts at the end
    CHECK(steps.size() == 3);
    parser.finish();
    REQUIRE(steps.size() == 4);
    CHECK(parser.steps() == 4);
    CHECK(steps[0] == std::make_pair(1, 0.9));
    CHECK(steps[1] == std::make_pair(2, 0.5));
    CHECK(steps[2].first == 3);
    CHECK(std::isnan(steps[2].second));  // not a number: a step all the same, its value NaN
    CHECK(steps[3] == std::make_pair(4, 0.25));
    CHECK(parser.value() == 0.25);
}
