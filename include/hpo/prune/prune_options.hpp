// The pruning options (which rule stops hopeless trials early, and its numbers), declared once
// (see hpo/config/option_table.hpp); the rules themselves are in docs/pruning.md.
#pragma once

#include <string>
#include <string_view>

#include "hpo/config/option_table.hpp"

namespace hpo {

enum class PruneRule { none, median, asha, hyperband };

std::string_view to_string(PruneRule rule);
PruneRule prune_rule_from_string(std::string_view text);  // throws std::invalid_argument

struct PruneOptions {
    static constexpr std::string_view title = "Pruning (stopping hopeless trials early)";

    PruneRule prune = PruneRule::none;
    int max_steps = 0;            // R: a full training's steps; 0 = unknown (asha: no top rung)
    int min_steps = 1;            // r: asha's first rung, hyperband's most aggressive bracket's
    int reduction_factor = 3;     // eta: rungs r*eta^k; the top 1/eta of a rung goes on
    int median_warmup_steps = 0;  // median: never stops a trial at a step <= this
    int median_min_trials = 5;    // median: trials completed before it stops any
    int median_interval = 1;      // median: decides only at steps that are multiples of this

    // Throws std::invalid_argument naming the first bad option.
    void check() const;
    static const OptionTable<PruneOptions>& table();
    // "none", or every option in `style` (describe_fields): for `hpo show`, the log, resume checks.
    std::string text(OptionStyle style) const;
    friend bool operator==(const PruneOptions&, const PruneOptions&) = default;
};

}  // namespace hpo
