// The pbt strategy's options: their table and their checks.
#include "hpo/strategy/pbt_options.hpp"

#include <stdexcept>
#include <string>

namespace hpo {

namespace {

constexpr int max_population = 1'000'000;  // every member is held in memory, as genetic's individuals

void require(bool ok, const std::string& message) {
    if (!ok) throw std::invalid_argument("pbt: " + message);
}

}  // namespace

const OptionTable<PbtOptions>& PbtOptions::table() {
    using O = PbtOptions;
    static const OptionTable<O> rows = {
        option(&O::population, "population", "population", "N", "members trained side by side"),
        option(&O::rounds, "rounds", "rounds", "N", "rounds each member trains (one trial each)", /*budget=*/true),
        option(&O::exploit_fraction, "exploit_fraction", "exploit-fraction", "F",
               "after each round a member in the bottom F of the ranking copies one in the top F"),
        option(&O::resample_probability, "resample_probability", "resample-probability", "P",
               "probability that exploring draws a hyperparameter afresh instead of perturbing it"),
    };
    return rows;
}

void PbtOptions::check() const {
    require(population >= 1 && population <= max_population, "population must be in [1," +
                                                                 std::to_string(max_population) + "] (got " +
                                                                 std::to_string(population) + ")");
    require(rounds >= 1, "rounds must be >= 1 (got " + std::to_string(rounds) + ")");
    // Above one half the top and the bottom of the ranking would overlap.
    require(exploit_fraction >= 0.0 && exploit_fraction <= 0.5,
            "exploit_fraction must be in [0,0.5] (got " + option_text(exploit_fraction) + ")");
    require(resample_probability >= 0.0 && resample_probability <= 1.0,
            "resample_probability must be in [0,1] (got " + option_text(resample_probability) + ")");
    // Keeps planned_evaluations() exact in a size_t and in a double.
    const double total = static_cast<double>(population) * rounds;
    require(total <= 1e15, "population * rounds is too large (" + option_text(total) + ")");
}

}  // namespace hpo
