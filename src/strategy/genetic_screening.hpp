// Children screened by a model of the results (internal to src/strategy; evidence in
// bench/README.md, issue 16). Several children are bred, and the one proposed is the one a
// Gaussian process of the results ranks best by a lower confidence bound on its rank (the bound,
// not the mean, so that the screen still favours unexplored ground over the known best's
// neighbourhood). Steady-state: with many trials in flight a deme breeds from results that are many
// trials old, and its children are draws from one distribution that the results in flight have not
// yet moved; the screen, of the run's latest results, steers each one, and counts the trials in
// flight as if their results were in at what the model believes of them (the kriging believer: the
// model's mean is unchanged, its uncertainty shrinks near them), so that the children in flight
// spread out instead of crowding the same spot. A steady-state deme also gives the screen its
// search distribution (set_metric): the model can then see the results in the distribution's own
// coordinates, where a narrow valley the deme has found is as wide as it is long, and the screen
// keeps whichever of the two models ranks the results better when each is left out of its own
// model, the better half's order weighing as much as the whole's (bench/README.md rows V and W).
// Generational: each deme's screen holds its own finished generations, so two children bred for a
// slot become the likelier one (a deme's children never depend on when the other demes finish).
// The model is a function of the told results alone: a resume rebuilds it from the trial history
// (GeneticStrategy::restore), nothing of it is in the state.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "bayes_search.hpp"
#include "hpo/space/search_space.hpp"
#include "hpo/strategy/gaussian_process.hpp"
#include "hpo/trial.hpp"

namespace hpo::detail {

class ChildScreen {
public:
    // Children bred for each one proposed: steady-state, whose children lag the results, needs a
    // wide choice, the wider the more trials are in flight (twice as many, from 8 to 32);
    // generational, whose children follow their parents' generation, two (more made the search
    // greedy: Levy and the polynomial fit stalled, bench/README.md rows T and U).
    static std::size_t steady_state_candidates(std::size_t in_flight);
    static constexpr std::size_t generational_candidates = 2;
    // The model's window: the latest results (a bound on its cost: O(window^3) per new result or
    // new metric, twice with a metric: two models and their leave-one-out ranks).
    static constexpr std::size_t window = 128;

    // `space` must outlive the screen (the strategy's own).
    ChildScreen(const SearchSpace& space, bool maximize);

    // A told result (a failed trial or one stopped early ranks last).
    void add(const Trial& trial);
    // A result by its values and loss (+inf: failed or stopped early, ranks last).
    void add(const Point& values, double loss);
    std::size_t size() const { return losses_.size(); }

    // The index of the candidate to propose: the lowest bound on its rank among the results in
    // the window, with the points of the trials in flight believed (see the top). The bound is
    // 1 standard deviation below the mean with up to 4 in flight, 2 / sqrt(in flight) with more,
    // at least 0.5: the believer already spreads the children. 0 while there are fewer than 3
    // results (nothing to learn from yet).
    std::size_t choose(std::span<const Point> candidates, std::span<const Point> in_flight = {}) const;

    // The deme's search distribution: the Cholesky factor (d x d, row-major, lower) of its step
    // covariance in unit widths (detail::step_factor); empty: none, the results in unit widths only.
    void set_metric(std::vector<double> factor);

private:
    std::vector<double> unit(const Point& values) const;  // unit widths (a choice: its option index)
    // A point as the chosen model sees it: unit widths, or in the metric's coordinates.
    std::vector<double> encode(const Point& values) const;
    std::vector<double> in_metric(std::span<const double> unit) const;
    std::vector<double> encode(std::span<const Point> points) const;  // row after row
    // The model's variances at `queries` were `in_flight` observed too (any targets: a variance
    // does not depend on them).
    std::vector<double> believed_variances(const std::vector<double>& queries, std::span<const Point> in_flight) const;
    const gp::GaussianProcess& model() const;

    BayesEncoding encoding_;  // a point as the GP sees it, as bayes's model does
    bool maximize_ = false;
    std::deque<std::vector<double>> inputs_;  // the window in unit widths, oldest first
    std::deque<double> losses_;
    std::vector<double> metric_;
    // Built on the first choose() after a result or a new metric: several asks in a row share it.
    mutable std::optional<gp::GaussianProcess> model_;
    mutable bool model_in_metric_ = false;
};

}  // namespace hpo::detail
