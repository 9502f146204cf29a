// The options of grid search, declared once (see hpo/config/option_table.hpp).
#pragma once

#include <cstddef>
#include <string_view>

#include "hpo/config/option_table.hpp"

namespace hpo {

struct GridOptions {
    static constexpr std::string_view strategy_name = "grid";
    static constexpr std::string_view title = "Grid strategy";

    std::size_t grid_size = 5;  // points per range, >= 2 (both ends are always on the grid)

    void check() const;  // throws std::invalid_argument naming the bad option
    static const OptionTable<GridOptions>& table();
    friend bool operator==(const GridOptions&, const GridOptions&) = default;
};

namespace grid {
using Options = GridOptions;
using Optimizer = StrategyOptimizer<GridOptions>;
}  // namespace grid

}  // namespace hpo
