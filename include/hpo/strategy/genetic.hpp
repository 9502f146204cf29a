// The genetic island model: demes of individuals that evolve apart and learn from each other
// where they meet.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hpo/space/search_space.hpp"
#include "hpo/strategy/genetic_options.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

// Generational mode (the seed's): a deme whose generation is fully evaluated breeds its next one
// at once (elites kept, tournament selection, crossover, mutation), whatever the other demes are
// at: demes evolve apart, and a worker never waits for another deme's slow trials. Only every
// migration-interval generations do they meet: a deme that has finished such a generation
// proposes nothing until every deme has finished it; then each deme sends its best to its ring
// neighbour (every best taken before any deme receives) and every deme breeds on, from its own
// members and every other deme's as they stand then (its elites stay its own): at the default
// interval, 1, the demes of a small budget learn from each other's results as one population
// would. Each deme breeds with its own generator (seeded from the run's seed and the deme's
// index), so the genes of every (deme, generation, slot) depend on the seed and
// the results, never on the number of workers or the order results arrive in. Trial ids do:
// a deme's ids are reserved, in population order, when its generation forms, so with several
// workers they follow the order in which demes finished their generations; with one worker the
// run, ids included, is fixed. An any-deme ask serves the least advanced demes first.
// Elites (and migrants) keep the result of the trial that evaluated them and are not proposed
// again, so a generational run makes demes × (pop-size + (generations - 1) × (pop-size - elites))
// proposals. A generation is summarized (on_generation_end) once every deme has finished it,
// each deme's best and mean as they stood when that deme finished it.
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
// Budget (issue 16; genetic_options.hpp, GeneticPlan): `evals` proposals in all (100 when neither
// evals nor generations is given), evals / demes per deme (one more for the first evals % demes),
// the population max(4, round(sqrt(share))) unless pop_size is given, and as many generations as
// the share needs, the last one cut short (its other slots carried over, fittest first). With
// `generations` instead, the formulas above. Breeding: genetic_breeding.hpp.
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
    // The population, elites and generations the budget gave (GeneticPlan), e.g. "4 demes of 5
    // individuals (3 elites), up to 11 generations each, 25 proposals per deme, meeting every generation".
    std::string plan() const override;
    std::string save_state() const override;
    // load_state alone: the run goes on with empty screens of children (steady-state's of the latest
    // results, generational's of each deme's finished generations); restore, given the results told
    // before the state was saved, goes on exactly (the screens are rebuilt from them).
    void load_state(std::string_view state) override;
    void restore(std::string_view state, std::span<const Trial> history) override;
    std::vector<Proposal> pending() const override;
    std::vector<TrialId> inheritable() const override;

    const GeneticOptions& options() const;

private:
    struct Impl;  // the demes, the trials in flight, the generators (src/strategy/genetic_impl.hpp)
    std::unique_ptr<Impl> impl_;
};

}  // namespace hpo
