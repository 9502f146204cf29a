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
// proposals depend on the order results arrive in.
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

    Proposal proposal_of(std::size_t member, TrialId id) const;
    void decide(std::size_t member);

    SearchSpace space_;
    PbtOptions options_;
    SearchSettings settings_;
    std::mt19937_64 rng_;
    TrialId next_id_ = 0;
    std::vector<Member> members_;
    std::map<TrialId, std::size_t> running_;  // trial id -> member, rebuilt from members_
};

}  // namespace hpo
