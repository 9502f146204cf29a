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
constexpr std::size_t perturbation_candidates = incumbents * 24;

// Proposals must keep up with the workers. While other evaluations run, a proposal may take a
// share of the time between two results (the mean evaluation time over the evaluations running).
// When the full model's estimated cost exceeds that, the proposal is *lean*: it conditions on a
// representative subset of the results (the better half and an even spread of the rest, as
// large as the budget allows), scores fewer candidates and refines one of them. Costs are
// estimated from the problem's size in units of about one floating-point operation, not
// measured, so proposals stay a function of the results and a resumed run proposes the same.
// One evaluation at a time never goes lean: nothing else is waiting for the proposal.
constexpr double coordinator_share = 0.5;
constexpr double cost_units_per_second = 1e9;
constexpr std::size_t min_model_points = 24;
constexpr std::size_t lean_candidates = 128;
constexpr detail::SearchEffort lean_effort{1, 20};
constexpr double full_local_evaluations = 4 * 3 * 40;
constexpr double lean_local_evaluations = 1 * 3 * 20;

// The estimated cost of one proposal conditioned on `model` results with `pending` believers:
// scoring candidates and local steps at O(n^2) each, the believers' rows, and a factor built
// from scratch when `factor_from_scratch` (a lean model is; the full one grows row by row).
double proposal_cost(std::size_t model, std::size_t pending, double candidates, double local_evaluations,
                     bool factor_from_scratch) {
    const double n = static_cast<double>(model + pending);
    const double m = static_cast<double>(model);
    return n * n * (candidates + 2.0 * static_cast<double>(pending) + local_evaluations) +
           (factor_from_scratch ? m * m * m / 3.0 : 0.0);
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

std::string_view to_string(Acquisition acquisition) {
    switch (acquisition) {
    case Acquisition::ei: return "ei";
    case Acquisition::ucb: return "ucb";
    }
    return "unknown";
}

Acquisition acquisition_from_string(std::string_view text) {
    for (auto a : {Acquisition::ei, Acquisition::ucb})
        if (to_string(a) == text) return a;
    throw std::invalid_argument("unknown acquisition '" + std::string(text) + "' (expected ei or ucb)");
}

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

BayesStrategy::BayesStrategy(SearchSpace space, BayesOptions options)
    : space_(std::move(space)), options_(options), rng_(options.seed) {
    if (options_.evals == 0) throw std::invalid_argument("bayes: evals must be >= 1 (got 0)");
    if (space_.empty()) throw std::invalid_argument("bayes: the search space has no parameters");
    if (space_.size() > detail::SobolSequence::max_dimension())
        throw std::invalid_argument("bayes: " + std::to_string(space_.size()) + " parameters, at most " +
                                    std::to_string(detail::SobolSequence::max_dimension()) + " are supported");
    initial_ = options_.initial ? options_.initial : 2 * space_.size() + 1;
    model_ = std::make_unique<Model>(space_, options_.seed);
}

BayesStrategy::~BayesStrategy() = default;

std::vector<Proposal> BayesStrategy::ask(std::size_t max_count, int deme) {
    detail::check_deme(name(), deme, num_demes());
    const std::size_t left = next_id_ < options_.evals ? options_.evals - next_id_ : 0;
    const std::size_t count = std::min(max_count, left);
    std::vector<Proposal> proposals;
    proposals.reserve(count);
    // One at a time: each proposal conditions on the ones before it, so chunking changes nothing.
    for (std::size_t i = 0; i < count; ++i) {
        Proposal p;
        p.values = propose();
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
    Observation o;
    o.id = trial.id;
    o.values = it->second;  // the point proposed, as the model encodes it
    o.loss = loss_of(trial, options_.maximize);
    o.ok = trial.ok() && std::isfinite(o.loss);
    if (!o.ok) o.loss = 0;
    pending_.erase(it);
    observations_.push_back(std::move(o));
    const double duration = trial.end_time - trial.start_time;
    if (std::isfinite(duration) && duration > 0) {
        pace_.total_seconds += duration;
        ++pace_.count;
    }
}

bool BayesStrategy::exhausted() const { return next_id_ >= options_.evals; }

std::vector<Proposal> BayesStrategy::pending() const {
    std::vector<Proposal> proposals;
    for (const auto& [id, values] : pending_) proposals.push_back(Proposal{id, 0, 0, values});
    return proposals;
}

bool BayesStrategy::unseen_remain() const {
    return !model_->encoding.all_discrete() || seen_.size() < model_->encoding.discrete_points();
}

Point BayesStrategy::propose() {
    if (next_id_ == 0) return space_.initial_point(rng_);
    const bool model_ready = observations_.size() >= 2 && std::any_of(observations_.begin(), observations_.end(),
                                                                      [](const Observation& o) { return o.ok; });
    if (next_id_ < initial_ || !model_ready) return design_point();
    return model_point();
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

// On at most `limit` results (representative_subset).
void BayesStrategy::refit(std::size_t limit) {
    const detail::Targets targets = targets_of(observations_);
    std::vector<double> inputs, y;
    for (std::size_t i : representative_subset(targets.y, limit)) {
        const std::vector<double> x = model_->input(observations_[i].values);
        inputs.insert(inputs.end(), x.begin(), x.end());
        y.push_back(targets.y[i]);
    }
    fit_.hyper =
        detail::fit_hyperparameters(model_->encoding.kinds(), inputs, y, fit_.done ? &fit_.hyper : nullptr, rng_);
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

// The size of the lean model's subset, or nothing when the full model fits the time budget.
std::optional<std::size_t> BayesStrategy::lean_model_points() const {
    if (pending_.empty() || pace_.count == 0) return std::nullopt;
    const std::size_t n = observations_.size(), p = pending_.size();
    const double mean_evaluation = pace_.total_seconds / static_cast<double>(pace_.count);
    const double budget =
        coordinator_share * mean_evaluation / static_cast<double>(p + 1) * cost_units_per_second;
    const double full_candidates = static_cast<double>(sobol_candidates + perturbation_candidates);
    if (proposal_cost(n, p, full_candidates, full_local_evaluations, false) <= budget) return std::nullopt;
    const double lean = static_cast<double>(lean_candidates + perturbation_candidates);
    std::size_t points = min_model_points;
    while (points * 2 < n && proposal_cost(points * 2, p, lean, lean_local_evaluations, true) <= budget) points *= 2;
    return std::min(points, n);
}

Point BayesStrategy::model_point() {
    const std::optional<std::size_t> lean_points = lean_model_points();
    if (refit_due()) refit(lean_points ? std::max<std::size_t>(2 * *lean_points, 64) : fit_points);
    detail::Targets targets = targets_of(observations_);

    // The full model: every result, its factor grown row by row. A lean one: a subset, factored
    // afresh for this proposal.
    std::optional<gp::GaussianProcess> lean;
    std::vector<double> model_y;
    if (lean_points) {
        lean.emplace(model_->encoding.kinds(), fit_.hyper);
        std::vector<double> inputs;
        for (std::size_t i : representative_subset(targets.y, *lean_points)) {
            const std::vector<double> x = model_->input(observations_[i].values);
            inputs.insert(inputs.end(), x.begin(), x.end());
            model_y.push_back(targets.y[i]);
        }
        lean->reset(inputs);
    } else {
        sync_model();
        model_y = targets.y;
    }

    // The kriging believer: each pending point joins the model at its own predicted value, which
    // leaves the mean unchanged and shrinks the variance there, and counts for the incumbent (else
    // a pending point predicted to improve would keep its neighbourhood attractive), so the search
    // looks elsewhere.
    gp::GaussianProcess model = lean ? std::move(*lean) : *model_->gp;
    for (const auto& [id, values] : pending_) {
        const std::vector<double> x = model_->input(values);
        model.set_targets(model_y);
        const double belief = model.predict(x).mean;
        model.add(x);
        model_y.push_back(belief);
        targets.best = std::min(targets.best, belief);
    }
    model.set_targets(model_y);

    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < observations_.size(); ++i)
        if (observations_[i].ok) order.push_back(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return targets.y[a] < targets.y[b]; });
    detail::SearchProblem problem{space_, model_->encoding, model, options_.acquisition, targets.best, {},
                                  [this](const Point& p) { return seen(p); }, unseen_remain()};
    for (std::size_t k = 0; k < order.size() && k < incumbents; ++k)
        problem.incumbents.push_back(space_.to_unit(observations_[order[k]].values));
    std::span<const std::uint64_t> words = model_->candidate_words;
    if (lean_points) {
        problem.effort = lean_effort;
        words = words.first(lean_candidates * space_.size());
    }
    return space_.from_unit(detail::maximize_acquisition(problem, words, rng_));
}

}  // namespace hpo
