// The ranking of the configurations evaluated again (see confirmation.hpp).
#include "hpo/confirmation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace hpo {

std::vector<Confirmation> confirmed_ranking(const std::vector<Trial>& trials, bool maximize) {
    std::map<TrialId, const Trial*> originals;
    for (const Trial& trial : trials)
        if (!trial.repeat_of && trial.ok() && !std::isnan(trial.fom)) originals[trial.id] = &trial;
    std::map<TrialId, std::vector<const Trial*>> repeats;
    for (const Trial& trial : trials)
        if (trial.repeat_of && originals.count(*trial.repeat_of)) repeats[*trial.repeat_of].push_back(&trial);

    std::vector<Confirmation> ranking;
    for (const auto& [id, runs] : repeats) {
        Confirmation c;
        c.original = id;
        std::vector<double> foms{originals[id]->fom};
        for (const Trial* repeat : runs) {
            ++c.repeats;
            if (repeat->ok() && !std::isnan(repeat->fom)) foms.push_back(repeat->fom);
            else ++c.failed;
        }
        // The original is ok, so there is at least one run.
        c.runs = foms.size();
        c.min = *std::min_element(foms.begin(), foms.end());
        c.max = *std::max_element(foms.begin(), foms.end());
        double sum = 0;
        for (double fom : foms) sum += fom;
        c.mean = sum / static_cast<double>(c.runs);
        double squares = 0;
        for (double fom : foms) squares += (fom - c.mean) * (fom - c.mean);
        c.std = c.runs > 1 ? std::sqrt(squares / static_cast<double>(c.runs - 1)) : 0.0;
        ranking.push_back(c);
    }
    // Tiers: every repeat ok and as many as the most repeated configuration's (fully confirmed);
    // every repeat ok but fewer (pushed out of the top K while confirming, or a run stopped
    // midway: less evidence); then any with a failed repeat.
    std::size_t most = 0;
    for (const Confirmation& c : ranking) most = std::max(most, c.repeats);
    const auto tier = [most](const Confirmation& c) { return c.failed > 0 ? 2 : c.repeats < most ? 1 : 0; };
    std::stable_sort(ranking.begin(), ranking.end(), [maximize, &tier](const Confirmation& a, const Confirmation& b) {
        if (tier(a) != tier(b)) return tier(a) < tier(b);
        const double la = maximize ? -a.mean : a.mean, lb = maximize ? -b.mean : b.mean;
        if (la != lb) return la < lb;
        return a.original < b.original;
    });
    for (std::size_t i = 0; i < ranking.size(); ++i) ranking[i].rank = i + 1;
    return ranking;
}

std::optional<Confirmation> confirmed_best(const std::vector<Trial>& trials, bool maximize) {
    std::vector<Confirmation> ranking = confirmed_ranking(trials, maximize);
    if (ranking.empty()) return std::nullopt;
    return ranking.front();
}

}  // namespace hpo
