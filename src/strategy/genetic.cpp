// The genetic island model: generation 0, each deme's generations and the migration barrier,
// steady-state breeding, migration.
//
// Elites are carried into the next generation with the loss of the trial that evaluated them and
// are not proposed again, so the budget goes to new points: in generational mode a run makes
// demes × (pop_size + (generations - 1) × (pop_size - elites)) proposals. Migrants likewise keep
// their loss and are not re-run. Steady-state mode has no elites (replacing only the worst member
// already keeps the best) and makes demes × generations × pop_size proposals.
#include "hpo/strategy/genetic.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <tuple>
#include <unordered_set>

#include "draw.hpp"
#include "genetic_breeding.hpp"
#include "genetic_impl.hpp"
#include "pruned_loss.hpp"

namespace hpo {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool is_ok(double fom, bool evaluated) { return evaluated && !std::isnan(fom); }

// The selection's one ranking. Ok individuals first, by loss; then pruned ones (stopped early by
// --prune), by steps reached (more is better), then by the loss of their last value; then failed
// (and not yet evaluated) ones, whose loss is +inf. A pruned individual's value is a low-fidelity
// loss: whatever it is, it never outranks a completed trial.
template <class I>
int tier(const I& i) {
    if (is_ok(i.fom, i.evaluated)) return 0;
    return i.pruned ? 1 : 2;
}

// Strictly better: ties (same tier, steps and loss) are neither above nor below.
template <class I>
bool ranks_above(const I& a, const I& b) {
    if (tier(a) != tier(b)) return tier(a) < tier(b);
    if (tier(a) == 1 && a.steps != b.steps) return a.steps > b.steps;
    return a.loss < b.loss;
}

// A total order: ties go to the older trial, as better_trial() has it: the earlier generation,
// then the lower deme, then the lower id. Within one deme's generation ids follow population
// order, but which deme reserved its ids first depends on the order results arrive in (demes
// evolve apart), so ids alone would not do across demes (migrants).
template <class I>
bool fitter(const I& a, const I& b) {
    if (ranks_above(a, b)) return true;
    if (ranks_above(b, a)) return false;
    return std::tie(a.generation, a.deme, a.id) < std::tie(b.generation, b.deme, b.id);
}

// A population's best and mean FoM over its ok members (NaN: none ok), for the summaries.
template <class I>
std::pair<double, double> best_and_mean(const std::vector<I>& population) {
    double best_loss = inf, best = nan, sum = 0;
    std::size_t ok = 0;
    for (const I& member : population) {
        if (!is_ok(member.fom, member.evaluated)) continue;
        sum += member.fom;
        ++ok;
        if (std::isnan(best) || member.loss < best_loss) {
            best_loss = member.loss;
            best = member.fom;
        }
    }
    return {best, ok ? sum / static_cast<double>(ok) : nan};
}

}  // namespace

// `own`, then the members of `others` it does not hold yet (a trial is one member, wherever it
// migrated), in their order.
std::vector<GeneticStrategy::Impl::Individual> GeneticStrategy::Impl::joined(std::vector<Individual> own,
                                                                           const std::vector<Individual>& others) {
    std::unordered_set<TrialId> held;
    for (const Individual& i : own) held.insert(i.id);
    for (const Individual& other : others)
        if (held.insert(other.id).second) own.push_back(other);
    return own;
}

GeneticStrategy::GeneticStrategy(SearchSpace space, GeneticOptions options, SearchSettings settings)
    : impl_(std::make_unique<Impl>(std::move(space), options, settings)) {}
GeneticStrategy::GeneticStrategy(GeneticStrategy&&) noexcept = default;
GeneticStrategy& GeneticStrategy::operator=(GeneticStrategy&&) noexcept = default;
GeneticStrategy::~GeneticStrategy() = default;

std::string_view GeneticStrategy::name() const { return Impl::name; }
int GeneticStrategy::num_demes() const { return impl_->num_demes(); }
const GeneticOptions& GeneticStrategy::options() const { return impl_->given_; }
std::size_t GeneticStrategy::planned_evaluations() const { return impl_->planned_evaluations(); }
std::string GeneticStrategy::plan() const { return impl_->describe_plan(); }
bool GeneticStrategy::exhausted() const { return impl_->exhausted(); }

std::vector<Proposal> GeneticStrategy::ask(std::size_t max_count, int deme) {
    impl_->observer_ = observer();  // ask reports too: steady-state migrations, a resumed barrier
    return impl_->ask(max_count, deme);
}

void GeneticStrategy::tell(const Trial& trial) {
    impl_->observer_ = observer();
    impl_->tell(trial);
}

// Generation 0 comes from the run's generator; generational breeding from each deme's own.
GeneticStrategy::Impl::Impl(SearchSpace space, GeneticOptions options, SearchSettings settings)
    : given_(options), space_(std::move(space)), options_(options), settings_(settings), rng_(settings.seed) {
    options_.check();
    use_plan(plan_genetic_run(options_));
    // Generation 0 (genetic_breeding.cpp): the defaults (one random draw for parameters that have
    // none) in deme 0, then space-filling points dealt to the demes.
    const Point initial = space_.initial_point(rng_);
    const auto populations = detail::initial_populations(space_, initial, static_cast<std::size_t>(num_demes()),
                                                         static_cast<std::size_t>(options_.pop_size), rng_,
                                                         &design_shift_);
    demes_.resize(static_cast<std::size_t>(options_.num_demes));
    for (std::size_t d = 0; d < demes_.size(); ++d) {
        Deme& deme = demes_[d];
        deme.rng = deme_rng(settings.seed, d);
        deme.population.resize(populations[d].size());
        for (std::size_t i = 0; i < deme.population.size(); ++i) {
            deme.population[i].deme = static_cast<int>(d);
            deme.population[i].genes = populations[d][i];
        }
    }
    if (options_.mode == GeneticMode::generational)
        for (Deme& deme : demes_) reserve_ids(deme);
    rebuild_screens({});  // no results yet
}

std::mt19937_64 GeneticStrategy::Impl::deme_rng(std::uint64_t seed, std::size_t index) {
    std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                           static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32)};
    return std::mt19937_64(sequence);
}

// The options as the run uses them: the population size and generations of the plan.
void GeneticStrategy::Impl::use_plan(GeneticPlan plan) {
    plan_ = std::move(plan);
    options_.pop_size = plan_.pop_size;
    options_.generations = plan_.generations;
    options_.elites = plan_.elites;
}

std::size_t GeneticStrategy::Impl::quota(std::size_t deme) const { return plan_.quota[deme]; }

// After a resume that extends --evals: a run that ended on a short last generation needs more
// generations than a fresh plan counts to use its new quota.
void GeneticStrategy::Impl::fit_generations_to_quota() {
    if (options_.mode != GeneticMode::generational || given_.generations > 0) return;
    const auto children = static_cast<std::size_t>(options_.pop_size - options_.elites);
    std::size_t needed = 0;
    for (std::size_t d = 0; d < demes_.size(); ++d) {
        const std::size_t left = quota(d) > demes_[d].births ? quota(d) - demes_[d].births : 0;
        needed = std::max(needed, static_cast<std::size_t>(demes_[d].generation) + 1 + (left + children - 1) / children);
    }
    options_.generations = static_cast<int>(std::max(static_cast<std::size_t>(options_.generations), needed));
}

std::size_t GeneticStrategy::Impl::planned_evaluations() const { return plan_.total(); }

// "4 demes of 5 individuals (3 elites), up to 11 generations each, 25 proposals per deme, meeting
// every generation" (steady-state: no elites).
std::string GeneticStrategy::Impl::describe_plan() const {
    const std::size_t least = *std::min_element(plan_.quota.begin(), plan_.quota.end()),
                      most = *std::max_element(plan_.quota.begin(), plan_.quota.end());
    const bool one = num_demes() == 1;
    auto count = [](std::size_t n, const std::string& what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); };
    std::string text = count(static_cast<std::size_t>(num_demes()), "deme") + " of " +
                       count(static_cast<std::size_t>(options_.pop_size), "individual") +
                       (options_.mode == GeneticMode::generational
                            ? " (" + count(static_cast<std::size_t>(options_.elites), "elite") + ")"
                            : std::string()) +
                       ", up to " +
                       count(static_cast<std::size_t>(options_.generations), "generation") + (one ? "" : " each") + ", " +
                       std::to_string(least) + (least == most ? "" : "-" + std::to_string(most)) +
                       (one ? " proposals" : " proposals per deme");
    if (!one) {
        const auto interval = static_cast<std::size_t>(options_.migration_interval);
        text += ", meeting every " + (interval == 1 ? std::string("generation") : count(interval, "generation"));
    }
    return text;
}

bool GeneticStrategy::Impl::exhausted() const {
    if (next_id_ < planned_evaluations()) return false;
    if (options_.mode == GeneticMode::steady_state) return true;
    for (const Deme& d : demes_)
        for (const Individual& individual : d.population)
            if (!individual.dispatched && !individual.evaluated) return false;  // reserved, not asked yet
    return true;
}

std::vector<Proposal> GeneticStrategy::Impl::ask(std::size_t max_count, int deme) {
    detail::check_deme(name, deme, num_demes());
    if (max_count == 0) return {};
    return options_.mode == GeneticMode::generational ? ask_generational(max_count, deme)
                                                      : ask_steady_state(max_count, deme);
}

Proposal GeneticStrategy::Impl::make_proposal(TrialId id, int deme, int generation, Point genes,
                                              std::optional<TrialId> parent, InFlight in_flight) {
    Proposal proposal;
    proposal.id = id;
    proposal.deme = deme;
    proposal.generation = generation;
    proposal.values = std::move(genes);
    proposal.parent = parent;
    in_flight_.emplace(proposal.id, std::move(in_flight));
    ++demes_[static_cast<std::size_t>(deme)].births;
    return proposal;
}

// ---- generational ----------------------------------------------------------------------------

std::vector<Proposal> GeneticStrategy::Impl::ask_generational(std::size_t max_count, int deme) {
    auto dispatch = [&] {
        std::vector<Proposal> out;
        if (deme != any_deme) {
            dispatch_members(deme, max_count, out);
            return out;
        }
        // The least advanced demes first (ties: in deme order), so that the demes stay level.
        std::vector<std::size_t> order(demes_.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return demes_[a].generation < demes_[b].generation; });
        for (std::size_t d : order) {
            if (out.size() >= max_count) break;
            dispatch_members(static_cast<int>(d), max_count, out);
        }
        return out;
    };
    // A resume with more generations than the run it continues finds demes that have finished
    // that run's last generation: they breed on from there, as they would have then. (Otherwise
    // each deme breeds when its generation's last result is told.)
    if (breed_on_) {
        breed_on_ = false;
        for (std::size_t d = 0; d < demes_.size(); ++d) advance(d);
    }
    return dispatch();
}

// Proposals follow population order: the sequence never depends on chunking.
void GeneticStrategy::Impl::dispatch_members(int deme, std::size_t max_count, std::vector<Proposal>& out) {
    Deme& d = demes_[static_cast<std::size_t>(deme)];
    while (out.size() < max_count && d.next_to_dispatch < d.population.size()) {
        const std::size_t index = d.next_to_dispatch++;
        Individual& individual = d.population[index];
        if (individual.dispatched || individual.evaluated) continue;  // a carried elite or migrant
        individual.dispatched = true;
        out.push_back(make_proposal(individual.id, deme, d.generation, individual.genes, individual.parent,
                                    InFlight{deme, d.generation, true, index, {}, {}}));
    }
}

bool GeneticStrategy::Impl::complete(const Deme& deme) {
    return std::all_of(deme.population.begin(), deme.population.end(),
                       [](const Individual& individual) { return individual.evaluated; });
}

// Whether `deme` has had all its births of `generation` told.
bool GeneticStrategy::Impl::finished(const Deme& deme, int generation) const {
    if (options_.mode == GeneticMode::generational)
        return deme.generation > generation || (deme.generation == generation && complete(deme));
    // A deme's last generation may be cut short by its quota, or even empty.
    const auto g = static_cast<std::size_t>(generation), pop = static_cast<std::size_t>(options_.pop_size);
    const std::size_t q = quota(static_cast<std::size_t>(&deme - demes_.data())), before = g * pop;
    const std::size_t births = q > before ? std::min(pop, q - before) : 0;
    return births == 0 || (g < deme.told.size() && deme.told[g] == births);
}

bool GeneticStrategy::Impl::migrates_after(int generation) const {
    return num_demes() > 1 && (generation + 1) % options_.migration_interval == 0;
}

// Deme `index` has evaluated its whole generation: its population is summed up as it stands,
// the generations every deme has finished are reported, and the deme breeds on.
void GeneticStrategy::Impl::finish_deme_generation(std::size_t index) {
    Deme& deme = demes_[index];
    const auto g = static_cast<std::size_t>(deme.generation);
    if (deme.best_fom.size() <= g) {
        deme.best_fom.resize(g + 1, nan);
        deme.mean_fom.resize(g + 1, nan);
    }
    std::tie(deme.best_fom[g], deme.mean_fom[g]) = best_and_mean(deme.population);
    // Its screen learns the generation (its own members: not the elites carried from before, nor
    // migrants), in population order, before a migration can displace any.
    for (const Individual& member : deme.population)
        if (member.generation == deme.generation && member.deme == static_cast<int>(index))
            screens_[index].add(member.genes, member.pruned ? INFINITY : member.loss);
    report_finished_generations();
    advance(index);
}

// A deme that has finished its generation breeds its next one at once, unless a migration comes
// first: then it waits until every deme has finished that generation, and the migration (every
// deme's best taken before any deme receives) and the breeding of every deme, in deme order,
// happen when the last one finishes. At a migration each deme breeds from its own population and
// the other demes' as they stand then (meeting_pool): four demes of a small budget learn from
// each other's results as one population would (bench/README.md, issue 16), and keep their own
// elites. Each deme breeds with its own generator: its children never depend on the order in
// which the demes finish.
void GeneticStrategy::Impl::advance(std::size_t index) {
    const Deme& deme = demes_[index];
    const int g = deme.generation;
    if (g + 1 >= options_.generations || !complete(deme)) return;
    if (!migrates_after(g)) {
        breed_next_generation(index);
        return;
    }
    for (const Deme& other : demes_)
        if (other.generation != g || !complete(other)) return;  // the migration waits for it
    migrate_all(g);
    const std::vector<Individual> pool = meeting_pool();
    for (std::size_t d = 0; d < demes_.size(); ++d) breed_next_generation(d, pool);
}

// Every deme's evaluated members at a migration, taken before any deme breeds (a member that
// migrated is in it once).
std::vector<GeneticStrategy::Impl::Individual> GeneticStrategy::Impl::meeting_pool() const {
    std::vector<Individual> pool;
    for (const Deme& deme : demes_)
        for (const Individual& member : deme.population)
            if (member.evaluated) pool.push_back(member);
    return joined({}, pool);
}

void GeneticStrategy::Impl::breed_next_generation(std::size_t index, const std::vector<Individual>& pool) {
    Deme& deme = demes_[index];
    deme.population = next_generation(deme, deme.generation + 1, pool);
    deme.next_to_dispatch = 0;
    ++deme.generation;
    reserve_ids(deme);
    // A deme whose quota is spent carries its whole population into the run's last generation:
    // nothing to evaluate, so it has finished it.
    if (complete(deme)) finish_deme_generation(index);
}

// A deme's ids follow its population order and are reserved when its generation forms, so that
// which of its workers asks first does not decide a trial's id. Across demes they follow the
// order in which the demes' generations formed: with one worker a fixed order, with several the
// order of results; the genes of each deme's generations do not depend on it.
void GeneticStrategy::Impl::reserve_ids(Deme& deme) {
    for (Individual& individual : deme.population)
        if (!individual.dispatched && !individual.evaluated) individual.id = next_id_++;
}

namespace {
// The indices of `individuals`, fittest first.
template <class I>
std::vector<std::size_t> ranking(const std::vector<I>& individuals) {
    std::vector<std::size_t> order(individuals.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return fitter(individuals[a], individuals[b]); });
    return order;
}
}  // namespace

// `pool`: at a migration, every deme's members (meeting_pool), which the children are bred from
// besides the deme's own; empty otherwise.
std::vector<GeneticStrategy::Impl::Individual> GeneticStrategy::Impl::next_generation(
    Deme& deme, int generation, const std::vector<Individual>& pool) {
    const auto& population = deme.population;
    const std::vector<std::size_t> order = ranking(population);
    const std::vector<Individual> parents = joined(population, pool);
    const std::vector<std::size_t> parent_order = ranking(parents);

    // The elites (from the deme's own population), and in a last generation cut short by the
    // deme's quota, the next fittest too.
    const auto index = static_cast<std::size_t>(&deme - demes_.data());
    const std::size_t left = quota(index) > deme.births ? quota(index) - deme.births : 0;
    const std::size_t children = std::min(population.size() - static_cast<std::size_t>(options_.elites), left);
    std::vector<Individual> next;
    next.reserve(population.size());
    for (std::size_t e = 0; e + children < population.size(); ++e) next.push_back(population[order[e]]);
    const detail::StepDistribution steps = step_distribution(parents, parent_order);
    while (next.size() < population.size()) {
        Child bred = screened_child(parents, parent_order, steps, generation, deme.rng, screens_[index],
                                    detail::ChildScreen::generational_candidates);
        Individual child;
        child.genes = std::move(bred.genes);
        child.parent = bred.parent;
        child.generation = generation;
        child.deme = static_cast<int>(&deme - demes_.data());
        next.push_back(std::move(child));
    }
    return next;
}

// ---- steady-state ----------------------------------------------------------------------------

std::vector<Proposal> GeneticStrategy::Impl::ask_steady_state(std::size_t max_count, int deme) {
    std::vector<Proposal> out;
    if (deme != any_deme) {
        while (out.size() < max_count && can_propose_steady_state(demes_[static_cast<std::size_t>(deme)]))
            out.push_back(propose_steady_state(deme));
        return out;
    }
    // Round robin over the demes that can breed, so no deme starves the others.
    const std::size_t n = demes_.size();
    while (out.size() < max_count) {
        std::optional<std::size_t> found;
        for (std::size_t k = 0; k < n && !found; ++k)
            if (can_propose_steady_state(demes_[(next_deme_ + k) % n])) found = (next_deme_ + k) % n;
        if (!found) break;
        out.push_back(propose_steady_state(static_cast<int>(*found)));
        next_deme_ = (*found + 1) % n;
    }
    return out;
}

namespace {
// Steady-state: the results a deme needs before it breeds, two thirds of its population
// (bench/README.md, issue 16: a half bred too early at 16 workers, four fifths waited too long).
// Until then, once it has one, it proposes more space-filling points.
std::size_t space_filling_until(std::size_t pop) { return 2 * pop / 3; }
}  // namespace

bool GeneticStrategy::Impl::can_propose_steady_state(const Deme& deme) const {
    const auto pop = static_cast<std::size_t>(options_.pop_size);
    if (deme.births >= quota(static_cast<std::size_t>(&deme - demes_.data()))) return false;
    if (deme.births < pop) return true;
    return std::any_of(deme.population.begin(), deme.population.end(),
                       [](const Individual& i) { return i.evaluated; });
}

Proposal GeneticStrategy::Impl::propose_steady_state(int deme) {
    Deme& d = demes_[static_cast<std::size_t>(deme)];
    const auto pop = static_cast<std::size_t>(options_.pop_size);
    if (d.births < pop) {  // generation 0, bred in the constructor
        const std::size_t index = d.births;
        Individual& individual = d.population[index];
        individual.dispatched = true;
        Proposal proposal =
            make_proposal(next_id_++, deme, 0, individual.genes, std::nullopt, InFlight{deme, 0, true, index, {}, {}});
        individual.id = proposal.id;
        return proposal;
    }
    const int generation = static_cast<int>(d.births / pop);
    const bool meets = num_demes() > 1 && d.births % (static_cast<std::size_t>(options_.migration_interval) * pop) == 0;
    if (meets) send_best(deme, generation);
    // Only evaluated members can be parents: a pending one has no fitness yet. At a migration,
    // the other demes' members too (meeting_pool), as in generational mode.
    std::vector<Individual> with_pool;
    if (meets) with_pool = joined(d.population, meeting_pool());
    const std::vector<Individual>& candidates = meets ? with_pool : d.population;
    std::vector<std::size_t> parents;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (candidates[i].evaluated) parents.push_back(i);
    // With many workers, generation 0 is out before its results come back: while fewer than two
    // thirds of it have one, a child would be bred from one or two members, so the design goes on
    // instead (the Sobol index follows the trial id, past generation 0's points).
    if (parents.size() < space_filling_until(pop)) {
        const TrialId id = next_id_++;
        const std::uint64_t index = (demes_.size() - 1) * pop + id - 1;
        Point genes = detail::space_filling_point(space_, design_shift_, index, rng_);
        return make_proposal(id, deme, generation, genes, std::nullopt,
                             InFlight{deme, generation, false, 0, genes, std::nullopt});
    }
    std::sort(parents.begin(), parents.end(),
              [&](std::size_t a, std::size_t b) { return fitter(candidates[a], candidates[b]); });
    // The screen also sees the results in the deme's search distribution (ChildScreen::set_metric).
    const detail::StepDistribution steps = step_distribution(candidates, parents);
    screens_.front().set_metric(steps.factor);
    const std::vector<Point> in_flight = in_flight_points();
    Child child = screened_child(candidates, parents, steps, generation, rng_, screens_.front(),
                                 detail::ChildScreen::steady_state_candidates(in_flight.size()), in_flight);
    return make_proposal(next_id_++, deme, generation, child.genes, child.parent,
                         InFlight{deme, generation, false, 0, child.genes, child.parent});
}

GeneticStrategy::Impl::Child GeneticStrategy::Impl::screened_child(const std::vector<Individual>& individuals,
                                                                   const std::vector<std::size_t>& candidates,
                                                                   const detail::StepDistribution& steps,
                                                                   int generation, std::mt19937_64& rng,
                                                                   const detail::ChildScreen& screen,
                                                                   std::size_t count,
                                                                   std::span<const Point> in_flight) {
    std::vector<Child> children;
    std::vector<Point> genes;
    for (std::size_t k = 0; k < count; ++k) {
        children.push_back(breed(individuals, candidates, steps, generation, rng));
        genes.push_back(children.back().genes);
    }
    return std::move(children[screen.choose(genes, in_flight)]);
}

std::vector<Point> GeneticStrategy::Impl::in_flight_points() const {
    std::vector<Point> points;
    for (const auto& [id, f] : in_flight_)
        points.push_back(f.member ? demes_[static_cast<std::size_t>(f.deme)].population[f.index].genes : f.genes);
    return points;
}

// The screens as the results of `history` (the trials told before a state was saved, in the order
// told) left them: steady-state's, all of them in that order; generational, each deme's its
// finished generations, a generation's in its population's order (its ids').
void GeneticStrategy::Impl::rebuild_screens(std::span<const Trial> history) {
    const bool steady = options_.mode == GeneticMode::steady_state;
    screens_.assign(steady ? 1 : demes_.size(), detail::ChildScreen(space_, settings_.maximize));
    if (steady) {
        for (const Trial& trial : history) screens_.front().add(trial);
        return;
    }
    std::vector<const Trial*> finished;
    for (const Trial& trial : history) {
        if (trial.deme < 0 || static_cast<std::size_t>(trial.deme) >= demes_.size()) continue;
        const Deme& deme = demes_[static_cast<std::size_t>(trial.deme)];
        if (trial.generation < deme.generation || (trial.generation == deme.generation && complete(deme)))
            finished.push_back(&trial);
    }
    std::stable_sort(finished.begin(), finished.end(), [](const Trial* a, const Trial* b) {
        return std::tie(a->deme, a->generation, a->id) < std::tie(b->deme, b->generation, b->id);
    });
    for (const Trial* trial : finished) screens_[static_cast<std::size_t>(trial->deme)].add(*trial);
}

// A child joins the population only by beating its worst evaluated member.
void GeneticStrategy::Impl::accept_child(Deme& deme, const InFlight& child, const Trial& trial) {
    const Individual candidate = evaluated(trial, child, child.genes, child.parent);
    std::optional<std::size_t> worst;
    for (std::size_t i = 0; i < deme.population.size(); ++i) {
        const Individual& member = deme.population[i];
        if (member.evaluated && (!worst || fitter(deme.population[*worst], member))) worst = i;
    }
    if (!worst || !ranks_above(candidate, deme.population[*worst])) return;
    deme.population[*worst] = candidate;
}

// ---- both modes ------------------------------------------------------------------------------

void GeneticStrategy::Impl::tell(const Trial& trial) {
    auto it = in_flight_.find(trial.id);
    if (it == in_flight_.end()) detail::unknown_trial(name, trial.id);
    const InFlight in_flight = std::move(it->second);
    in_flight_.erase(it);
    record(in_flight, trial);
    if (options_.mode == GeneticMode::steady_state) screens_.front().add(trial);

    Deme& deme = demes_[static_cast<std::size_t>(in_flight.deme)];
    if (in_flight.member) {
        Individual& individual = deme.population[in_flight.index];
        individual = evaluated(trial, in_flight, std::move(individual.genes), individual.parent);
    } else {
        accept_child(deme, in_flight, trial);
    }

    if (options_.mode == GeneticMode::generational) {
        if (complete(deme)) finish_deme_generation(static_cast<std::size_t>(in_flight.deme));
    } else {
        report_finished_generations();
    }
}

// A generation is summarized once every deme has finished it.
void GeneticStrategy::Impl::report_finished_generations() {
    while (next_report_ < options_.generations &&
           std::all_of(demes_.begin(), demes_.end(), [&](const Deme& d) { return finished(d, next_report_); })) {
        report_generation(next_report_);
        ++next_report_;
    }
}

// The individual `trial` evaluated: its loss and FoM if ok, the loss of its last value and its
// steps if pruned, +inf if it failed. Its parent, generation and deme are the ones it was proposed with.
GeneticStrategy::Impl::Individual GeneticStrategy::Impl::evaluated(const Trial& trial, const InFlight& in_flight,
                                                                   Point genes, std::optional<TrialId> parent) const {
    Individual i;
    i.id = trial.id;
    i.generation = in_flight.generation;
    i.deme = in_flight.deme;
    i.genes = std::move(genes);
    i.parent = parent;
    i.dispatched = i.evaluated = true;
    i.pruned = detail::is_pruned(trial);
    i.steps = i.pruned ? trial.steps : 0;
    i.loss = i.pruned ? detail::pruned_loss(trial, settings_.maximize) : loss_of(trial, settings_.maximize);
    i.fom = trial.ok() ? trial.fom : nan;
    return i;
}

void GeneticStrategy::Impl::record(const InFlight& in_flight, const Trial& trial) {
    Deme& deme = demes_[static_cast<std::size_t>(in_flight.deme)];
    const auto g = static_cast<std::size_t>(in_flight.generation);
    if (deme.told.size() <= g) {
        deme.told.resize(g + 1, 0);
        deme.failed.resize(g + 1, 0);
        deme.pruned.resize(g + 1, 0);
    }
    ++deme.told[g];
    if (detail::is_pruned(trial)) ++deme.pruned[g];
    else if (!trial.ok()) ++deme.failed[g];
    if (trial.ok() && !std::isnan(trial.fom) && (!have_best_ || better_trial(trial, best_, settings_.maximize))) {
        best_ = trial;
        have_best_ = true;
    }
}

void GeneticStrategy::Impl::report_generation(int generation) {
    if (!observer_) return;
    GenerationSummary summary;
    summary.generation = generation;
    summary.global_best_fom = have_best_ ? best_.fom : nan;
    for (std::size_t d = 0; d < demes_.size(); ++d) {
        const Deme& deme = demes_[d];
        DemeSummary s;
        s.deme = static_cast<int>(d);
        // best and mean describe the deme's population, elites and migrants included: generational,
        // as it stood when the deme finished the generation (it may have moved on since);
        // steady-state, as it stands.
        const auto g = static_cast<std::size_t>(generation);
        if (options_.mode == GeneticMode::generational && g < deme.best_fom.size()) {
            s.best_fom = deme.best_fom[g];
            s.mean_fom = deme.mean_fom[g];
        } else {
            std::tie(s.best_fom, s.mean_fom) = best_and_mean(deme.population);
        }
        s.evaluated = g < deme.told.size() ? deme.told[g] : 0;
        s.failed = g < deme.failed.size() ? deme.failed[g] : 0;
        s.pruned = g < deme.pruned.size() ? deme.pruned[g] : 0;
        summary.demes.push_back(s);
    }
    observer_->on_generation_end(summary);
}

// Every deme's best is taken before any deme receives, so a migrant travels one step per
// migration, never around the whole ring at once.
void GeneticStrategy::Impl::migrate_all(int generation) {
    std::vector<std::optional<Individual>> migrants(demes_.size());
    for (std::size_t d = 0; d < demes_.size(); ++d) {
        const auto& population = demes_[d].population;
        for (const Individual& member : population)
            if (member.evaluated && (!migrants[d] || fitter(member, *migrants[d]))) migrants[d] = member;
    }
    for (std::size_t d = 0; d < demes_.size(); ++d)
        if (migrants[d]) receive(static_cast<int>(d), *migrants[d], generation);
}

void GeneticStrategy::Impl::send_best(int from, int generation) {
    const auto& population = demes_[static_cast<std::size_t>(from)].population;
    const Individual* best = nullptr;
    for (const Individual& member : population)
        if (member.evaluated && (!best || fitter(member, *best))) best = &member;
    if (best) receive(from, *best, generation);
}

// The migrant replaces the worst evaluated member of the ring neighbour, if it is better; it
// keeps its loss, so it is not evaluated again. A deme already holding it is left alone.
void GeneticStrategy::Impl::receive(int from, const Individual& migrant, int generation) {
    const auto to = static_cast<std::size_t>((from + 1) % num_demes());
    auto& population = demes_[to].population;
    std::optional<std::size_t> worst;
    for (std::size_t i = 0; i < population.size(); ++i) {
        const Individual& member = population[i];
        if (!member.evaluated) continue;
        if (member.id == migrant.id) return;
        if (!worst || fitter(population[*worst], member)) worst = i;
    }
    if (!worst || !ranks_above(migrant, population[*worst])) return;
    population[*worst] = migrant;
    if (observer_)
        observer_->on_migration(Migration{generation, from, static_cast<int>(to), migrant.id, migrant.fom});
}

// `rng` draws every choice: generational, the deme's own generator; steady-state, the run's.
// Candidates are ranked fittest first (genetic_breeding.cpp breeds from ranks). The child starts
// from the checkpoint of its fitter parent (ties: the older trial), or rather from what that parent
// inherits at `generation` (genetic_lineage.cpp).
namespace {
// The genes of `candidates` (indices of `individuals`), in their order.
template <class I>
std::vector<const Point*> ranked_genes(const std::vector<I>& individuals, const std::vector<std::size_t>& candidates) {
    std::vector<const Point*> ranked;
    ranked.reserve(candidates.size());
    for (std::size_t c : candidates) ranked.push_back(&individuals[c].genes);
    return ranked;
}
}  // namespace

detail::StepDistribution GeneticStrategy::Impl::step_distribution(const std::vector<Individual>& individuals,
                                                                  const std::vector<std::size_t>& candidates) const {
    return detail::step_distribution(space_, ranked_genes(individuals, candidates));
}

GeneticStrategy::Impl::Child GeneticStrategy::Impl::breed(const std::vector<Individual>& individuals,
                                                          const std::vector<std::size_t>& candidates,
                                                          const detail::StepDistribution& steps, int generation,
                                                          std::mt19937_64& rng) {
    const std::vector<const Point*> ranked = ranked_genes(individuals, candidates);
    detail::Bred bred =
        detail::breed(space_, ranked, steps, {options_.mutation_rate, options_.crossover_rate}, rng);
    const std::size_t from = bred.second ? std::min(bred.first, *bred.second) : bred.first;
    return Child{std::move(bred.genes), inherited(individuals[candidates[from]], generation)};
}

}  // namespace hpo
