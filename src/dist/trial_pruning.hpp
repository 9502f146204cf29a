// The coordinator's side of pruning (--prune, docs/pruning.md): the pruner fed with the progress
// of running trials and their ends, and the records (IntermediateValue) from which a resume
// rebuilds it exactly. Internal to src/dist/.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "hpo/dist/protocol.hpp"
#include "hpo/prune/pruner.hpp"

namespace hpo {

class TrialPruning {
public:
    TrialPruning(const PruneOptions& options, bool maximize);

    struct Verdict {
        IntermediateValue record;  // for the checkpoint, in the order of the calls
        bool stop = false;         // the trial must stop now, as pruned
    };

    // A value of a running trial, arrived when `finished_before` trials had finished.
    Verdict report(TrialId trial, const StepValue& value, std::uint64_t finished_before);

    // The trial's result arrived (completed: ok; a pruned or failed trial never is).
    void finish(const Trial& trial);

    // The trial runs again from step 1: its values are taken back. Returns the record saying so.
    IntermediateValue restart(TrialId trial, std::uint64_t finished_before);

    // A resume: the calls of the run so far replayed in their order (`finished` in the order the
    // results arrived, `records` as stored), then a restart of each `unfinished` trial that had
    // values; returns the records of those restarts, for the checkpoint.
    std::vector<IntermediateValue> replay(const std::vector<Trial>& finished, const std::vector<IntermediateValue>& records,
                                          const std::vector<Proposal>& unfinished);

private:
    std::unique_ptr<Pruner> pruner_;
    bool maximize_;
};

}  // namespace hpo
