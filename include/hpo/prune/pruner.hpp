// The pruning decision as a value: fed each trial's intermediate losses in the order they arrive,
// it says at once whether the trial should stop (docs/pruning.md). No processes, no time, no
// randomness: its state is a function of the sequence of calls alone, so a resume rebuilds it by
// replaying the checkpoint's intermediate values.
#pragma once

#include <memory>

#include "hpo/prune/prune_options.hpp"
#include "hpo/trial.hpp"

namespace hpo {

class Pruner {
public:
    virtual ~Pruner() = default;

    // Trial `id` reached `step` (from 1, increasing for each trial; a step may be skipped when
    // wants() said it does not matter) with `loss` (lower is better: the caller negates a FoM it
    // maximizes; NaN and infinities count as the worst value). Returns true when the trial
    // should stop now. A report for a trial already stopped or finished records nothing and
    // returns whether it was stopped (a value still in flight when the stop was sent). Throws
    // std::invalid_argument for a step < 1 or one not after the trial's previous step.
    virtual bool report(TrialId id, int step, double loss) = 0;

    // Trial `id` ended: `completed` when it ran to its end with an ok status (not stopped by
    // this pruner, not failed). Its values at the rungs stay where they are; the median rule
    // learns from completed trials only.
    virtual void finish(TrialId id, bool completed) = 0;

    // Trial `id` runs again from step 1 (its worker was lost before it ended): the values it
    // left are taken back (decisions already made against them stand) and it is live again.
    // Throws std::invalid_argument for a trial that has finished.
    virtual void restart(TrialId id) = 0;

    // Whether a value of trial `id` at `step` can matter to a decision: a worker may drop the
    // others (a kernel printing a FoM line per batch floods nothing).
    virtual bool wants(TrialId id, int step) const = 0;
};

// The pruner of `options.prune` (none: one that never stops anything). Throws
// std::invalid_argument when options.check() does.
std::unique_ptr<Pruner> make_pruner(const PruneOptions& options);

}  // namespace hpo
