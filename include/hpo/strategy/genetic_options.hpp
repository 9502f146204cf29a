// The options of the genetic island model, declared once (see hpo/config/option_table.hpp).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "hpo/config/option_table.hpp"

namespace hpo {

enum class GeneticMode { generational, steady_state };

std::string_view to_string(GeneticMode mode);
GeneticMode genetic_mode_from_string(std::string_view text);  // throws std::invalid_argument

struct GeneticOptions {
    static constexpr std::string_view strategy_name = "genetic";
    static constexpr std::string_view title = "Genetic strategy (island model)";

    // The budget: evals proposals in all (budget_default_evals when neither evals nor generations
    // is given), or, with generations, demes x (pop_size + (generations - 1) x (pop_size - elites))
    // in generational mode and demes x generations x pop_size in steady-state mode. 0: not given.
    std::size_t evals = 0;
    int generations = 0;
    // 0: from each deme's share of the budget (GeneticPlan); 10 when the budget is generations.
    int pop_size = 0;
    int num_demes = 1;
    // Issue 16: 1 and 1 (were 0.05 and 0.33): every child is the fitter half's weighted mean plus a
    // correlated step in every gene, which wins at 50-200 evaluations (bench/README.md).
    double mutation_rate = 1.0;
    double crossover_rate = 1.0;
    // Issue 16: 1 (was 5): the demes of a small budget must learn from each other's results.
    int migration_interval = 1;
    // -1: not given: 1, except with several demes and an evals budget: all but 2 of the population
    // (elites_for_budget).
    int elites = -1;
    GeneticMode mode = GeneticMode::generational;
    // With @checkpoint, the seed's PBT: a child starts from a copy of the checkpoint its parent
    // wrote only at generations that are multiples of gens_per_epoch; at the others, from the
    // one its parent started from, so that one epoch's individuals share their starting weights.
    int gens_per_epoch = 1;

    static constexpr std::size_t budget_default_evals = 100;
    static constexpr int default_pop_size = 10;  // with --generations and no --pop-size

    // Throws std::invalid_argument naming the first bad option.
    void check() const;
    static const OptionTable<GeneticOptions>& table();
    friend bool operator==(const GeneticOptions&, const GeneticOptions&) = default;
};

// What the options mean for a run: the population size, the generations and every deme's number
// of proposals (its quota). With an evals budget, deme d makes evals / demes proposals (one more
// for the first evals % demes demes) and, when --pop-size is not given, its population is
// population_for_budget(its quota) and, when --elites is not given, its elites elites_for_budget;
// generations are as many as the quota needs, the last one possibly smaller (its other slots are
// carried over, the fittest first, as elites are).
struct GeneticPlan {
    int pop_size = 0;
    int generations = 0;
    int elites = 0;
    bool pop_from_budget = false;         // pop_size was not given: a resume keeps the run's own
    std::vector<std::size_t> quota;       // proposals per deme
    std::size_t total() const;
};

// Throws std::invalid_argument when the options do not make a run (see GeneticOptions::check).
// `pop_size` > 0 overrides the options' (a resume keeps the population size it started with).
GeneticPlan plan_genetic_run(const GeneticOptions& options, int pop_size = 0);

// The population per deme for a deme's share of the budget when --pop-size is not given.
int population_for_budget(std::size_t evals_per_deme);

// The elites per deme when --elites is not given and the budget is evals: 1 with one deme; with
// several, all but 2 of the population (at least 1), so that each deme breeds 2 children a
// generation from the pool of every deme's members (demes meet at every generation by default).
int elites_for_budget(int pop_size, int demes);

// The driver API's names (hpo/driver/optimizer.hpp): hpo::genetic::Optimizer.
namespace genetic {
using Options = GeneticOptions;
using Optimizer = StrategyOptimizer<GeneticOptions>;
}  // namespace genetic

}  // namespace hpo
