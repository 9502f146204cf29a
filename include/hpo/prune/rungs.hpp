// Where ASHA and Hyperband decide: the steps of the rungs and a trial's Hyperband bracket, as
// pure functions of the options (docs/pruning.md), for the pruners, the docs' tables and tests.
#pragma once

#include <cstdint>
#include <vector>

#include "hpo/prune/prune_options.hpp"
#include "hpo/trial.hpp"

namespace hpo {

// The rung index of `step` on the ladder first, first*eta, first*eta^2, ... (only steps below
// max_steps when max_steps > 0), or -1 when `step` is not a rung.
int rung_index(int step, int first, int eta, int max_steps);

// The rungs of that ladder up to `through_step` (all of them when max_steps > 0 and
// through_step >= max_steps).
std::vector<int> rung_steps(int first, int eta, int max_steps, int through_step);

// Hyperband: the number of brackets, K + 1 where K is the number of ASHA rungs below max_steps
// (min_steps * eta^k < max_steps). Bracket b's first rung is min_steps * eta^b; bracket K has none.
int hyperband_brackets(const PruneOptions& options);

// Hyperband's share of trials per bracket over one cycle: bracket b gets
// ceil((K+1) * eta^(K-b) / (K-b+1)) trials, the original Hyperband's n_i, so that each bracket
// spends about the same number of steps.
std::vector<std::uint64_t> hyperband_shares(const PruneOptions& options);

// The bracket of trial `id`: with T the sum of the shares and A the smallest integer
// >= ceil(0.618 * T) coprime with T, position p = ((id mod T) * A) mod T, and the bracket is the
// one whose block of consecutive positions (bracket 0's share first) holds p. Over any T
// consecutive ids each bracket gets exactly its share, spread out rather than in a run.
int hyperband_bracket(const PruneOptions& options, TrialId id);

// The same, computed once for many ids (a worker asks for each FoM line).
class HyperbandCycle {
public:
    explicit HyperbandCycle(const PruneOptions& options);
    int bracket(TrialId id) const;

private:
    std::vector<std::uint64_t> ends_;  // the end of each bracket's block of positions
    std::uint64_t total_ = 1;          // T
    std::uint64_t stride_ = 1;         // A
};

}  // namespace hpo
