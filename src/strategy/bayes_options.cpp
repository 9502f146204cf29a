// The Bayesian strategy's options: their table, their checks, the acquisition's words.
#include "hpo/strategy/bayes_options.hpp"

#include <stdexcept>
#include <string>

namespace hpo {

std::string_view to_string(Acquisition acquisition) {
    switch (acquisition) {
    case Acquisition::ei: return "ei";
    case Acquisition::ucb: return "ucb";
    }
    return "unknown";
}

Acquisition acquisition_from_string(std::string_view text) {
    for (auto a : {Acquisition::ei, Acquisition::ucb})
        if (to_string(a) == text) return a;
    throw std::invalid_argument("unknown acquisition '" + std::string(text) + "' (expected ei or ucb)");
}

const OptionTable<BayesOptions>& BayesOptions::table() {
    using O = BayesOptions;
    static const OptionTable<O> rows = {
        option(&O::evals, "evals", "evals", "N", "evaluations, the default point first", /*budget=*/true),
        option(&O::initial, "initial", "initial", "K",
               "the initial design: the default point, then space-filling (Sobol) points, before the model "
               "proposes; 0 = 2 x parameters + 1"),
        option(&O::acquisition, "acquisition", "acquisition", "NAME",
               "ei (expected improvement) or ucb (confidence bound)", false, &acquisition_from_string),
    };
    return rows;
}

void BayesOptions::check() const {
    if (evals == 0) throw std::invalid_argument("bayes: evals must be >= 1 (got 0)");
}

}  // namespace hpo
