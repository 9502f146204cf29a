// Random search: the initial point, then independent uniform draws in the unit cube.
#include "hpo/strategy/random.hpp"

#include <algorithm>
#include <stdexcept>

#include "draw.hpp"

namespace hpo {

RandomStrategy::RandomStrategy(SearchSpace space, RandomOptions options)
    : space_(std::move(space)), options_(options), rng_(options.seed) {
    if (options_.evals == 0) throw std::invalid_argument("random: evals must be >= 1 (got 0)");
}

// Each proposal consumes the generator in id order, so chunking never changes the sequence.
std::vector<Proposal> RandomStrategy::ask(std::size_t max_count, int deme) {
    detail::check_deme(name(), deme, num_demes());
    const std::size_t count = std::min<std::size_t>(max_count, options_.evals - next_id_);
    std::vector<Proposal> proposals;
    proposals.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        Proposal p;
        p.id = next_id_++;
        p.values = p.id == 0 ? space_.initial_point(rng_) : space_.random_point(rng_);
        pending_.insert(p.id);
        proposals.push_back(std::move(p));
    }
    return proposals;
}

void RandomStrategy::tell(const Trial& trial) {
    if (pending_.erase(trial.id) == 0) detail::unknown_trial(name(), trial.id);
}

bool RandomStrategy::exhausted() const { return next_id_ >= options_.evals; }

}  // namespace hpo
