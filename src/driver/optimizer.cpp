// hpo::Optimizer: the driver API's one path to a run, through RunOptions and hpo::run.
#include "hpo/driver/optimizer.hpp"

#include <stdexcept>
#include <utility>

#include "hpo/run/run.hpp"

namespace hpo {

namespace {

// Strategies validate their options in their constructors, which need a space; a one-parameter
// stand-in lets a bad option fail at the optimizer's construction, where the mistake is.
void validate(const StrategyConfig& strategy, const RunSettings& settings) {
    StrategyConfig config = strategy;
    config.genetic.seed = config.random.seed = config.grid.seed = settings.seed;
    config.genetic.maximize = settings.maximize;
    SearchSpace space;
    space.add(Parameter::float_range("--x", 0.0, 1.0));
    (void)make_strategy(config, space);
}

}  // namespace

Optimizer::Optimizer(Evaluator evaluator, StrategyConfig strategy, RunSettings settings)
    : evaluator_(std::move(evaluator)), strategy_(std::move(strategy)), settings_(std::move(settings)) {
    validate(strategy_, settings_);
}

RunOptions Optimizer::run_options(const Params& params) const {
    RunOptions options;
    options.space = params.space();
    options.strategy = strategy_;
    options.kernel = evaluator_.kernel();
    options.arg_style = evaluator_.arg_style();
    options.maximize = settings_.maximize;
    options.seed = settings_.seed;
    options.parallel = settings_.parallel;
    options.log_file = settings_.log_fn;
    options.checkpoint = settings_.checkpoint_fn;
    options.checkpoint_mode = settings_.resume ? CheckpointMode::resume : CheckpointMode::create;
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

double Optimizer::best_fom() const { return best_trial().fom; }

ParamValues Optimizer::best_params() const { return ParamValues(space_, best_trial().values, evaluator_.arg_style()); }

}  // namespace hpo
