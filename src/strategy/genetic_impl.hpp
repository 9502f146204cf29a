// GeneticStrategy's state and steps, shared by genetic.cpp and genetic_state.cpp (internal to src/strategy).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "genetic_breeding.hpp"
#include "genetic_screening.hpp"
#include "hpo/strategy/genetic.hpp"

namespace hpo {

namespace detail {
class StateWriter;
class StateReader;
}  // namespace detail

struct GeneticStrategy::Impl {
    static constexpr std::string_view name = "genetic";

    struct Individual {
        TrialId id = 0;
        Point genes;             // native values
        double loss = std::numeric_limits<double>::infinity();  // +inf until evaluated ok
        double fom = std::numeric_limits<double>::quiet_NaN();  // NaN unless evaluated ok
        bool dispatched = false;
        bool evaluated = false;  // elites and migrants arrive evaluated: they are not re-run
        // Stopped early (--prune): `loss` is then the loss of its last intermediate value and
        // `steps` how far it got. It ranks below every ok individual (ranks_above, genetic.cpp).
        bool pruned = false;
        int steps = 0;
        // The trial whose checkpoint directory its trial started from (genetic_lineage.cpp); none
        // for generation 0. Elites and migrants keep theirs with their trial.
        std::optional<TrialId> parent;
        // The generation and deme of its trial: with the id, the tie-break of the ranking
        // (genetic.cpp), which must not depend on the order in which demes reserved their ids.
        int generation = 0;
        int deme = 0;
    };
    struct Deme {
        std::vector<Individual> population;    // the current generation (generational) or pool
        int generation = 0;                    // generational: the generation being evaluated
        std::size_t next_to_dispatch = 0;      // generational: index into population
        std::size_t births = 0;                // proposals made for this deme, generation 0 included
        std::vector<std::size_t> told, failed, pruned; // per generation, for the generation summaries
        // Generational: the population's best and mean FoM when the deme finished each generation
        // (NaN: none ok, or not finished yet), summarized once every deme has finished it.
        std::vector<double> best_fom, mean_fom;
        // Generational: the deme's own generator, for its breeding alone, seeded from the run's
        // seed and the deme's index (deme_rng): its children never depend on when other demes breed.
        std::mt19937_64 rng;
    };
    struct InFlight {
        int deme = 0;
        int generation = 0;
        bool member = true;      // false: a steady-state child, not in the population until told
        std::size_t index = 0;   // a member's slot in its deme's population
        Point genes;
        std::optional<TrialId> parent;  // a steady-state child's (a member's is in its slot)
    };
    // A bred child: its genes and the checkpoint it starts from.
    struct Child {
        Point genes;
        std::optional<TrialId> parent;
    };

    Impl(SearchSpace space, GeneticOptions options, SearchSettings settings);

    // Deme `index`'s generator as the run starts: a function of the run's seed and the index alone.
    static std::mt19937_64 deme_rng(std::uint64_t seed, std::size_t index);

    int num_demes() const { return options_.num_demes; }
    std::size_t planned_evaluations() const;
    std::string describe_plan() const;
    bool exhausted() const;
    std::vector<Proposal> ask(std::size_t max_count, int deme);
    void tell(const Trial& trial);

    // genetic.cpp
    std::vector<Proposal> ask_generational(std::size_t max_count, int deme);
    std::vector<Proposal> ask_steady_state(std::size_t max_count, int deme);
    void dispatch_members(int deme, std::size_t max_count, std::vector<Proposal>& out);
    bool can_propose_steady_state(const Deme& deme) const;
    Proposal propose_steady_state(int deme);
    // Of `count` children bred as breed() does, the one `screen` ranks best, the points of
    // `in_flight` believed (ChildScreen::choose). `steps`: step_distribution(individuals, candidates).
    Child screened_child(const std::vector<Individual>& individuals, const std::vector<std::size_t>& candidates,
                         const detail::StepDistribution& steps, int generation, std::mt19937_64& rng,
                         const detail::ChildScreen& screen, std::size_t count, std::span<const Point> in_flight = {});
    // The points of the trials in flight, in id order.
    std::vector<Point> in_flight_points() const;
    // The screens as `history` (the results told, in that order) leaves them; empty: none.
    void rebuild_screens(std::span<const Trial> history);
    Proposal make_proposal(TrialId id, int deme, int generation, Point genes, std::optional<TrialId> parent,
                           InFlight in_flight);
    void reserve_ids(Deme& deme);
    void record(const InFlight& in_flight, const Trial& trial);
    Individual evaluated(const Trial& trial, const InFlight& in_flight, Point genes,
                         std::optional<TrialId> parent) const;
    void accept_child(Deme& deme, const InFlight& child, const Trial& trial);
    static bool complete(const Deme& deme);
    bool finished(const Deme& deme, int generation) const;
    bool migrates_after(int generation) const;
    void finish_deme_generation(std::size_t deme);
    void advance(std::size_t deme);
    // `pool`: at a migration, every deme's members (meeting_pool); empty between migrations.
    void breed_next_generation(std::size_t deme, const std::vector<Individual>& pool = {});
    std::vector<Individual> meeting_pool() const;
    static std::vector<Individual> joined(std::vector<Individual> own, const std::vector<Individual>& others);
    void report_finished_generations();
    void report_generation(int generation);
    std::vector<Individual> next_generation(Deme& deme, int generation, const std::vector<Individual>& pool);
    void migrate_all(int generation);
    void send_best(int from, int generation);
    void receive(int from, const Individual& migrant, int generation);
    // Bred from `candidates`, indices of `individuals` ranked fittest first, with `steps` their
    // step_distribution (the children of one ranking share it).
    Child breed(const std::vector<Individual>& individuals, const std::vector<std::size_t>& candidates,
                const detail::StepDistribution& steps, int generation, std::mt19937_64& rng);
    detail::StepDistribution step_distribution(const std::vector<Individual>& individuals,
                                               const std::vector<std::size_t>& candidates) const;
    void use_plan(GeneticPlan plan);
    std::size_t quota(std::size_t deme) const;  // the deme's proposals in all (GeneticPlan)
    void fit_generations_to_quota();

    // genetic_lineage.cpp
    std::optional<TrialId> inherited(const Individual& from, int generation) const;
    std::vector<TrialId> inheritable() const;

    // genetic_state.cpp
    std::vector<Proposal> pending() const;
    std::string save_state() const;
    void load_state(std::string_view state);
    void save_deme(detail::StateWriter& out, const Deme& deme) const;
    Deme load_deme(detail::StateReader& in, std::size_t index, int version, int generation, TrialId next_id) const;
    void save_in_flight(detail::StateWriter& out, TrialId id, const InFlight& in_flight) const;
    InFlight load_in_flight(detail::StateReader& in, TrialId id, const std::vector<Deme>& demes, int version,
                            TrialId next_id) const;

    // The owner's observer, taken on each ask and tell: Strategy::set_observer is not virtual, and
    // a back pointer to the owner would not survive a move.
    StrategyObserver* observer_ = nullptr;

    GeneticOptions given_;        // as given; options_ has the plan's pop_size, generations and elites
    SearchSpace space_;
    GeneticOptions options_;
    GeneticPlan plan_;
    SearchSettings settings_;
    // The run's generator: generation 0, and steady-state breeding (whose children follow the
    // order of results anyway).
    std::mt19937_64 rng_;
    // Generation 0's Sobol shift (empty: none), a function of the seed: steady-state continues the
    // design while a deme has too few results to breed from (propose_steady_state).
    std::vector<std::uint64_t> design_shift_;
    std::vector<Deme> demes_;
    // The results that screen the children (genetic_screening.hpp), rebuilt from the trial history
    // on a resume (restore), never saved. Steady-state: one, the run's latest told results.
    // Generational: one per deme, its own finished generations (fed as it finishes each).
    std::vector<detail::ChildScreen> screens_;
    int next_report_ = 0;         // the next generation to summarize
    bool breed_on_ = false;       // generational: a state was loaded, its finished demes may breed on
    std::size_t next_deme_ = 0;   // steady-state: where an any-deme ask starts, for fairness
    TrialId next_id_ = 0;
    std::map<TrialId, InFlight> in_flight_;
    Trial best_{};
    bool have_best_ = false;
};

}  // namespace hpo
