// Each trial's last attempt among a checkpoint's intermediate values (see intermediate_values.hpp).
#include "hpo/store/intermediate_values.hpp"

#include <unordered_map>

namespace hpo {

std::vector<IntermediateValue> last_attempts(std::span<const IntermediateValue> values) {
    // Where each trial's current attempt starts in `values`, and its last step so far.
    struct Attempt {
        std::size_t first = 0;
        int last_step = 0;
    };
    std::unordered_map<TrialId, Attempt> attempts;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const IntermediateValue& v = values[i];
        auto [at, inserted] = attempts.try_emplace(v.trial, Attempt{i, v.step});
        if (!inserted && v.step <= at->second.last_step) at->second.first = i;  // a new attempt
        at->second.last_step = v.step;
    }
    std::vector<IntermediateValue> kept;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (i >= attempts.at(values[i].trial).first) kept.push_back(values[i]);
    return kept;
}

}  // namespace hpo
