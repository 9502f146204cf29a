// The genetic strategy's options: their table, their checks, the mode's words.
#include "hpo/strategy/genetic_options.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace hpo {

namespace {

constexpr int max_individuals = 1'000'000;  // pop_size * num_demes (README: Strategies)

void require(bool ok, const std::string& message) {
    if (!ok) throw std::invalid_argument("genetic: " + message);
}

void require_rate(double rate, const char* name) {
    require(rate >= 0.0 && rate <= 1.0, std::string(name) + " must be in [0,1] (got " + option_text(rate) + ")");
}

}  // namespace

std::string_view to_string(GeneticMode mode) {
    return mode == GeneticMode::generational ? "generational" : "steady-state";
}

GeneticMode genetic_mode_from_string(std::string_view text) {
    if (text == "generational") return GeneticMode::generational;
    if (text == "steady-state" || text == "steady_state") return GeneticMode::steady_state;
    throw std::invalid_argument("unknown genetic mode '" + std::string(text) +
                                "' (expected generational or steady-state)");
}

const OptionTable<GeneticOptions>& GeneticOptions::table() {
    using O = GeneticOptions;
    static const OptionTable<O> rows = {
        unset_when_zero(option(&O::evals, "evals", "evals", "N",
               "trials in all (100 by default; genetic: unless --generations is given, shared by the demes, "
               "each deme's population growing with its share unless --pop-size is given)",
               /*budget=*/true)),
        unset_when_zero(option(&O::generations, "generations", "generations", "N",
               "generations per deme, instead of --evals: demes x (pop-size + (N - 1) x (pop-size - elites)) "
               "proposals (steady-state: demes x N x pop-size)",
               /*budget=*/true)),
        unset_when_zero(option(&O::pop_size, "pop_size", "pop-size", "N",
               "individuals per deme (0: from the budget, see --evals; 10 with --generations)")),
        option(&O::num_demes, "num_demes", "demes", "N", "islands evolving apart"),
        option(&O::mutation_rate, "mutation_rate", "mutation-rate", "P",
               "probability of mutating each gene (a step drawn from the fitter half's covariance; a choice "
               "changes with a quarter of it)"),
        option(&O::crossover_rate, "crossover_rate", "crossover-rate", "P",
               "probability that a child starts from the weighted mean of the fitter half of its deme rather "
               "than from one parent picked by tournament"),
        option(&O::migration_interval, "migration_interval", "migration-interval", "N",
               "every N generations the demes meet: each sends its best to its neighbour and breeds its next "
               "generation from every deme's members"),
        unset_when(option(&O::elites, "elites", "elites", "N",
                          "best individuals of a deme kept as they are (-1: 1, except with several demes and --evals: "
                          "all but 2 of the population, so that each deme breeds 2 children a generation)"),
                   OptionValue(-1)),
        option(&O::gens_per_epoch, "gens_per_epoch", "gens-per-epoch", "N",
               "with @checkpoint: generations per epoch: children start from the checkpoint their parent wrote "
               "only every N generations (the seed's PBT)"),
        option(&O::mode, "mode", "mode", "MODE", "generational, or steady-state (breed whenever a worker frees up)",
               false, &genetic_mode_from_string),
    };
    return rows;
}

void GeneticOptions::check() const {
    // 0: not given (the budget is then evals; the population comes from it).
    require(generations >= 0, "generations must be >= 1, or 0 for a budget given as evals (got " +
                                  std::to_string(generations) + ")");
    require(pop_size >= 0, "pop_size must be >= 1, or 0 for a population sized by the budget (got " +
                               std::to_string(pop_size) + ")");
    require(num_demes >= 1, "num_demes must be >= 1 (got " + std::to_string(num_demes) + ")");
    require_rate(mutation_rate, "mutation_rate");
    require_rate(crossover_rate, "crossover_rate");
    require(migration_interval >= 1, "migration_interval must be >= 1 (got " + std::to_string(migration_interval) + ")");
    require(gens_per_epoch >= 1, "gens_per_epoch must be >= 1 (got " + std::to_string(gens_per_epoch) + ")");
    (void)plan_genetic_run(*this);
}

std::size_t GeneticPlan::total() const {
    std::size_t sum = 0;
    for (std::size_t q : quota) sum += q;
    return sum;
}

// The square root of a deme's budget, at least 4 (and at most the budget): 50 evaluations in one
// deme make a population of 7 bred over 8 generations, 200 make 14 over 15; the four demes of a
// 100-evaluation budget get 5 each (bench/README.md: the evidence).
int population_for_budget(std::size_t evals_per_deme) {
    const double pop = std::max(4.0, std::round(std::sqrt(static_cast<double>(evals_per_deme))));
    return static_cast<int>(std::min(pop, static_cast<double>(std::min<std::size_t>(evals_per_deme, 1000))));
}

// Several demes meet at every generation (by default) and breed from every deme's members: a
// deme that keeps all but 2 of its members and breeds 2 children a generation makes the pool
// one large population that keeps every deme's best and learns from each result soon
// (bench/README.md, issue 16, row H: four demes of 5 with 3 elites beat row G's 3 with 1 elite on
// 5 of 6 problems at 100 evaluations and 4 of 6 at 200, on seeds they were not chosen on).
int elites_for_budget(int pop_size, int demes) { return demes == 1 ? 1 : std::max(1, pop_size - 2); }

GeneticPlan plan_genetic_run(const GeneticOptions& o, int pop_override) {
    const auto demes = static_cast<std::size_t>(o.num_demes);
    const bool generational = o.mode == GeneticMode::generational;
    require(o.evals == 0 || o.generations == 0,
            "give the budget as evals or as generations, not both (got evals " + std::to_string(o.evals) +
                ", generations " + std::to_string(o.generations) + ")");
    // Before anything is sized by the number of demes (every deme has at least one individual).
    require(o.num_demes <= max_individuals, "pop_size * num_demes must be at most " + std::to_string(max_individuals) +
                                                " (got at least 1 * " + std::to_string(o.num_demes) + ")");
    GeneticPlan plan;
    plan.pop_from_budget = o.pop_size == 0;
    require(o.elites >= -1, "elites must be >= 0, or -1 for elites that follow from the budget (got " +
                                std::to_string(o.elites) + ")");
    auto check_pop = [&](int pop, int elites) {
        require(!plan.pop_from_budget || elites < pop,
                "evals gives each deme " + std::to_string(pop) + " proposals, too few for a population larger than "
                "its elites (" + std::to_string(elites) + "): give at least " +
                    std::to_string((elites + 1) * o.num_demes) + " evals, or fewer elites");
        require(elites < pop, "elites must be >= 0 and < pop_size (got elites " + std::to_string(elites) +
                                    ", pop_size " + std::to_string(pop) + ")");
        // Every individual of every deme is held in memory (its genes and its record): a million
        // is far more than a search evaluates per generation, and a typo beyond it would end in
        // std::bad_alloc instead of this message.
        const double individuals = static_cast<double>(pop) * o.num_demes;
        require(individuals <= static_cast<double>(max_individuals),
                "pop_size * num_demes must be at most " + std::to_string(max_individuals) + " (got " +
                    std::to_string(pop) + " * " + std::to_string(o.num_demes) + ")");
    };
    if (o.generations > 0) {
        const int pop = pop_override > 0 ? pop_override : o.pop_size > 0 ? o.pop_size : GeneticOptions::default_pop_size;
        const int elites = o.elites >= 0 ? o.elites : 1;  // the seed's budget formula, whatever the demes
        check_pop(pop, elites);
        // Keeps planned_evaluations() exact in a size_t and in a double.
        const double total = static_cast<double>(o.generations) * pop * o.num_demes;
        require(total <= 1e15, "generations * pop_size * num_demes is too large (" + option_text(total) + ")");
        const auto p = static_cast<std::size_t>(pop), g = static_cast<std::size_t>(o.generations),
                   e = static_cast<std::size_t>(elites);
        plan.pop_size = pop;
        plan.generations = o.generations;
        plan.elites = elites;
        plan.quota.assign(demes, generational ? p + (g - 1) * (p - e) : g * p);
        return plan;
    }
    const std::size_t total = o.evals > 0 ? o.evals : GeneticOptions::budget_default_evals;
    require(static_cast<double>(total) <= 1e15, "evals is too large (" + std::to_string(total) + ")");
    for (std::size_t d = 0; d < demes; ++d) plan.quota.push_back(total / demes + (d < total % demes ? 1 : 0));
    const std::size_t smallest = plan.quota.back(), largest = plan.quota.front();
    int pop = pop_override > 0 ? pop_override : o.pop_size;
    if (pop == 0) pop = population_for_budget(smallest);
    const int elites = o.elites >= 0 ? o.elites : elites_for_budget(std::max(pop, 1), o.num_demes);
    check_pop(std::max(pop, 1), elites);
    require(smallest >= 1, "evals must be at least the number of demes (got evals " + std::to_string(total) +
                               ", demes " + std::to_string(o.num_demes) + ")");
    check_pop(pop, elites);
    require(smallest >= static_cast<std::size_t>(pop),
            "evals gives each deme " + std::to_string(smallest) + " proposals, fewer than its population of " +
                std::to_string(pop) + " (evals " + std::to_string(total) + ", demes " + std::to_string(o.num_demes) +
                "): give more evals" + (o.pop_size > 0 ? " or a smaller pop_size" : ""));
    const auto p = static_cast<std::size_t>(pop), children = static_cast<std::size_t>(pop - elites);
    const std::size_t generations = generational ? 1 + (largest - p + children - 1) / children : (largest + p - 1) / p;
    require(generations <= static_cast<std::size_t>(std::numeric_limits<int>::max()),
            "evals makes too many generations (" + std::to_string(generations) + "): give a larger pop_size");
    plan.pop_size = pop;
    plan.generations = static_cast<int>(generations);
    plan.elites = elites;
    return plan;
}

}  // namespace hpo
