// hpo::Optimizer: what every driver-API optimizer shares; it fills a RunOptions and calls hpo::run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "hpo/driver/evaluator.hpp"
#include "hpo/driver/param_values.hpp"
#include "hpo/driver/params.hpp"
#include "hpo/config/run_options.hpp"
#include "hpo/config/run_result.hpp"
#include "hpo/strategy/factory.hpp"

namespace hpo {

// The settings every strategy takes; each strategy's Options struct repeats them as plain fields
// (so that designated initializers can name them) and hands them over in this form.
struct RunSettings {
    std::uint64_t seed = 0;
    bool maximize = false;
    std::string log_fn;        // the text log, empty for none
    std::string checkpoint_fn; // the HDF5 checkpoint, empty for none
    bool resume = false;       // continue checkpoint_fn if it exists
    bool verbose = false;      // progress lines on stderr while it runs
    std::size_t parallel = 0;  // alone: concurrent evaluations, 0 = the machine's cores
};

class Optimizer {
public:
    virtual ~Optimizer() = default;

    // Runs the whole optimization: alone, or as this rank's part of an MPI job (rank 0
    // coordinates, the others evaluate); every rank returns with the same result.
    const RunResult& optimize(const Params& params);

    // After optimize(): whether some trial succeeded, and the best one. best_fom() and
    // best_params() throw std::logic_error before optimize() and std::runtime_error when no
    // trial succeeded (a broken kernel command fails every trial).
    bool has_best() const;
    double best_fom() const;
    ParamValues best_params() const;
    const Trial& best_trial() const;
    const RunResult& result() const;  // every trial, in arrival order

    const Evaluator& evaluator() const { return evaluator_; }
    // The RunOptions optimize() hands to hpo::run (finalized), e.g. to print or to log them.
    RunOptions run_options(const Params& params) const;

protected:
    // Throws std::invalid_argument (naming the option) for options the strategy rejects.
    Optimizer(Evaluator evaluator, StrategyConfig strategy, RunSettings settings);

private:
    Evaluator evaluator_;
    StrategyConfig strategy_;
    RunSettings settings_;
    SearchSpace space_;  // of the last optimize(), to print the best point
    std::optional<RunResult> result_;
};

}  // namespace hpo
