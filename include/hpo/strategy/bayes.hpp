// Bayesian optimization: a Gaussian process over the unit-cube encoding, asynchronous proposals.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <string_view>
#include <vector>

#include "hpo/space/search_space.hpp"
#include "hpo/strategy/bayes_options.hpp"
#include "hpo/strategy/gaussian_process.hpp"
#include "hpo/strategy/strategy.hpp"

namespace hpo {

// The default point first, then a scrambled Sobol design, then the point that maximizes the
// acquisition (log expected improvement, or the confidence bound) under a Gaussian process fitted
// to every result so far: Matérn 5/2 with a length scale per parameter, the losses power-
// transformed (a long tail of diverging runs compressed) and standardized, a noise term,
// hyperparameters of maximum likelihood (weak priors), refitted on a geometric schedule with the
// Cholesky factor grown by one row per result in between.
//
// Integers are modelled at the centre of their cell and choices by equality, so the model never
// sees a value that cannot be proposed; a point already evaluated or pending is never proposed
// again while an unseen one remains. Failed trials count as the worst loss seen (they repel the
// search without distorting the model's scale). Proposals made while others are pending condition
// on those at the model's own prediction (the kriging believer), so the proposals of one round
// differ. The proposals of one ask form a round that prepares the model once. While others run,
// a round must keep up with the workers: when the full model would take more than a quarter of
// the time in which as many results come in (from the trials' durations), the round is lean,
// conditioned on a representative subset of the results with a cheaper search (bayes.cpp). The
// proposals are a function of the seed, of the order of results, of their durations and of how
// many are asked at a time.
class BayesStrategy final : public Strategy {
public:
    BayesStrategy(SearchSpace space, BayesOptions options, SearchSettings settings = {});
    ~BayesStrategy() override;

    std::string_view name() const override { return "bayes"; }
    std::vector<Proposal> ask(std::size_t max_count, int deme = any_deme) override;
    void tell(const Trial& trial) override;
    bool exhausted() const override;
    std::size_t planned_evaluations() const override { return options_.evals; }
    // The state leaves the results told to the trial history: restore() rebuilds them from it,
    // load_state() alone restores only a state saved before any result (or a version 1 state,
    // which holds its results).
    std::string save_state() const override;
    void load_state(std::string_view state) override;
    void restore(std::string_view state, std::span<const Trial> history) override;
    std::vector<Proposal> pending() const override;

    const BayesOptions& options() const { return options_; }
    std::size_t initial_design() const { return initial_; }  // options.initial, 0 resolved

private:
    struct Observation {
        TrialId id = 0;
        Point values;
        bool ok = false;  // has a loss to model: an ok trial's, or a pruned trial's last value's
        double loss = 0;  // meaningful when ok
    };
    // The model's hyperparameters and the number of results its factor was first built from
    // (the later ones are appended row by row): what a restart needs to rebuild it bit for bit.
    struct Fit {
        bool done = false;
        std::size_t base = 0;
        gp::Hyperparameters hyper;
    };
    struct Model;  // derived from the above on demand: the encoding, the factored GP
    // How long evaluations take: what a proposal may cost while others wait (bayes.cpp).
    struct Pace {
        double total_seconds = 0;
        std::size_t count = 0;
    };

    struct Round;  // the proposals of one ask that come from the model (bayes.cpp)

    // What the model keeps of a told trial proposed at `values`: tell() and restore() alike.
    Observation observation_of(const Trial& trial, Point values) const;
    // Identifies the results a saved state was built from (bayes_state.cpp).
    static std::uint64_t results_hash(const std::vector<Observation>& observations);

    bool model_ready() const;
    Point design_point();
    Round start_round(std::size_t size);
    Point round_point(Round& round);
    void believe(Round& round, const Point& values);
    bool refit_due() const;
    void refit(const std::vector<double>& targets, std::size_t limit, bool quick);
    struct LeanRound {
        std::size_t model_points;  // the results the model conditions on
        std::size_t search;        // the acquisition search's effort (bayes.cpp)
    };
    std::optional<LeanRound> lean_round(std::size_t round_size) const;
    void sync_model();
    void forget_model();  // after a refit or a load: rebuilt on the next proposal
    bool seen(const Point& values) const { return seen_.count(values) != 0; }
    bool unseen_remain() const;

    SearchSpace space_;
    BayesOptions options_;
    SearchSettings settings_;
    std::size_t initial_ = 0;
    std::mt19937_64 rng_;
    TrialId next_id_ = 0;
    std::uint64_t design_index_ = 0;  // the next Sobol point of the design
    std::vector<Observation> observations_;  // in the order told
    std::map<TrialId, Point> pending_;
    Fit fit_;
    Pace pace_;
    std::set<Point> seen_;  // every point proposed, pending or told
    std::unique_ptr<Model> model_;
};

}  // namespace hpo
