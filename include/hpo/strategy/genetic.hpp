// The genetic island model: demes of individuals that evolve apart and exchange their best.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/space/search_space.hpp"
#include "hpo/strategy/genetic_options.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

// Generational mode (the seed's): every individual of a generation, in every deme, is evaluated;
// then every deme breeds its next generation (elites kept, tournament selection, crossover,
// mutation), and every migration-interval generations each deme sends its best to its ring
// neighbour. Breeding happens only at that barrier and in deme order, so the proposals depend
// on the seed and the results, never on the number of workers or the order results arrive in.
// Elites (and migrants) keep the result of the trial that evaluated them and are not proposed
// again, so a generational run makes demes × (pop-size + (generations - 1) × (pop-size - elites))
// proposals.
//
// Steady-state mode: no barrier. Whenever a worker of a deme frees up a child is bred from the
// deme's current population (generation 0 is evaluated first); a child that beats the worst
// member replaces it. The budget is the same, generations × pop-size per deme; the generation
// of a steady-state child is its number of births in the deme divided by pop-size.
//
// Lineage (@checkpoint, the seed's PBT): every child's proposal names as `parent` the trial whose
// checkpoint directory it starts from: the fitter of its two parents after a crossover, its only
// parent otherwise; with gens_per_epoch N > 1, at a generation that is not a multiple of N, the
// checkpoint that parent itself started from. Generation 0 starts from none.
class GeneticStrategy final : public Strategy {
public:
    GeneticStrategy(SearchSpace space, GeneticOptions options, SearchSettings settings = {});
    GeneticStrategy(GeneticStrategy&&) noexcept;
    GeneticStrategy& operator=(GeneticStrategy&&) noexcept;
    ~GeneticStrategy() override;

    std::string_view name() const override;
    int num_demes() const override;
    std::vector<Proposal> ask(std::size_t max_count, int deme = any_deme) override;
    void tell(const Trial& trial) override;
    bool exhausted() const override;
    std::size_t planned_evaluations() const override;
    std::string save_state() const override;
    void load_state(std::string_view state) override;
    std::vector<Proposal> pending() const override;
    std::vector<TrialId> inheritable() const override;

    const GeneticOptions& options() const;

private:
    struct Impl;  // the demes, the trials in flight, the generator (src/strategy/genetic_impl.hpp)
    std::unique_ptr<Impl> impl_;
};

}  // namespace hpo
