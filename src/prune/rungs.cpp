// The rungs' steps and Hyperband's brackets: integer arithmetic only, so that every process and
// every resume computes the same ladder.
#include "hpo/prune/rungs.hpp"

#include <numeric>

namespace hpo {

namespace {

// Whether a rung at `step` may exist: below the full training (its last step decides nothing).
bool below_top(std::int64_t step, int max_steps) { return max_steps <= 0 || step < max_steps; }

// Positions times the stride exceed 64 bits for long ladders (eta 2, R near 2^31).
__extension__ using Wide = unsigned __int128;

constexpr std::int64_t step_limit = 2'147'483'647;  // steps are ints

}  // namespace

int rung_index(int step, int first, int eta, int max_steps) {
    if (step < first || first < 1 || eta < 2) return -1;
    std::int64_t at = first;
    int index = 0;
    while (at < step) {
        at *= eta;
        ++index;
    }
    return at == step && below_top(at, max_steps) ? index : -1;
}

std::vector<int> rung_steps(int first, int eta, int max_steps, int through_step) {
    std::vector<int> steps;
    if (first < 1 || eta < 2) return steps;
    for (std::int64_t at = first; at <= through_step && at <= step_limit && below_top(at, max_steps); at *= eta) {
        steps.push_back(static_cast<int>(at));
    }
    return steps;
}

int hyperband_brackets(const PruneOptions& options) {
    const int rungs = static_cast<int>(
        rung_steps(options.min_steps, options.reduction_factor, options.max_steps, options.max_steps).size());
    return rungs + 1;
}

std::vector<std::uint64_t> hyperband_shares(const PruneOptions& options) {
    const int k = hyperband_brackets(options) - 1;
    std::vector<std::uint64_t> shares;
    for (int b = 0; b <= k; ++b) {
        const int s = k - b;  // the original's s: how many halvings the bracket does
        std::uint64_t power = 1;
        for (int i = 0; i < s; ++i) power *= static_cast<std::uint64_t>(options.reduction_factor);
        const std::uint64_t numerator = static_cast<std::uint64_t>(k + 1) * power;
        const std::uint64_t denominator = static_cast<std::uint64_t>(s + 1);
        shares.push_back((numerator + denominator - 1) / denominator);
    }
    return shares;
}

int hyperband_bracket(const PruneOptions& options, TrialId id) { return HyperbandCycle(options).bracket(id); }

HyperbandCycle::HyperbandCycle(const PruneOptions& options) {
    std::uint64_t end = 0;
    for (std::uint64_t share : hyperband_shares(options)) ends_.push_back(end += share);
    total_ = end;
    stride_ = (total_ * 618 + 999) / 1000;  // ceil(0.618 T): the golden ratio spreads the blocks
    while (std::gcd(stride_, total_) != 1) ++stride_;
}

int HyperbandCycle::bracket(TrialId id) const {
    const auto position = static_cast<std::uint64_t>((static_cast<Wide>(id % total_) * stride_) % total_);
    for (std::size_t b = 0; b < ends_.size(); ++b) {
        if (position < ends_[b]) return static_cast<int>(b);
    }
    return static_cast<int>(ends_.size()) - 1;
}

}  // namespace hpo
