// Random search: the initial point first, then uniform (log-uniform where asked) samples.
#pragma once

#include <map>
#include <random>

#include "hpo/space/search_space.hpp"
#include "hpo/strategy/random_options.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

class RandomStrategy final : public Strategy {
public:
    RandomStrategy(SearchSpace space, RandomOptions options, SearchSettings settings = {});

    std::string_view name() const override { return "random"; }
    std::vector<Proposal> ask(std::size_t max_count, int deme = any_deme) override;
    void tell(const Trial& trial) override;
    bool exhausted() const override;
    std::size_t planned_evaluations() const override { return options_.evals; }
    std::string save_state() const override;
    void load_state(std::string_view state) override;
    std::vector<Proposal> pending() const override;

private:
    SearchSpace space_;
    RandomOptions options_;
    std::mt19937_64 rng_;
    TrialId next_id_ = 0;
    std::map<TrialId, Point> pending_;  // the values too: a restart evaluates them again
};

}  // namespace hpo
