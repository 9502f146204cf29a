// Bayesian optimization: the design phase, the model's upkeep (refits, grown factor, believers)
// and the asks and tells.
#include "hpo/strategy/bayes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>

#include "bayes_search.hpp"
#include "bayes_targets.hpp"
#include "draw.hpp"
#include "gp_fit.hpp"
#include "pruned_loss.hpp"
#include "sobol.hpp"

namespace hpo {
namespace {

// The acquisition search's quasi-random candidates: a fixed Sobol set under a fresh shift per
// proposal.
constexpr std::size_t sobol_candidates = 512;

// Hyperparameters are refitted when the results have grown by an eighth since the last fit (at
// every result while there are few): O(log n) fits in a run, each on at most fit_points results.
constexpr std::size_t refit_divisor = 8;
constexpr std::size_t fit_points = 256;

// A constant separates the design's scramble from the generator that draws everything else.
constexpr std::uint64_t design_stream = 0x9e3779b97f4a7c15ULL;

// The best few results seed the acquisition search with perturbations of themselves.
constexpr std::size_t incumbents = 5;
constexpr detail::SearchEffort full_effort{};

// Proposals must keep up with the workers. The proposals of one ask form a round: the model, its
// believers and the incumbents are prepared once, then each proposal maximizes the acquisition
// and joins the model as a believer. While other evaluations run, a round of k proposals may take
// a quarter of the time in which k results come in (k times the mean evaluation time over the
// evaluations running): at that load results queue for about a sixth of a proposal's time on
// average, and the coordinator leaves most of a CPU it may share with the workers free. When the
// full model's estimated cost exceeds that, the round is *lean*: it conditions on a
// representative subset of the results (the better half and an even spread of the rest, as
// large as the budget allows, at least min_model_points), searches with fewer candidates and
// local steps (the first of lean_searches that fits the budget, else the last) and refits from
// the last fit only. Costs are estimated from the problem's size in units of about one
// floating-point operation, not measured, so proposals stay a function of the results and a
// resumed run proposes the same. One evaluation at a time never goes lean: nothing else is
// waiting for the proposal.
constexpr double coordinator_share = 0.25;
constexpr double cost_units_per_second = 1e9;
constexpr std::size_t min_model_points = 24;

struct LeanSearch {
    std::size_t sobol_candidates;
    detail::SearchEffort effort;
};
constexpr LeanSearch lean_searches[] = {
    {128, {1, 20, 24}}, {64, {1, 10, 12}}, {32, {1, 5, 6}}, {16, {1, 4, 3}}};

// The points one acquisition search scores: candidates, and local steps of up to three each.
double search_evaluations(std::size_t sobol, const detail::SearchEffort& effort) {
    return static_cast<double>(sobol + incumbents * effort.perturbations_per_incumbent) +
           3.0 * static_cast<double>(effort.local_starts) * effort.local_iterations;
}

// The estimated cost of a round of `round` proposals conditioned on `model` results with
// `pending` believers: a lean factor built from scratch, O(m^3); the pending points appended as
// one block, O(p m^2 + p^2 m + p^3); each proposal scores its search's points at O(n^2) each, and
// all but the last join as a believer, O(n^2).
double round_cost(std::size_t model, std::size_t pending, std::size_t round, double evaluations,
                  bool factor_from_scratch) {
    const double m = static_cast<double>(model), p = static_cast<double>(pending);
    const double n = m + p + static_cast<double>(round);
    const double factor = factor_from_scratch ? m * m * m / 3.0 : 0.0;
    const double believers = p * m * m + p * p * m + p * p * p / 3.0;
    return factor + believers + n * n * (static_cast<double>(round) * evaluations + static_cast<double>(round - 1));
}

// At most `limit` results, chosen by their model targets: the better half of them, and an even
// spread of the rest (the shape of the whole space, and the detail where it matters).
std::vector<std::size_t> representative_subset(const std::vector<double>& y, std::size_t limit) {
    std::vector<std::size_t> chosen(y.size());
    std::iota(chosen.begin(), chosen.end(), 0);
    if (chosen.size() <= limit) return chosen;
    std::stable_sort(chosen.begin(), chosen.end(), [&](std::size_t a, std::size_t b) { return y[a] < y[b]; });
    const std::size_t best = limit / 2, rest = chosen.size() - best;
    std::vector<std::size_t> subset(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(best));
    for (std::size_t k = 0; k < limit - best; ++k) subset.push_back(chosen[best + k * rest / (limit - best)]);
    return subset;
}

template <class Observations>
detail::Targets targets_of(const Observations& observations) {
    std::vector<double> losses;
    std::vector<bool> ok;
    for (const auto& o : observations) {
        losses.push_back(o.loss);
        ok.push_back(o.ok);
    }
    return detail::model_targets(losses, ok);
}

}  // namespace

struct BayesStrategy::Model {
    detail::BayesEncoding encoding;
    detail::SobolSequence sobol;
    std::vector<std::uint64_t> design_shift;
    std::vector<std::uint64_t> candidate_words;
    // The GP over the first gp->size() results, factored as fit_.base rows at once and the rest
    // row by row; empty until needed, and again after a refit or a load.
    std::optional<gp::GaussianProcess> gp;

    Model(const SearchSpace& space, std::uint64_t seed)
        : encoding(space), sobol(space.size()), candidate_words(sobol.words(sobol_candidates)) {
        std::mt19937_64 design_rng(seed ^ design_stream);
        design_shift = sobol.draw_shift(design_rng);
    }

    std::vector<double> input(const Point& values) const {
        std::vector<double> x(encoding.dimension());
        encoding.encode(values, x);
        return x;
    }
};

// The model a round proposes from: the full model (every result, its factor grown row by row) or
// a lean one (a subset, factored afresh), then the kriging believer: each pending point joins the
// model at its own predicted value, which leaves the mean unchanged and shrinks the variance
// there, and counts for the incumbent (else a pending point predicted to improve would keep its
// neighbourhood attractive), so the search looks elsewhere. The mean being unchanged, every
// belief comes from the model before any believer joins.
struct BayesStrategy::Round {
    std::optional<gp::GaussianProcess> own;  // a lean model, or a copy of the full one for believers
    gp::GaussianProcess* shared = nullptr;   // the full model itself, when nothing is believed
    std::vector<double> y;                   // the model's targets, beliefs included
    double best = 0;
    std::vector<std::vector<double>> incumbents;  // unit points of the best few results, best first
    std::optional<LeanRound> lean;

    gp::GaussianProcess& model() { return own ? *own : *shared; }
};

BayesStrategy::BayesStrategy(SearchSpace space, BayesOptions options, SearchSettings settings)
    : space_(std::move(space)), options_(options), settings_(settings), rng_(settings.seed) {
    options_.check();
    if (space_.empty()) throw std::invalid_argument("bayes: the search space has no parameters");
    if (space_.size() > detail::SobolSequence::max_dimension())
        throw std::invalid_argument("bayes: " + std::to_string(space_.size()) + " parameters, at most " +
                                    std::to_string(detail::SobolSequence::max_dimension()) + " are supported");
    initial_ = options_.initial ? options_.initial : 2 * space_.size() + 1;
    model_ = std::make_unique<Model>(space_, settings_.seed);
}

BayesStrategy::~BayesStrategy() = default;

std::vector<Proposal> BayesStrategy::ask(std::size_t max_count, int deme) {
    detail::check_deme(name(), deme, num_demes());
    const std::size_t left = next_id_ < options_.evals ? options_.evals - next_id_ : 0;
    const std::size_t count = std::min(max_count, left);
    std::vector<Proposal> proposals;
    proposals.reserve(count);
    // Each proposal conditions on the ones before it (pending, or earlier in the round).
    std::optional<Round> round;
    for (std::size_t i = 0; i < count; ++i) {
        Proposal p;
        if (model_ready()) {
            if (!round) round.emplace(start_round(count - i));
            p.values = round_point(*round);
            if (i + 1 < count) believe(*round, p.values);
        } else {
            p.values = next_id_ == 0 ? space_.initial_point(rng_) : design_point();
        }
        p.id = next_id_++;
        pending_.emplace(p.id, p.values);
        seen_.insert(p.values);
        proposals.push_back(std::move(p));
    }
    return proposals;
}

void BayesStrategy::tell(const Trial& trial) {
    const auto it = pending_.find(trial.id);
    if (it == pending_.end()) detail::unknown_trial(name(), trial.id);
    // The point proposed, as the model encodes it (the trial's own values are the same point).
    observations_.push_back(observation_of(trial, std::move(it->second)));
    pending_.erase(it);
    const double duration = trial.end_time - trial.start_time;
    if (std::isfinite(duration) && duration > 0) {
        pace_.total_seconds += duration;
        ++pace_.count;
    }
}

BayesStrategy::Observation BayesStrategy::observation_of(const Trial& trial, Point values) const {
    Observation o;
    o.id = trial.id;
    o.values = std::move(values);
    // A pruned trial (--prune) is an observation too: the loss of its last intermediate value, a
    // low-fidelity loss that is typically worse than a completed trial's final one, so that the
    // model learns where the hopeless regions are. It goes through the same transform as the ok
    // results' losses (model_targets); failed trials stay imputed there.
    o.loss = detail::is_pruned(trial) ? detail::pruned_loss(trial, settings_.maximize) : loss_of(trial, settings_.maximize);
    o.ok = (trial.ok() || detail::is_pruned(trial)) && std::isfinite(o.loss);
    if (!o.ok) o.loss = 0;
    return o;
}

bool BayesStrategy::exhausted() const { return next_id_ >= options_.evals; }

std::vector<Proposal> BayesStrategy::pending() const {
    std::vector<Proposal> proposals;
    for (const auto& [id, values] : pending_) proposals.push_back(detail::plain_proposal(id, values));
    return proposals;
}

bool BayesStrategy::unseen_remain() const {
    return !model_->encoding.all_discrete() || seen_.size() < model_->encoding.discrete_points();
}

// Past the initial design, with two results of which one is ok.
bool BayesStrategy::model_ready() const {
    if (next_id_ == 0 || next_id_ < initial_ || observations_.size() < 2) return false;
    return std::any_of(observations_.begin(), observations_.end(), [](const Observation& o) { return o.ok; });
}

// The next Sobol point not yet seen (a small discrete space can repeat a point).
Point BayesStrategy::design_point() {
    std::vector<double> unit(space_.size());
    for (int tries = 0; tries < 64; ++tries) {
        model_->sobol.point(design_index_++, model_->design_shift, unit);
        Point values = space_.from_unit(unit);
        if (!seen(values) || !unseen_remain()) return values;
    }
    Point values = detail::find_unseen(space_, [this](const Point& p) { return seen(p); }, rng_);
    return values.empty() ? space_.random_point(rng_) : values;
}

bool BayesStrategy::refit_due() const {
    return !fit_.done || observations_.size() >= fit_.base + std::max<std::size_t>(1, fit_.base / refit_divisor);
}

// On at most `limit` results (representative_subset), given their model targets (one per
// result); a quick one starts from the last fit only.
void BayesStrategy::refit(const std::vector<double>& targets, std::size_t limit, bool quick) {
    std::vector<double> inputs, y;
    for (std::size_t i : representative_subset(targets, limit)) {
        const std::vector<double> x = model_->input(observations_[i].values);
        inputs.insert(inputs.end(), x.begin(), x.end());
        y.push_back(targets[i]);
    }
    fit_.hyper =
        detail::fit_hyperparameters(model_->encoding.kinds(), inputs, y, fit_.done ? &fit_.hyper : nullptr, rng_,
                                    quick);
    fit_.done = true;
    fit_.base = observations_.size();
    forget_model();
}

void BayesStrategy::forget_model() { model_->gp.reset(); }

void BayesStrategy::sync_model() {
    Model& m = *model_;
    if (!m.gp) {
        m.gp.emplace(m.encoding.kinds(), fit_.hyper);
        std::vector<double> inputs;
        for (std::size_t i = 0; i < fit_.base; ++i) {
            const std::vector<double> x = m.input(observations_[i].values);
            inputs.insert(inputs.end(), x.begin(), x.end());
        }
        m.gp->reset(inputs);
    }
    for (std::size_t i = m.gp->size(); i < observations_.size(); ++i) m.gp->add(m.input(observations_[i].values));
}

// How lean a round of `round_size` proposals must be, or nothing when the full model fits the
// time budget: the first of lean_searches that fits with min_model_points results, with as many
// results as then fit (doubling), else the last search with min_model_points.
std::optional<BayesStrategy::LeanRound> BayesStrategy::lean_round(std::size_t round_size) const {
    if ((pending_.empty() && round_size <= 1) || pace_.count == 0) return std::nullopt;
    const std::size_t n = observations_.size(), p = pending_.size(), k = round_size;
    const double mean_evaluation = pace_.total_seconds / static_cast<double>(pace_.count);
    const double budget = coordinator_share * mean_evaluation * static_cast<double>(k) / static_cast<double>(p + k) *
                          cost_units_per_second;
    const double full = search_evaluations(sobol_candidates, full_effort);
    if (round_cost(n, p, k, full, false) <= budget) return std::nullopt;
    const auto fits = [&](std::size_t search, std::size_t points) {
        const LeanSearch& s = lean_searches[search];
        return round_cost(points, p, k, search_evaluations(s.sobol_candidates, s.effort), true) <= budget;
    };
    std::size_t search = 0;
    while (search + 1 < std::size(lean_searches) && !fits(search, min_model_points)) ++search;
    std::size_t points = min_model_points;
    while (points * 2 < n && fits(search, points * 2)) points *= 2;
    return LeanRound{std::min(points, n), search};
}

BayesStrategy::Round BayesStrategy::start_round(std::size_t size) {
    const std::optional<LeanRound> lean = lean_round(size);
    const detail::Targets targets = targets_of(observations_);
    if (refit_due()) {
        if (lean) refit(targets.y, std::max<std::size_t>(2 * lean->model_points, 64), true);
        else refit(targets.y, fit_points, false);
    }
    Model& m = *model_;
    Round round;
    round.best = targets.best;
    round.lean = lean;
    if (lean) {
        round.own.emplace(m.encoding.kinds(), fit_.hyper);
        std::vector<double> inputs;
        for (std::size_t i : representative_subset(targets.y, lean->model_points)) {
            const std::vector<double> x = m.input(observations_[i].values);
            inputs.insert(inputs.end(), x.begin(), x.end());
            round.y.push_back(targets.y[i]);
        }
        round.own->reset(inputs);
    } else {
        sync_model();
        round.y = targets.y;
        if (pending_.empty() && size == 1) round.shared = &*m.gp;
        else round.own.emplace(*m.gp);
    }
    gp::GaussianProcess& model = round.model();
    model.set_targets(round.y);
    if (!pending_.empty()) {
        std::vector<double> inputs;
        for (const auto& [id, values] : pending_) {
            const std::vector<double> x = m.input(values);
            inputs.insert(inputs.end(), x.begin(), x.end());
        }
        const std::vector<double> beliefs = model.predict_means(inputs);
        model.add_many(inputs);
        for (double belief : beliefs) {
            round.y.push_back(belief);
            round.best = std::min(round.best, belief);
        }
        model.set_targets(round.y);
    }

    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < observations_.size(); ++i)
        if (observations_[i].ok) order.push_back(i);
    const auto better = [&](std::size_t a, std::size_t b) {  // ties by order told: deterministic
        return targets.y[a] < targets.y[b] || (targets.y[a] == targets.y[b] && a < b);
    };
    const std::size_t best_few = std::min(order.size(), incumbents);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(best_few), order.end(), better);
    for (std::size_t k = 0; k < best_few; ++k)
        round.incumbents.push_back(space_.to_unit(observations_[order[k]].values));
    return round;
}

Point BayesStrategy::round_point(Round& round) {
    detail::SearchProblem problem{space_, model_->encoding, round.model(), options_.acquisition, round.best,
                                  round.incumbents, [this](const Point& p) { return seen(p); }, unseen_remain()};
    std::span<const std::uint64_t> words = model_->candidate_words;
    if (round.lean) {
        const LeanSearch& search = lean_searches[round.lean->search];
        problem.effort = search.effort;
        words = words.first(search.sobol_candidates * space_.size());
    }
    return space_.from_unit(detail::maximize_acquisition(problem, words, rng_));
}

// The round's next proposal conditions on this one, believed at the model's prediction.
void BayesStrategy::believe(Round& round, const Point& values) {
    gp::GaussianProcess& model = round.model();
    const std::vector<double> x = model_->input(values);
    const double belief = model.predict_means(x).front();
    model.add(x);
    round.y.push_back(belief);
    round.best = std::min(round.best, belief);
    model.set_targets(round.y);
}

}  // namespace hpo
