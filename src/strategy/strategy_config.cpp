// What works on any strategy's options: names, checks, descriptions (see strategy_config.hpp).
#include "hpo/strategy/strategy_config.hpp"

#include <optional>
#include <stdexcept>

namespace hpo {

std::string_view strategy_name(const StrategyConfig& config) {
    return std::visit([](const auto& options) { return options.strategy_name; }, config);
}

std::vector<std::string_view> strategy_names() {
    std::vector<std::string_view> names;
    for_each_strategy([&](const auto& options) { names.push_back(options.strategy_name); });
    return names;
}

StrategyConfig strategy_config_from_name(std::string_view name) {
    std::optional<StrategyConfig> found;
    std::string expected;
    for_each_strategy([&](const auto& options) {
        if (options.strategy_name == name) found = options;
        expected += (expected.empty() ? "" : ", ") + std::string(options.strategy_name);
    });
    if (!found) throw std::invalid_argument("unknown strategy '" + std::string(name) + "' (expected " + expected + ")");
    return *found;
}

void check(const StrategyConfig& config) {
    std::visit([](const auto& options) { options.check(); }, config);
}

int num_demes(const StrategyConfig& config) {
    return std::visit(
        [](const auto& options) {
            if constexpr (requires { options.num_demes; }) return options.num_demes;
            else return 1;
        },
        config);
}

std::string describe_options(const StrategyConfig& config, OptionStyle style, bool with_budget) {
    return std::visit(
        [&](const auto& options) { return describe_fields(options, options.table(), style, with_budget); }, config);
}

}  // namespace hpo
