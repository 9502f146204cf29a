// Population-based training: members that train round by round and copy the better ones.
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/space/search_space.hpp"
#include "hpo/strategy/pbt_options.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

namespace detail {
class StateReader;
}  // namespace detail

// `population` members each train `rounds` rounds; one trial is one round of one member
// (Proposal::member, generation = the round, from 0), started from the checkpoint directory of
// the trial it continues (Proposal::parent). Round 0: member 0 gets the space's defaults (a draw
// where a parameter has none), the others random draws, none with a parent.
//
// When member m's round is told its next round is decided at once: the members with a result are
// ranked by the loss of their latest round (a failed one: +inf; ties to the lower member index),
// k = floor(exploit_fraction x their count). If m is in the bottom k and one of the top k holds an
// ok result, m exploits: it takes one of those (uniformly, from the seeded generator), its latest
// trial as parent and its hyperparameters, then explores them (pbt_explore). Otherwise m keeps its
// hyperparameters and continues from its own checkpoint: the latest trial of its line that ended
// ok (a crashed round is run on from the checkpoint it started from; none if it never had one).
// There is no barrier: a member whose round is told may run ahead of the others, so the
// proposals depend on the order results arrive in. With fewer workers than idle members, the
// members with the fewest rounds go first (then the lower index). When every member's round r is told the
// observer gets round r as a generation (deme 0: the round's best and mean ok FoM, its counts).
class PbtStrategy final : public Strategy {
public:
    PbtStrategy(SearchSpace space, PbtOptions options, SearchSettings settings = {});

    std::string_view name() const override { return "pbt"; }
    std::vector<Proposal> ask(std::size_t max_count, int deme = any_deme) override;
    void tell(const Trial& trial) override;
    bool exhausted() const override;
    std::size_t planned_evaluations() const override;
    std::string save_state() const override;
    void load_state(std::string_view state) override;
    std::vector<Proposal> pending() const override;
    std::vector<TrialId> inheritable() const override;

    const PbtOptions& options() const { return options_; }

private:
    struct Member {
        int rounds = 0;                    // rounds proposed so far
        std::optional<TrialId> running;    // the round in flight
        bool decided = false;              // `values` and `checkpoint` are those of its next round
        Point values;                      // the hyperparameters of its next (or running) round
        std::optional<TrialId> checkpoint; // where its next (or running) round starts from
        // Its latest told round.
        std::optional<TrialId> latest;
        double loss = std::numeric_limits<double>::infinity();
        bool latest_ok = false;
        Point latest_values;
    };

    // What the observer is told of a round once every member has been told it.
    struct RoundStats {
        std::size_t told = 0, failed = 0, pruned = 0, ok = 0;
        double sum = 0;                                          // of the ok FoMs
        double best = std::numeric_limits<double>::quiet_NaN();  // the best ok FoM, NaN if none
    };

    Proposal proposal_of(std::size_t member, TrialId id) const;
    void decide(std::size_t member);
    void count(int round, const Trial& trial);
    void report_round(int round);
    [[noreturn]] void beyond_rounds(detail::StateReader& in, std::uint64_t rounds) const;

    SearchSpace space_;
    PbtOptions options_;
    SearchSettings settings_;
    std::mt19937_64 rng_;
    TrialId next_id_ = 0;
    std::vector<Member> members_;
    std::map<TrialId, std::size_t> running_;  // trial id -> member, rebuilt from members_
    std::vector<RoundStats> rounds_;          // one per round; those reported are spent
    int next_report_ = 0;                     // the first round not yet reported
    double best_fom_ = std::numeric_limits<double>::quiet_NaN();  // the run's best ok FoM
};

}  // namespace hpo
