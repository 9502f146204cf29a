// The grid strategy's options: their table and their checks.
#include "hpo/strategy/grid_options.hpp"

#include <stdexcept>
#include <string>

namespace hpo {

const OptionTable<GridOptions>& GridOptions::table() {
    static const OptionTable<GridOptions> rows = {
        option(&GridOptions::grid_size, "grid_size", "grid-size", "N",
               "points per range, ends included (every option of a choice)"),
    };
    return rows;
}

void GridOptions::check() const {
    if (grid_size < 2)
        throw std::invalid_argument("grid: grid_size must be >= 2 (got " + std::to_string(grid_size) +
                                    "): both ends of every range are on the grid");
}

}  // namespace hpo
