// Following a trial's parents back to its first ancestor (see lineage.hpp).
#include "hpo/store/lineage.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace hpo {

Lineage lineage_of(const std::vector<Trial>& trials, TrialId id) {
    std::unordered_map<TrialId, const Trial*> by_id;
    for (const Trial& trial : trials) by_id[trial.id] = &trial;
    const auto found = by_id.find(id);
    if (found == by_id.end()) throw std::invalid_argument("no trial " + std::to_string(id) + " to follow the parents of");

    Lineage lineage;
    std::unordered_set<TrialId> seen;
    for (const Trial* trial = found->second;;) {
        seen.insert(trial->id);
        lineage.trials.push_back(*trial);
        if (!trial->parent) break;
        const auto parent = by_id.find(*trial->parent);
        if (parent == by_id.end() || seen.count(*trial->parent)) {
            lineage.missing_parent = trial->parent;
            break;
        }
        trial = parent->second;
    }
    std::reverse(lineage.trials.begin(), lineage.trials.end());
    return lineage;
}

}  // namespace hpo
