// Population-based training: asking each member's next round, deciding it when a round is told.
#include "hpo/strategy/pbt.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "draw.hpp"
#include "pbt_explore.hpp"
#include "pruned_loss.hpp"

namespace hpo {

PbtStrategy::PbtStrategy(SearchSpace space, PbtOptions options, SearchSettings settings)
    : space_(std::move(space)), options_(options), settings_(settings), rng_(settings.seed) {
    options_.check();
    rounds_.resize(static_cast<std::size_t>(options_.rounds));
    members_.resize(static_cast<std::size_t>(options_.population));
    for (std::size_t m = 0; m < members_.size(); ++m) {
        members_[m].values = m == 0 ? space_.initial_point(rng_) : space_.random_point(rng_);
        members_[m].decided = true;
    }
}

std::size_t PbtStrategy::planned_evaluations() const {
    return static_cast<std::size_t>(options_.population) * static_cast<std::size_t>(options_.rounds);
}

bool PbtStrategy::exhausted() const {
    return std::all_of(members_.begin(), members_.end(), [&](const Member& m) { return m.rounds >= options_.rounds; });
}

Proposal PbtStrategy::proposal_of(std::size_t member, TrialId id) const {
    const Member& m = members_[member];
    Proposal p;
    p.id = id;
    p.deme = 0;
    p.generation = m.rounds - 1;
    p.values = m.values;
    p.parent = m.checkpoint;
    p.member = static_cast<int>(member);
    return p;
}

// No barrier: every member that is idle with rounds left goes. With fewer workers than idle
// members the least trained go first (then member order), so that the members train side by side
// and are ranked together, instead of the first ones running all their rounds before the last start.
std::vector<Proposal> PbtStrategy::ask(std::size_t max_count, int deme) {
    detail::check_deme(name(), deme, num_demes());
    std::vector<std::size_t> idle;
    for (std::size_t m = 0; m < members_.size(); ++m)
        if (!members_[m].running && members_[m].rounds < options_.rounds) idle.push_back(m);
    std::stable_sort(idle.begin(), idle.end(),
                     [&](std::size_t a, std::size_t b) { return members_[a].rounds < members_[b].rounds; });
    if (idle.size() > max_count) idle.resize(max_count);
    std::vector<Proposal> proposals;
    for (const std::size_t m : idle) {
        Member& member = members_[m];
        if (!member.decided) decide(m);  // only after a resume raised the rounds
        const TrialId id = next_id_++;
        member.running = id;
        ++member.rounds;
        running_.emplace(id, m);
        proposals.push_back(proposal_of(m, id));
    }
    return proposals;
}

void PbtStrategy::tell(const Trial& trial) {
    const auto found = running_.find(trial.id);
    if (found == running_.end()) detail::unknown_trial(name(), trial.id);
    const std::size_t m = found->second;
    running_.erase(found);
    Member& member = members_[m];
    count(member.rounds - 1, trial);
    member.running.reset();
    member.latest = trial.id;
    member.loss = loss_of(trial, settings_.maximize);
    member.latest_ok = trial.ok();
    member.latest_values = member.values;  // what it ran with (the trial's values, as proposed)
    // A round that did not end ok leaves the member on the checkpoint that round started from.
    if (member.latest_ok) member.checkpoint = trial.id;
    member.decided = false;
    // Decided now, so that ask() takes no decision and a saved state holds every one made.
    if (member.rounds < options_.rounds) decide(m);
    // A member's round r+1 is told after its round r: the rounds complete in order.
    while (next_report_ < options_.rounds &&
           rounds_[static_cast<std::size_t>(next_report_)].told == members_.size())
        report_round(next_report_++);
}

void PbtStrategy::count(int round, const Trial& trial) {
    RoundStats& stats = rounds_[static_cast<std::size_t>(round)];
    ++stats.told;
    if (detail::is_pruned(trial)) ++stats.pruned;
    else if (!trial.ok()) ++stats.failed;
    if (!trial.ok() || !std::isfinite(trial.fom)) return;
    ++stats.ok;
    stats.sum += trial.fom;
    const auto better = [&](double a, double b) { return std::isnan(b) || (settings_.maximize ? a > b : a < b); };
    if (better(trial.fom, stats.best)) stats.best = trial.fom;
    if (better(trial.fom, best_fom_)) best_fom_ = trial.fom;
}

void PbtStrategy::report_round(int round) {
    if (!observer()) return;
    const RoundStats& stats = rounds_[static_cast<std::size_t>(round)];
    DemeSummary deme;
    deme.best_fom = stats.best;
    deme.mean_fom = stats.ok ? stats.sum / static_cast<double>(stats.ok) : std::numeric_limits<double>::quiet_NaN();
    deme.evaluated = stats.told;
    deme.failed = stats.failed;
    deme.pruned = stats.pruned;
    observer()->on_generation_end(GenerationSummary{round, {deme}, best_fom_});
}

// Exploit (copy a member of the top of the ranking, then explore) or go on as it is.
void PbtStrategy::decide(std::size_t m) {
    Member& member = members_[m];
    std::vector<std::size_t> ranked;
    for (std::size_t i = 0; i < members_.size(); ++i)
        if (members_[i].latest) ranked.push_back(i);
    std::sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
        if (members_[a].loss != members_[b].loss) return members_[a].loss < members_[b].loss;
        return a < b;
    });
    const auto k = static_cast<std::size_t>(std::floor(options_.exploit_fraction * static_cast<double>(ranked.size())));
    const auto position = static_cast<std::size_t>(std::find(ranked.begin(), ranked.end(), m) - ranked.begin());
    std::vector<std::size_t> donors;
    if (position < ranked.size() && position >= ranked.size() - k)
        for (std::size_t i = 0; i < k; ++i)
            if (members_[ranked[i]].latest_ok) donors.push_back(ranked[i]);
    if (!donors.empty()) {
        const Member& donor = members_[donors[detail::uniform_index(rng_, donors.size())]];
        member.values = detail::explore(space_, donor.latest_values, rng_, options_.resample_probability);
        member.checkpoint = donor.latest;
    } else if (member.latest) {
        member.values = member.latest_values;
    }
    member.decided = true;
}

std::vector<Proposal> PbtStrategy::pending() const {
    std::vector<Proposal> proposals;
    for (const auto& [id, m] : running_) proposals.push_back(proposal_of(m, id));
    return proposals;
}

// A member's latest ok round (a donor to whoever exploits it) and the checkpoint its next or
// running round starts from (after an exploit, another member's).
std::vector<TrialId> PbtStrategy::inheritable() const {
    std::set<TrialId> ids;
    for (const Member& m : members_) {
        if (m.latest && m.latest_ok) ids.insert(*m.latest);
        if (m.checkpoint) ids.insert(*m.checkpoint);
    }
    return {ids.begin(), ids.end()};
}

}  // namespace hpo
