// Confirmation (--confirm-top K --confirm-repeats R): how the configurations that were evaluated
// again rank by their mean over every run. One pure function of the trials, so that the run's
// summary, `hpo show`, `hpo export`, the driver API and the Python package all agree (docs/confirm.md).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "hpo/trial.hpp"

namespace hpo {

// One configuration that was evaluated again: its original trial and its repeats.
struct Confirmation {
    TrialId original = 0;  // the original trial's id (its values are the configuration)
    // Over the ok runs, the original's FoM and its ok repeats' (FoMs as printed, not negated).
    std::size_t runs = 0;  // n: ok runs, the original included
    double mean = 0;
    double std = 0;        // sample standard deviation (n - 1); 0 for a single run
    double min = 0;
    double max = 0;
    std::size_t repeats = 0;  // repeats told, whatever their status
    std::size_t failed = 0;   // repeats that did not end ok (failed, crashed, timeout, no FoM...)
    std::size_t rank = 0;     // 1 for the confirmed best

    friend bool operator==(const Confirmation&, const Confirmation&) = default;
};

// Every ok original trial with at least one repeat told, best first, in three tiers, each by mean
// (lower, or higher with `maximize`; ties to the older original): those whose repeats all ended ok
// and are as many as the most repeated configuration's; those whose repeats all ended ok but are
// fewer (a configuration pushed out of the top K while it was being confirmed, or a run stopped
// midway: less evidence, more room for luck); then those with a failed repeat (a configuration
// that does not always train is not confirmed, however good its mean). Repeats of an original that is not among `trials`, or
// not ok, are left out. Empty when nothing was repeated.
std::vector<Confirmation> confirmed_ranking(const std::vector<Trial>& trials, bool maximize);

// The first of confirmed_ranking, none if nothing was repeated.
std::optional<Confirmation> confirmed_best(const std::vector<Trial>& trials, bool maximize);

}  // namespace hpo
