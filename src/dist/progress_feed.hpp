// A worker's side of pruning (--prune): the intermediate FoMs of its running trial that the
// coordinator's pruner can use, kept until the next send; the others are dropped here, so a kernel
// printing a FoM line per batch floods nothing. Internal to src/dist/.
#pragma once

#include <memory>
#include <vector>

#include "hpo/dist/protocol.hpp"
#include "hpo/prune/pruner.hpp"

namespace hpo {

class ProgressFeed {
public:
    ProgressFeed(const PruneOptions& options, int worker);

    // Whether a rule is set: without one, nothing is ever kept and no hook is needed.
    bool active() const { return active_; }

    void start(TrialId trial);             // a new order: what is kept from now on is its
    void on_step(int step, double value);  // every FoM line of the running trial
    bool has_values() const { return !pending_.values.empty(); }
    Progress take();                       // what was kept since the last take, for sending

private:
    bool active_;
    std::unique_ptr<Pruner> rule_;  // a fresh pruner: wants() depends on the options and the trial id only
    Progress pending_;
};

}  // namespace hpo
