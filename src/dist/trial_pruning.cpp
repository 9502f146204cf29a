// The pruner between the coordinator and the checkpoint (see trial_pruning.hpp).
#include "trial_pruning.hpp"

#include <chrono>
#include <limits>
#include <set>
#include <stdexcept>

namespace hpo {

namespace {

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TrialPruning::TrialPruning(const PruneOptions& options, bool maximize)
    : pruner_(make_pruner(options)), maximize_(maximize) {}

TrialPruning::Verdict TrialPruning::report(TrialId trial, const StepValue& value, std::uint64_t finished_before) {
    Verdict verdict;
    verdict.record = {trial, value.step, value.value, now_seconds(), finished_before};
    verdict.stop = pruner_->report(trial, value.step, maximize_ ? -value.value : value.value);
    return verdict;
}

// A repeat (--confirm-top) is never pruned and tells the rule nothing: its rungs are the search's.
void TrialPruning::finish(const Trial& trial) {
    if (!trial.repeat_of) pruner_->finish(trial.id, trial.ok());
}

IntermediateValue TrialPruning::restart(TrialId trial, std::uint64_t finished_before) {
    pruner_->restart(trial);
    return {trial, 0, std::numeric_limits<double>::quiet_NaN(), now_seconds(), finished_before};
}

std::vector<IntermediateValue> TrialPruning::replay(const std::vector<Trial>& finished,
                                                    const std::vector<IntermediateValue>& records,
                                                    const std::vector<Proposal>& unfinished) {
    std::size_t ended = 0;
    std::set<TrialId> with_values;
    for (const IntermediateValue& record : records) {
        while (ended < finished.size() && ended < record.finished_before) finish(finished[ended++]);
        try {
            if (record.step == 0) {
                pruner_->restart(record.trial);
                continue;
            }
            const double loss = maximize_ ? -record.value : record.value;
            try {
                pruner_->report(record.trial, record.step, loss);
            } catch (const std::invalid_argument&) {
                // Steps that do not increase without a restart mark between them (a file whose
                // mark was not committed): the trial ran again, and the new run's values count.
                pruner_->restart(record.trial);
                pruner_->report(record.trial, record.step, loss);
            }
            with_values.insert(record.trial);
        } catch (const std::invalid_argument&) {
            // A record of a trial that had already ended: nothing the live run could have told
            // the pruner, so nothing to replay.
        }
    }
    while (ended < finished.size()) finish(finished[ended++]);

    std::vector<IntermediateValue> restarts;
    for (const Proposal& proposal : unfinished) {
        if (with_values.count(proposal.id)) restarts.push_back(restart(proposal.id, finished.size()));
    }
    return restarts;
}

}  // namespace hpo
