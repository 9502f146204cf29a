// The random strategy's options: their table and their checks.
#include "hpo/strategy/random_options.hpp"

#include <stdexcept>

namespace hpo {

const OptionTable<RandomOptions>& RandomOptions::table() {
    static const OptionTable<RandomOptions> rows = {
        option(&RandomOptions::evals, "evals", "evals", "N", "evaluations, the default point first", /*budget=*/true),
    };
    return rows;
}

void RandomOptions::check() const {
    if (evals == 0) throw std::invalid_argument("random: evals must be >= 1 (got 0)");
}

}  // namespace hpo
