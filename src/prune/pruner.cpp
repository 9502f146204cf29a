// make_pruner: the rule's pruner, and the one that never stops anything.
#include "hpo/prune/pruner.hpp"

#include "pruners.hpp"

namespace hpo {

namespace {

class NoPruner final : public Pruner {
public:
    bool report(TrialId, int, double) override { return false; }
    void finish(TrialId, bool) override {}
    void restart(TrialId) override {}
    bool wants(TrialId, int) const override { return false; }
};

}  // namespace

std::unique_ptr<Pruner> make_pruner(const PruneOptions& options) {
    options.check();
    switch (options.prune) {
    case PruneRule::none: return std::make_unique<NoPruner>();
    case PruneRule::median: return prune_detail::make_median(options);
    case PruneRule::asha: return prune_detail::make_asha(options);
    case PruneRule::hyperband: return prune_detail::make_hyperband(options);
    }
    return std::make_unique<NoPruner>();
}

}  // namespace hpo
