// The driver API's optimizers: hpo::genetic::Optimizer, hpo::random::Optimizer, ... are each a
// StrategyOptimizer of their strategy's options; what they share is hpo::Optimizer, which fills a
// RunOptions and calls hpo::run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "hpo/config/run_options.hpp"
#include "hpo/config/run_result.hpp"
#include "hpo/driver/evaluator.hpp"
#include "hpo/driver/param_values.hpp"
#include "hpo/driver/params.hpp"
#include "hpo/strategy/strategy_config.hpp"

namespace hpo {

// The settings of a run that are not the strategy's own, given once for every optimizer:
//   hpo::genetic::Optimizer optimizer(evaluator, {.generations = 20}, {.log_fn = "genetic.log"});
// (designated initializers in this order: seed, maximize, log_fn, checkpoint_fn, resume, verbose,
// parallel, worker_timeout, prune, keep_checkpoints, confirm).
struct RunSettings {
    std::uint64_t seed = 0;
    bool maximize = false;
    std::string log_fn{};                  // the text log (the seed's log_fn), empty for none
    std::string checkpoint_fn = "hpo.h5";  // the HDF5 checkpoint, empty for none
    // Continue checkpoint_fn if it holds this run (a finished run returns its result at once; a
    // larger budget extends it). A file that holds another run, or any file when resume is false,
    // is kept under a new name (hpo.1.h5) and a new run starts: a driver run twice in one folder
    // neither fails nor loses the first run's results.
    bool resume = true;
    bool verbose = false;                  // progress lines on stderr while it runs
    std::size_t parallel = 0;              // alone: concurrent evaluations, 0 = the machine's cores
    // Under MPI: a worker rank not heard from for this many seconds while it runs a trial is lost
    // and the trial runs elsewhere (the CLI's --worker-timeout); unset: its default; 0: no heartbeats.
    std::optional<double> worker_timeout{};
    // Stopping hopeless trials early (the CLI's --prune, --max-steps...), with every strategy:
    //   {.prune = {.prune = hpo::PruneRule::asha, .max_steps = 27}}
    PruneOptions prune{};
    // The trials' checkpoint directories (the Evaluator's checkpoint_root): `live` removes, as the
    // run goes, those no future trial can start from; `all` keeps every one (the CLI's
    // --keep-checkpoints).
    KeepCheckpoints keep_checkpoints = KeepCheckpoints::live;
    // Evaluating the K best configurations R more times and choosing the best by its mean (the
    // CLI's --confirm-top, --confirm-repeats; docs/confirm.md): {.confirm = {.confirm_top = 3}}
    ConfirmOptions confirm{};
};

class Optimizer {
public:
    virtual ~Optimizer() = default;

    // Runs the whole optimization: alone, or as this rank's part of an MPI job (rank 0
    // coordinates, the others evaluate); every rank returns with the same result.
    const RunResult& optimize(const Params& params);

    // After optimize(): whether some trial succeeded, and the best one. best_fom() and
    // best_params() throw std::logic_error before optimize() and std::runtime_error when no
    // trial succeeded (a broken kernel command fails every trial). With confirmation, once a
    // configuration was evaluated again, the best is the confirmed one (confirmed(): its mean,
    // spread and runs), best_trial() its original trial and best_fom() its mean.
    bool has_best() const;
    double best_fom() const;
    ParamValues best_params() const;
    const Trial& best_trial() const;
    const RunResult& result() const;  // every trial, in arrival order
    const std::optional<Confirmation>& confirmed() const { return result().confirmed; }

    const Evaluator& evaluator() const { return evaluator_; }
    const RunSettings& settings() const { return settings_; }
    // The RunOptions optimize() hands to hpo::run (finalized), e.g. to print or to log them.
    RunOptions run_options(const Params& params) const;

protected:
    // Throws std::invalid_argument (naming the option) for options the strategy, or the pruning
    // rule (settings.prune), rejects.
    Optimizer(Evaluator evaluator, StrategyConfig strategy, RunSettings settings);

private:
    Evaluator evaluator_;
    StrategyConfig strategy_;
    RunSettings settings_;
    SearchSpace space_;  // of the last optimize(), to print the best point
    std::optional<RunResult> result_;
};

// hpo::genetic::Optimizer optimizer(evaluator, {.generations = 20, .pop_size = 10, .num_demes = 4},
//                                   {.log_fn = "genetic.log"});
// The aliases are declared beside each strategy's options (hpo/strategy/*_options.hpp).
template <class StrategyOptions>
class StrategyOptimizer final : public Optimizer {
public:
    explicit StrategyOptimizer(Evaluator evaluator, StrategyOptions options = {}, RunSettings settings = {})
        : Optimizer(std::move(evaluator), options, std::move(settings)), options_(options) {}
    const StrategyOptions& options() const { return options_; }

private:
    StrategyOptions options_;
};

}  // namespace hpo
