// The options of random search, declared once (see hpo/config/option_table.hpp).
#pragma once

#include <cstddef>
#include <string_view>

#include "hpo/config/option_table.hpp"

namespace hpo {

struct RandomOptions {
    static constexpr std::string_view strategy_name = "random";
    static constexpr std::string_view title = "Random strategy";

    std::size_t evals = 100;

    void check() const;  // throws std::invalid_argument naming the bad option
    static const OptionTable<RandomOptions>& table();
    friend bool operator==(const RandomOptions&, const RandomOptions&) = default;
};

namespace random {
using Options = RandomOptions;
using Optimizer = StrategyOptimizer<RandomOptions>;
}  // namespace random

}  // namespace hpo
