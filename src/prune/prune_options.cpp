// The pruning options: their table, their checks, the rules' words.
#include "hpo/prune/prune_options.hpp"

#include <stdexcept>
#include <string>

namespace hpo {

namespace {

void require(bool ok, const std::string& message) {
    if (!ok) throw std::invalid_argument("prune: " + message);
}

std::string got(int value) { return " (got " + std::to_string(value) + ")"; }

}  // namespace

std::string_view to_string(PruneRule rule) {
    switch (rule) {
    case PruneRule::none: return "none";
    case PruneRule::median: return "median";
    case PruneRule::asha: return "asha";
    case PruneRule::hyperband: return "hyperband";
    }
    return "none";
}

PruneRule prune_rule_from_string(std::string_view text) {
    for (PruneRule rule : {PruneRule::none, PruneRule::median, PruneRule::asha, PruneRule::hyperband}) {
        if (text == to_string(rule)) return rule;
    }
    throw std::invalid_argument("unknown pruning rule '" + std::string(text) +
                                "' (expected none, median, asha or hyperband)");
}

const OptionTable<PruneOptions>& PruneOptions::table() {
    using O = PruneOptions;
    static const OptionTable<O> rows = {
        option(&O::prune, "prune", "prune", "RULE", "stop hopeless trials early: none, median, asha or hyperband",
               false, &prune_rule_from_string),
        option(&O::max_steps, "max_steps", "max-steps", "R",
               "steps (FoM lines) of a full training; 0 = unknown (hyperband needs it)"),
        option(&O::min_steps, "min_steps", "min-steps", "r", "steps before the first pruning decision (asha, hyperband)"),
        option(&O::reduction_factor, "reduction_factor", "reduction-factor", "ETA",
               "rungs at r*ETA^k; the top 1/ETA of a rung go on (asha, hyperband)"),
        option(&O::median_warmup_steps, "median_warmup_steps", "median-warmup-steps", "N",
               "median: never stop a trial at its first N steps"),
        option(&O::median_min_trials, "median_min_trials", "median-min-trials", "N",
               "median: trials completed before it stops any"),
        option(&O::median_interval, "median_interval", "median-interval", "N",
               "median: decide only at steps that are multiples of N (a kernel printing a FoM per batch)"),
    };
    return rows;
}

std::string PruneOptions::text(OptionStyle style) const {
    if (prune == PruneRule::none) return "none";
    return describe_fields(*this, table(), style);
}

void PruneOptions::check() const {
    require(max_steps >= 0, "max_steps must be >= 0, 0 for unknown" + got(max_steps));
    require(min_steps >= 1, "min_steps must be >= 1" + got(min_steps));
    require(reduction_factor >= 2, "reduction_factor must be >= 2" + got(reduction_factor));
    require(median_warmup_steps >= 0, "median_warmup_steps must be >= 0" + got(median_warmup_steps));
    require(median_min_trials >= 1, "median_min_trials must be >= 1" + got(median_min_trials));
    require(median_interval >= 1, "median_interval must be >= 1" + got(median_interval));
    if (prune == PruneRule::hyperband) {
        require(max_steps > 0, "hyperband needs max_steps (the steps of a full training)");
    }
    if ((prune == PruneRule::asha || prune == PruneRule::hyperband) && max_steps > 0) {
        require(min_steps < max_steps, "min_steps must be < max_steps (got min_steps " + std::to_string(min_steps) +
                                           ", max_steps " + std::to_string(max_steps) + ")");
    }
}

}  // namespace hpo
