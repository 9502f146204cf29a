// Random search: the initial point, then independent uniform draws in the unit cube.
#include "hpo/strategy/random.hpp"

#include <algorithm>
#include <stdexcept>

#include "draw.hpp"
#include "state_text.hpp"

namespace hpo {
namespace {

constexpr int state_version = 1;

}  // namespace

RandomStrategy::RandomStrategy(SearchSpace space, RandomOptions options, SearchSettings settings)
    : space_(std::move(space)), options_(options), rng_(settings.seed) {
    options_.check();
}

// Each proposal consumes the generator in id order, so chunking never changes the sequence.
std::vector<Proposal> RandomStrategy::ask(std::size_t max_count, int deme) {
    detail::check_deme(name(), deme, num_demes());
    const std::size_t count = std::min<std::size_t>(max_count, options_.evals - next_id_);
    std::vector<Proposal> proposals;
    proposals.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const TrialId id = next_id_++;
        Proposal p = detail::plain_proposal(id, id == 0 ? space_.initial_point(rng_) : space_.random_point(rng_));
        pending_.emplace(p.id, p.values);
        proposals.push_back(std::move(p));
    }
    return proposals;
}

void RandomStrategy::tell(const Trial& trial) {
    if (pending_.erase(trial.id) == 0) detail::unknown_trial(name(), trial.id);
}

bool RandomStrategy::exhausted() const { return next_id_ >= options_.evals; }

std::vector<Proposal> RandomStrategy::pending() const {
    std::vector<Proposal> proposals;
    for (const auto& [id, values] : pending_) proposals.push_back(detail::plain_proposal(id, values));
    return proposals;
}

// The pending values are saved with their ids: they came from the generator, which has moved on.
std::string RandomStrategy::save_state() const {
    detail::StateWriter out(name(), state_version);
    out.dimension(space_);
    out.line("next-id") << next_id_;
    out.line("rng") << rng_;
    out.pending_points(pending_);
    return out.finish();
}

void RandomStrategy::load_state(std::string_view state) {
    detail::StateReader in(state, name(), state_version);
    in.dimension(space_);
    const TrialId next_id = in.proposals_within(options_.evals);
    in.line("rng");
    std::mt19937_64 rng;
    in.rng(rng);
    std::map<TrialId, Point> pending = in.pending_points(space_, next_id);
    in.finish();
    next_id_ = next_id;
    rng_ = rng;
    pending_ = std::move(pending);
}

}  // namespace hpo
