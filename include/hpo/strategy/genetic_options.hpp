// The options of the genetic island model, declared once (see hpo/config/option_table.hpp).
#pragma once

#include <string_view>

#include "hpo/config/option_table.hpp"

namespace hpo {

enum class GeneticMode { generational, steady_state };

std::string_view to_string(GeneticMode mode);
GeneticMode genetic_mode_from_string(std::string_view text);  // throws std::invalid_argument

struct GeneticOptions {
    static constexpr std::string_view strategy_name = "genetic";
    static constexpr std::string_view title = "Genetic strategy (island model)";

    int generations = 10;
    int pop_size = 10;
    int num_demes = 1;
    double mutation_rate = 0.05;
    double crossover_rate = 0.33;
    int migration_interval = 5;
    int elites = 1;
    GeneticMode mode = GeneticMode::generational;
    // With @checkpoint, the seed's PBT: a child starts from a copy of the checkpoint its parent
    // wrote only at generations that are multiples of gens_per_epoch; at the others, from the
    // one its parent started from, so that one epoch's individuals share their starting weights.
    int gens_per_epoch = 1;

    // Throws std::invalid_argument naming the first bad option.
    void check() const;
    static const OptionTable<GeneticOptions>& table();
    friend bool operator==(const GeneticOptions&, const GeneticOptions&) = default;
};

// The driver API's names (hpo/driver/optimizer.hpp): hpo::genetic::Optimizer.
namespace genetic {
using Options = GeneticOptions;
using Optimizer = StrategyOptimizer<GeneticOptions>;
}  // namespace genetic

}  // namespace hpo
