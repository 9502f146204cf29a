// hpo::Optimizer: the driver API's one path to a run, through RunOptions and hpo::run.
#include "hpo/driver/optimizer.hpp"

#include <stdexcept>
#include <utility>

#include "hpo/run/run.hpp"

namespace hpo {

// Checked here, where the mistake is, rather than at optimize().
Optimizer::Optimizer(Evaluator evaluator, StrategyConfig strategy, RunSettings settings)
    : evaluator_(std::move(evaluator)), strategy_(std::move(strategy)), settings_(std::move(settings)) {
    check(strategy_);
    settings_.prune.check();
    settings_.confirm.check();
}

RunOptions Optimizer::run_options(const Params& params) const {
    RunOptions options;
    options.space = params.space();
    options.strategy = strategy_;
    options.prune = settings_.prune;
    options.confirm = settings_.confirm;
    options.kernel = evaluator_.kernel();
    options.arg_style = evaluator_.arg_style();
    options.maximize = settings_.maximize;
    options.seed = settings_.seed;
    options.parallel = settings_.parallel;
    if (settings_.worker_timeout) options.worker_timeout_seconds = *settings_.worker_timeout;
    options.log_fn = settings_.log_fn;
    options.checkpoint_fn = settings_.checkpoint_fn;
    options.checkpoint_mode = settings_.resume ? CheckpointMode::resume : CheckpointMode::create;
    options.keep_existing_checkpoint = true;
    options.keep_checkpoints = settings_.keep_checkpoints;
    options.progress = settings_.verbose;
    options.quiet = !settings_.verbose;  // the driver prints what it wants itself
    return finalize(std::move(options));
}

const RunResult& Optimizer::optimize(const Params& params) {
    RunOptions options = run_options(params);
    result_.reset();
    space_ = params.space();
    result_ = run(options);
    return *result_;
}

const RunResult& Optimizer::result() const {
    if (!result_) throw std::logic_error("no result yet: call optimize() first");
    return *result_;
}

bool Optimizer::has_best() const { return result_ && result_->best; }

const Trial& Optimizer::best_trial() const {
    const RunResult& run_result = result();
    if (!run_result.best) {
        throw std::runtime_error("no trial succeeded (" + std::to_string(run_result.trials.size()) +
                                 " evaluated); see the stderr files under " + evaluator_.kernel().run_dir);
    }
    return *run_result.best;
}

double Optimizer::best_fom() const {
    const Trial& best = best_trial();
    return result_->confirmed ? result_->confirmed->mean : best.fom;
}

ParamValues Optimizer::best_params() const { return ParamValues(space_, best_trial().values, evaluator_.arg_style()); }

}  // namespace hpo
