// number_text: the shortest text that reads back as the same double.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "hpo/number_text.hpp"

using hpo::number_text;

TEST_CASE("whole numbers and short decimals print without trailing zeros", "[number_text]") {
    CHECK(number_text(120.0) == "120");
    CHECK(number_text(0.05) == "0.05");
    CHECK(number_text(0.33) == "0.33");
    CHECK(number_text(1.0) == "1");
    CHECK(number_text(0.0) == "0");
    CHECK(number_text(-2.5) == "-2.5");
    CHECK(number_text(1e-5) == "1e-05");
}

TEST_CASE("non-finite values print as strtod reads them", "[number_text]") {
    CHECK(number_text(std::numeric_limits<double>::infinity()) == "inf");
    CHECK(number_text(-std::numeric_limits<double>::infinity()) == "-inf");
    CHECK(number_text(std::nan("")) == "nan");
    CHECK(number_text(-std::nan("")) == "nan");
}

TEST_CASE("every printed value reads back as the same double", "[number_text]") {
    for (double value : {0.1, 1.0 / 3.0, 123456.789, 6.02214076e23, 5e-324, std::numeric_limits<double>::max(),
                         -std::numeric_limits<double>::min()}) {
        const std::string text = number_text(value);
        INFO(text);
        CHECK(std::strtod(text.c_str(), nullptr) == value);
    }
}
