// Confirmation (--confirm-top K --confirm-repeats R, docs/confirm.md): a Strategy wrapped around
// the user's, which evaluates again the K best configurations R more times, as trials of their own.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/space/search_space.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

// The inner strategy searches as it would alone: it is never told a repeat, and its proposals keep
// their order. This strategy gives every trial its own id (dense, from 0: the inner strategy's
// proposals and the repeats, in the order asked), translating ids and parents both ways. When the
// inner strategy proposes fewer trials than asked (it waits at a barrier, or its budget is spent),
// the rest are repeats of the current top K ok originals (by loss) that lack some, the fewest
// repeats first, then the better: the workers the search leaves idle confirm. A repeat has its
// original's values, deme, generation, member and parent (it starts from the same checkpoint
// directory), with `repeat_of` and `repeat` (1..R) set. Exhausted once the inner strategy is, every
// original is told, and each of the final top K has R repeats.
class ConfirmingStrategy final : public Strategy {
public:
    struct Settings {
        int top = 0;      // K >= 1
        int repeats = 0;  // R >= 1
        bool maximize = false;
    };

    ConfirmingStrategy(std::unique_ptr<Strategy> inner, SearchSpace space, Settings settings);
    ~ConfirmingStrategy() override;

    std::string_view name() const override { return inner_->name(); }
    int num_demes() const override { return inner_->num_demes(); }
    std::vector<Proposal> ask(std::size_t max_count, int deme = any_deme) override;
    void tell(const Trial& trial) override;
    bool exhausted() const override;
    std::size_t planned_evaluations() const override;
    std::string plan() const override { return inner_->plan(); }
    std::string save_state() const override;
    void load_state(std::string_view state) override;
    // The inner strategy is restored with the originals of `history` (ids and parents as it gave
    // them); a state saved by the inner strategy alone (a run that confirmed nothing, resumed with
    // --confirm-top) is taken too, its ids as they are.
    void restore(std::string_view state, std::span<const Trial> history) override;
    std::vector<Proposal> pending() const override;
    // The inner strategy's, and the parents of the top K originals still lacking repeats (their
    // repeats start from the same directory).
    std::vector<TrialId> inheritable() const override;

    const Strategy& inner() const { return *inner_; }

private:
    struct Original {  // a told ok original among the top K
        Proposal proposal;
        double loss = 0;
    };
    class Forward;

    bool better(const Original& a, const Original& b) const;
    std::optional<Proposal> next_repeat(int deme);
    Proposal outer_proposal(Proposal inner) const;
    Trial inner_trial(Trial outer) const;
    void consider(const Trial& original);

    std::unique_ptr<Strategy> inner_;
    SearchSpace space_;
    Settings settings_;
    std::unique_ptr<Forward> forward_;

    TrialId next_id_ = 0;
    std::map<TrialId, TrialId> outer_of_inner_, inner_of_outer_;  // originals only
    std::vector<Original> top_;                   // best first, at most K
    std::map<TrialId, int> repeats_proposed_;     // original -> repeats proposed
    std::map<TrialId, Proposal> pending_repeats_; // id -> the repeat, not yet told
    std::set<TrialId> pending_originals_;         // outer ids asked of the inner strategy, not yet told
};

}  // namespace hpo
