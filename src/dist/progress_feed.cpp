// Which intermediate FoMs a worker sends (see progress_feed.hpp).
#include "progress_feed.hpp"

#include <utility>

namespace hpo {

ProgressFeed::ProgressFeed(const PruneOptions& options, int worker)
    : active_(options.prune != PruneRule::none), rule_(make_pruner(options)) {
    pending_.worker = worker;
}

void ProgressFeed::start(TrialId trial) {
    pending_.trial_id = trial;
    pending_.values.clear();
}

void ProgressFeed::on_step(int step, double value) {
    if (active_ && rule_->wants(pending_.trial_id, step)) pending_.values.push_back({step, value});
}

Progress ProgressFeed::take() {
    Progress taken{pending_.trial_id, pending_.worker, {}};
    std::swap(taken.values, pending_.values);
    return taken;
}

}  // namespace hpo
