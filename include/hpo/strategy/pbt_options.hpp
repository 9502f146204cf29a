// The options of population-based training, declared once (see hpo/config/option_table.hpp).
#pragma once

#include <string_view>

#include "hpo/config/option_table.hpp"

namespace hpo {

struct PbtOptions {
    static constexpr std::string_view strategy_name = "pbt";
    static constexpr std::string_view title = "Population-based training strategy";

    int population = 8;
    int rounds = 10;
    double exploit_fraction = 0.25;
    double resample_probability = 0.25;

    // Throws std::invalid_argument naming the first bad option.
    void check() const;
    static const OptionTable<PbtOptions>& table();
    friend bool operator==(const PbtOptions&, const PbtOptions&) = default;
};

// The driver API's names (hpo/driver/optimizer.hpp): hpo::pbt::Optimizer.
namespace pbt {
using Options = PbtOptions;
using Optimizer = StrategyOptimizer<PbtOptions>;
}  // namespace pbt

}  // namespace hpo
