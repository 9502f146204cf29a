// The genetic strategy's lineage: which checkpoint a child starts from, and which checkpoints a
// future child may still start from (@checkpoint; the seed's PBT with gens_per_epoch).
//
// Parents are set whether or not the run has a checkpoint root: they cost nothing and record the
// lineage; the directories exist only with one.
#include <algorithm>

#include "genetic_impl.hpp"

namespace hpo {

std::vector<TrialId> GeneticStrategy::inheritable() const { return impl_->inheritable(); }

// A child of `generation` bred from `from`: at a generation that is a multiple of gens_per_epoch
// it starts from the checkpoint `from` wrote; at the others from the one `from` started from
// (none if `from` started from none), so that one epoch's individuals share their starting point.
std::optional<TrialId> GeneticStrategy::Impl::inherited(const Individual& from, int generation) const {
    if (generation % options_.gens_per_epoch == 0) return from.id;
    return from.parent;
}

// Children are bred from the evaluated members of the current populations (generational: when
// the deme's generation ends, or at the migration after it; steady-state: whenever a worker frees up) and start from those members' checkpoints or,
// with gens_per_epoch > 1, from their parents'. A generational population not yet told already
// names its parents. The populations are kept to the end, so that a resume with more generations
// still finds them.
std::vector<TrialId> GeneticStrategy::Impl::inheritable() const {
    std::vector<TrialId> ids;
    for (const Deme& deme : demes_)
        for (const Individual& member : deme.population) {
            if (member.evaluated) ids.push_back(member.id);
            const bool parent_needed = !member.evaluated || options_.gens_per_epoch > 1;
            if (member.parent && parent_needed) ids.push_back(*member.parent);
        }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

}  // namespace hpo
