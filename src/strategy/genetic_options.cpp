// The genetic strategy's options: their table, their checks, the mode's words.
#include "hpo/strategy/genetic_options.hpp"

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
        option(&O::generations, "generations", "generations", "N", "generations per deme", /*budget=*/true),
        option(&O::pop_size, "pop_size", "pop-size", "N", "individuals per deme"),
        option(&O::num_demes, "num_demes", "demes", "N", "islands evolving apart"),
        option(&O::mutation_rate, "mutation_rate", "mutation-rate", "P", "probability of mutating each gene"),
        option(&O::crossover_rate, "crossover_rate", "crossover-rate", "P", "probability of crossing parents"),
        option(&O::migration_interval, "migration_interval", "migration-interval", "N",
               "every N generations each deme sends its best to its neighbour"),
        option(&O::elites, "elites", "elites", "N", "best individuals kept as they are"),
        option(&O::gens_per_epoch, "gens_per_epoch", "gens-per-epoch", "N",
               "with @checkpoint: generations per epoch: children start from the checkpoint their parent wrote "
               "only every N generations (the seed's PBT)"),
        option(&O::mode, "mode", "mode", "MODE", "generational, or steady-state (breed whenever a worker frees up)",
               false, &genetic_mode_from_string),
    };
    return rows;
}

void GeneticOptions::check() const {
    require(generations >= 1, "generations must be >= 1 (got " + std::to_string(generations) + ")");
    require(pop_size >= 1, "pop_size must be >= 1 (got " + std::to_string(pop_size) + ")");
    require(num_demes >= 1, "num_demes must be >= 1 (got " + std::to_string(num_demes) + ")");
    require_rate(mutation_rate, "mutation_rate");
    require_rate(crossover_rate, "crossover_rate");
    require(migration_interval >= 1, "migration_interval must be >= 1 (got " + std::to_string(migration_interval) + ")");
    require(gens_per_epoch >= 1, "gens_per_epoch must be >= 1 (got " + std::to_string(gens_per_epoch) + ")");
    require(elites >= 0 && elites < pop_size, "elites must be >= 0 and < pop_size (got elites " +
                                                  std::to_string(elites) + ", pop_size " + std::to_string(pop_size) + ")");
    // Every individual of every deme is held in memory (its genes and its record): a million
    // is far more than a search evaluates per generation, and a typo beyond it would end in
    // std::bad_alloc instead of this message.
    const double individuals = static_cast<double>(pop_size) * num_demes;
    require(individuals <= static_cast<double>(max_individuals),
            "pop_size * num_demes must be at most " + std::to_string(max_individuals) + " (got " +
                std::to_string(pop_size) + " * " + std::to_string(num_demes) + ")");
    // Keeps planned_evaluations() exact in a size_t and in a double.
    const double total = static_cast<double>(generations) * pop_size * num_demes;
    require(total <= 1e15, "generations * pop_size * num_demes is too large (" + option_text(total) + ")");
}

}  // namespace hpo
