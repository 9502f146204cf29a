// hpo::genetic::Optimizer: the island-model genetic search of the seed's driver.
#pragma once

#include "hpo/driver/optimizer.hpp"
#include "hpo/strategy/genetic.hpp"

namespace hpo::genetic {

// hpo::genetic::Optimizer optimizer(evaluator, {.generations = 20, .pop_size = 10,
//                                               .num_demes = 4, .log_fn = "genetic.log"});
struct Options {
    int generations = GeneticOptions{}.generations;
    int pop_size = GeneticOptions{}.pop_size;
    int num_demes = GeneticOptions{}.num_demes;
    double mutation_rate = GeneticOptions{}.mutation_rate;
    double crossover_rate = GeneticOptions{}.crossover_rate;
    int migration_interval = GeneticOptions{}.migration_interval;
    int elites = GeneticOptions{}.elites;
    GeneticMode mode = GeneticOptions{}.mode;
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

}  // namespace hpo::genetic
