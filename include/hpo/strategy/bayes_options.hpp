// The options of Bayesian optimization, declared once (see hpo/config/option_table.hpp).
#pragma once

#include <cstddef>
#include <string_view>

#include "hpo/config/option_table.hpp"

namespace hpo {

enum class Acquisition { ei, ucb };

std::string_view to_string(Acquisition acquisition);
Acquisition acquisition_from_string(std::string_view text);  // throws std::invalid_argument

struct BayesOptions {
    static constexpr std::string_view strategy_name = "bayes";
    static constexpr std::string_view title = "Bayesian strategy (Gaussian process; proposes while others run)";

    std::size_t evals = 100;
    std::size_t initial = 0;  // the initial design, default point included; 0: 2 * parameters + 1
    Acquisition acquisition = Acquisition::ei;

    void check() const;  // throws std::invalid_argument naming the bad option
    static const OptionTable<BayesOptions>& table();
    friend bool operator==(const BayesOptions&, const BayesOptions&) = default;
};

namespace bayes {
using Options = BayesOptions;
using Optimizer = StrategyOptimizer<BayesOptions>;
}  // namespace bayes

}  // namespace hpo
