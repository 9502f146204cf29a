// hpo::bayes::Optimizer: Bayesian optimization with a Gaussian process, the default point first.
#pragma once

#include "hpo/driver/optimizer.hpp"
#include "hpo/strategy/bayes.hpp"

namespace hpo::bayes {

// hpo::bayes::Optimizer optimizer(evaluator, {.evals = 60, .acquisition = hpo::Acquisition::ei});
struct Options {
    std::size_t evals = BayesOptions{}.evals;
    std::size_t initial = BayesOptions{}.initial;  // the initial design; 0: 2 * parameters + 1
    Acquisition acquisition = BayesOptions{}.acquisition;
    std::uint64_t seed = 0;
    bool maximize = false;
    std::string log_fn{};  // the text log (the seed's log_fn), empty for none
    std::string checkpoint_fn{};  // the HDF5 checkpoint, empty for none
    bool resume = false;          // continue checkpoint_fn if it exists (else an existing file is an error)
    bool verbose = false;
    std::size_t parallel = 0;
};

class Optimizer final : public ::hpo::Optimizer {
public:
    explicit Optimizer(Evaluator evaluator, Options options = {});
    const Options& options() const { return options_; }

private:
    Options options_;
};

}  // namespace hpo::bayes
