// The list of strategies: a run's strategy configuration is the option type of one of them.
// Adding a strategy: its own files (its options with their table, the strategy class), one
// alternative here and one overload in make_strategy (factory.cpp).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "hpo/strategy/bayes_options.hpp"
#include "hpo/strategy/genetic_options.hpp"
#include "hpo/strategy/grid_options.hpp"
#include "hpo/strategy/pbt_options.hpp"
#include "hpo/strategy/random_options.hpp"

namespace hpo {

// The first alternative is the default strategy.
using StrategyConfig = std::variant<GeneticOptions, RandomOptions, GridOptions, BayesOptions, PbtOptions>;

// Calls f(options) with a default-constructed value of every alternative, in order: for code that
// lists every strategy's options (the command line's help, the unused-option warnings).
template <class F>
void for_each_strategy(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (f(std::variant_alternative_t<I, StrategyConfig>{}), ...);
    }(std::make_index_sequence<std::variant_size_v<StrategyConfig>>{});
}

std::string_view strategy_name(const StrategyConfig& config);
std::vector<std::string_view> strategy_names();
// The default options of the strategy called `name`; throws std::invalid_argument listing the names.
StrategyConfig strategy_config_from_name(std::string_view name);

// Throws std::invalid_argument naming the first bad option; needs no search space.
void check(const StrategyConfig& config);

// Islands the strategy evolves apart (1 for all but the genetic island model).
int num_demes(const StrategyConfig& config);

// The options as `--flag value` words (`hpo show`) or `keyword=value` words (the log), in table
// order; the options marked as a budget are left out when `with_budget` is false (describe_fields).
std::string describe_options(const StrategyConfig& config, OptionStyle style, bool with_budget = true);

}  // namespace hpo
