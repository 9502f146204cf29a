// The genetic island model's saved state: the demes, the counters and the generators, as text.
//
// Everything but the options: the counters, the best so far, every deme (its generation and
// generator, its population with ids, losses, pruned flags and steps, generations and demes,
// parents and genes, its dispatch position, births, per-generation counts and summaries) and the
// trials in flight. A pending member's genes and parent are in its population slot; a pending
// steady-state child carries its own.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "genetic_impl.hpp"
#include "state_text.hpp"

namespace hpo {
namespace {

// Version 2 added each member's pruned flag and steps, and each deme's pruned counts per
// generation (--prune); a version 1 state has none pruned. Version 3 added each member's and each
// pending child's parent (`none` or a trial id; @checkpoint); older states have none. Version 4
// gave each deme its own generation and generator (demes evolve apart between migrations), each
// member its generation and deme (the ranking's tie-break), and each deme its summaries of the
// generations it finished. Older states hold one generation and one generator for all demes:
// they load as every deme at that generation, with the generators a new run's demes start with
// (the one generator goes on in steady-state breeding, and in generational mode is no longer
// used), and with members ranked among equals by id alone (the order their ids were reserved in).
constexpr int state_version = 4;
constexpr int version_without_pruning = 1;
constexpr int version_without_parents = 2;
constexpr int version_with_one_generation = 3;

int version_of(std::string_view state) {
    if (state.starts_with("hpo-strategy genetic 1\n")) return version_without_pruning;
    if (state.starts_with("hpo-strategy genetic 2\n")) return version_without_parents;
    if (state.starts_with("hpo-strategy genetic 3\n")) return version_with_one_generation;
    return state_version;
}

void write_parent(detail::StateWriter& out, const std::optional<TrialId>& parent) {
    if (parent) out << *parent;
    else out << "none";
}

// A parent was proposed before its child, so it is below `next_id`.
std::optional<TrialId> read_parent(detail::StateReader& in, int version, TrialId next_id) {
    if (version < version_with_one_generation) return std::nullopt;
    if (in.peek() == "none") {
        in.word();
        return std::nullopt;
    }
    const TrialId parent = in.unsigned_number();
    if (parent >= next_id) in.fail("the parent trial " + std::to_string(parent) + " was never proposed");
    return parent;
}

// A resume may add generations, not drop those already bred.
int read_generation(detail::StateReader& in, int generations) {
    const int generation = in.int_number(0, std::numeric_limits<int>::max());
    if (generation >= generations)
        in.fail("the state is at generation " + std::to_string(generation) + ", beyond generations (" +
                std::to_string(generations) + ")");
    return generation;
}

std::vector<double> reals_to_end(detail::StateReader& in) {
    std::vector<double> values;
    while (!in.line_done()) values.push_back(in.real());
    return values;
}

}  // namespace

std::vector<Proposal> GeneticStrategy::pending() const { return impl_->pending(); }
std::string GeneticStrategy::save_state() const { return impl_->save_state(); }
void GeneticStrategy::load_state(std::string_view state) { impl_->load_state(state); }
void GeneticStrategy::restore(std::string_view state, std::span<const Trial> history) {
    impl_->load_state(state);  // throws, leaving the strategy as it was
    impl_->rebuild_screens(history);
}

std::vector<Proposal> GeneticStrategy::Impl::pending() const {
    std::vector<Proposal> proposals;
    for (const auto& [id, f] : in_flight_) {
        const Point& genes = f.member ? demes_[static_cast<std::size_t>(f.deme)].population[f.index].genes : f.genes;
        const std::optional<TrialId>& parent =
            f.member ? demes_[static_cast<std::size_t>(f.deme)].population[f.index].parent : f.parent;
        Proposal& p = proposals.emplace_back();
        p.id = id;
        p.deme = f.deme;
        p.generation = f.generation;
        p.values = genes;
        p.parent = parent;
    }
    return proposals;
}

std::string GeneticStrategy::Impl::save_state() const {
    detail::StateWriter out(name, state_version);
    out.dimension(space_);
    out.line("mode") << to_string(options_.mode);
    out.line("demes") << demes_.size();
    out.line("pop-size") << options_.pop_size;
    out.line("next-id") << next_id_;
    out.line("next-report") << next_report_;
    out.line("next-deme") << next_deme_;
    out.line("best");
    if (have_best_) out << best_.id << best_.fom;  // all that record() and the summaries read of it
    else out << "none";
    out.line("rng") << rng_;
    for (const Deme& deme : demes_) save_deme(out, deme);
    for (const auto& [id, in_flight] : in_flight_) save_in_flight(out, id, in_flight);
    return out.finish();
}

void GeneticStrategy::Impl::save_deme(detail::StateWriter& out, const Deme& deme) const {
    out.line("deme") << static_cast<std::size_t>(&deme - demes_.data());
    out.line("generation") << deme.generation;
    out.line("rng") << deme.rng;
    out.line("next-to-dispatch") << deme.next_to_dispatch;
    out.line("births") << deme.births;
    out.line("told") << deme.told;
    out.line("failed") << deme.failed;
    out.line("pruned") << deme.pruned;
    out.line("best-fom") << deme.best_fom;
    out.line("mean-fom") << deme.mean_fom;
    for (const Individual& i : deme.population) {
        out.line("member") << i.id << i.dispatched << i.evaluated << i.loss << i.fom << i.pruned << i.steps
                           << i.generation << i.deme;
        write_parent(out, i.parent);
        out << i.genes;
    }
}

void GeneticStrategy::Impl::save_in_flight(detail::StateWriter& out, TrialId id, const InFlight& in_flight) const {
    out.line("pending") << id << in_flight.deme << in_flight.generation;
    if (in_flight.member) {
        out << "member" << in_flight.index;
        return;
    }
    out << "child";
    write_parent(out, in_flight.parent);
    out << in_flight.genes;
}

// Parsed whole before anything changes, so a rejected state leaves the strategy as it was.
void GeneticStrategy::Impl::load_state(std::string_view state) {
    const int version = version_of(state);
    detail::StateReader in(state, name, version);
    in.dimension(space_);
    in.line("mode");
    const std::string_view mode = in.word();
    if (mode != to_string(options_.mode))
        in.fail("the state is of " + std::string(mode) + " mode, this strategy is " +
                std::string(to_string(options_.mode)));
    in.line("demes");
    if (in.unsigned_number() != demes_.size())
        in.fail("another number of demes than this strategy's " + std::to_string(demes_.size()));
    in.line("pop-size");
    // A population sized by the budget keeps the size the run started with when a resume
    // extends --evals (restored below if the state is rejected).
    const GeneticPlan plan_before = plan_;
    const std::uint64_t pop_size = in.unsigned_number(1, std::numeric_limits<int>::max());
    if (pop_size != static_cast<std::uint64_t>(options_.pop_size)) {
        if (!plan_.pop_from_budget) in.fail("another pop_size than this strategy's " + std::to_string(options_.pop_size));
        try {
            use_plan(plan_genetic_run(given_, static_cast<int>(pop_size)));
        } catch (const std::invalid_argument& e) {
            in.fail(e.what());
        }
    }
    struct Restore {
        Impl& impl;
        const GeneticPlan& plan;
        bool done = false;
        ~Restore() { if (!done) impl.use_plan(plan); }
    } restore{*this, plan_before};
    in.line("next-id");
    const TrialId next_id = in.unsigned_number();
    // Older states: one generation for every deme.
    int generation = 0;
    if (version <= version_with_one_generation) {
        in.line("generation");
        generation = read_generation(in, options_.generations);
    }
    in.line("next-report");
    int next_report = in.int_number(0, std::numeric_limits<int>::max());  // checked with the demes'
    in.line("next-deme");
    const auto next_deme = static_cast<std::size_t>(in.unsigned_number(0, demes_.size() - 1));
    in.line("best");
    Trial best{};
    const bool have_best = in.peek() != "none";
    if (have_best) {
        best.id = in.unsigned_number();
        if (best.id >= next_id) in.fail("the best trial " + std::to_string(best.id) + " was never proposed");
        best.fom = in.real();
    } else {
        in.word();
    }
    in.line("rng");
    std::mt19937_64 rng;
    in.rng(rng);

    std::vector<Deme> demes;
    for (std::size_t d = 0; d < demes_.size(); ++d) demes.push_back(load_deme(in, d, version, generation, next_id));
    std::map<TrialId, InFlight> in_flight;
    while (in.next_key() == "pending") {
        in.line("pending");
        const TrialId id = in.pending_id(in_flight.empty() ? 0 : in_flight.rbegin()->first + 1, next_id);
        in_flight.emplace(id, load_in_flight(in, id, demes, version, next_id));
    }
    in.finish();
    if (next_report > options_.generations)
        in.fail("the state has summarized " + std::to_string(next_report) + " generations, beyond generations (" +
                std::to_string(options_.generations) + ")");
    // The barrier of older generational states summarized a generation when its last result came,
    // not with a counter: every generation before the current one, and it too once finished.
    if (version <= version_with_one_generation && options_.mode == GeneticMode::generational)
        next_report = generation + (std::all_of(demes.begin(), demes.end(), complete) ? 1 : 0);
    restore.done = true;

    rng_ = rng;
    demes_ = std::move(demes);
    next_report_ = next_report;
    next_deme_ = next_deme;
    next_id_ = next_id;
    in_flight_ = std::move(in_flight);
    best_ = best;
    have_best_ = have_best;
    rebuild_screens({});  // empty: restore() rebuilds them from the told results
    fit_generations_to_quota();
    breed_on_ = true;
}

// `generation` is an older state's one generation of every deme.
GeneticStrategy::Impl::Deme GeneticStrategy::Impl::load_deme(detail::StateReader& in, std::size_t index,
                                                             int version, int generation, TrialId next_id) const {
    const auto pop = static_cast<std::size_t>(options_.pop_size);
    Deme deme;
    in.line("deme");
    if (in.unsigned_number() != index) in.fail("expected deme " + std::to_string(index));
    if (version <= version_with_one_generation) {
        deme.generation = generation;
        deme.rng = deme_rng(settings_.seed, index);
    } else {
        in.line("generation");
        deme.generation = read_generation(in, options_.generations);
        in.line("rng");
        in.rng(deme.rng);
    }
    in.line("next-to-dispatch");
    deme.next_to_dispatch = static_cast<std::size_t>(in.unsigned_number(0, pop));
    in.line("births");
    deme.births = static_cast<std::size_t>(in.unsigned_number());
    if (options_.mode == GeneticMode::steady_state && deme.births > quota(index))
        in.fail("the deme has had " + std::to_string(deme.births) + " births, more than its budget of " +
                std::to_string(quota(index)));
    in.line("told");
    deme.told = in.counts_to_end();
    in.line("failed");
    deme.failed = in.counts_to_end();
    if (deme.failed.size() != deme.told.size()) in.fail("'failed' and 'told' have different lengths");
    deme.pruned.assign(deme.told.size(), 0);
    if (version != version_without_pruning) {
        in.line("pruned");
        deme.pruned = in.counts_to_end();
        if (deme.pruned.size() != deme.told.size()) in.fail("'pruned' and 'told' have different lengths");
    }
    if (version > version_with_one_generation) {
        in.line("best-fom");
        deme.best_fom = reals_to_end(in);
        in.line("mean-fom");
        deme.mean_fom = reals_to_end(in);
        if (deme.mean_fom.size() != deme.best_fom.size()) in.fail("'mean-fom' and 'best-fom' have different lengths");
    }
    deme.population.resize(pop);
    for (Individual& i : deme.population) {
        in.line("member");
        i.id = in.unsigned_number();
        i.dispatched = in.flag();
        i.evaluated = in.flag();
        i.loss = in.real();
        i.fom = in.real();
        if (version != version_without_pruning) {
            i.pruned = in.flag();
            i.steps = in.int_number(0, std::numeric_limits<int>::max());
        }
        // Older states: ranked among equals by id alone, which reserved ids in generation and deme
        // order; their members count as the deme's current generation (all alike, so the id decides;
        // the deme's screen learns them all when it finishes that generation).
        if (version > version_with_one_generation) {
            i.generation = in.int_number(0, std::numeric_limits<int>::max());
            i.deme = in.int_number(0, num_demes() - 1);
        } else {
            i.generation = deme.generation;
            i.deme = static_cast<int>(index);
        }
        i.parent = read_parent(in, version, next_id);
        i.genes = in.point(space_);
    }
    return deme;
}

GeneticStrategy::Impl::InFlight GeneticStrategy::Impl::load_in_flight(detail::StateReader& in, TrialId id,
                                                          const std::vector<Deme>& demes, int version,
                                                          TrialId next_id) const {
    InFlight f;
    f.deme = in.int_number(0, num_demes() - 1);
    f.generation = in.int_number(0, std::numeric_limits<int>::max());
    const std::string_view kind = in.word();
    if (kind == "child") {
        f.member = false;
        f.parent = read_parent(in, version, next_id);
        f.genes = in.point(space_);
        return f;
    }
    if (kind != "member") in.fail("expected 'member' or 'child', found '" + std::string(kind) + "'");
    f.index = static_cast<std::size_t>(in.unsigned_number(0, static_cast<std::uint64_t>(options_.pop_size) - 1));
    // tell() writes the result into that slot: it must be the one waiting for it.
    const Individual& slot = demes[static_cast<std::size_t>(f.deme)].population[f.index];
    if (slot.id != id || !slot.dispatched || slot.evaluated)
        in.fail("pending trial " + std::to_string(id) + " is not the running member " + std::to_string(f.index) +
                " of deme " + std::to_string(f.deme));
    return f;
}

}  // namespace hpo
