// The seed's HPO driver in C++ (README: C++ driver API): a genetic search over the example sin kernel.
//
//   build/bin/genetic_driver                          # alone, one evaluation per core
//   mpirun -n 5 build/bin/genetic_driver              # rank 0 coordinates, 4 ranks evaluate
//   build/bin/genetic_driver "python3 ./my_train.py"  # another kernel with the same flags
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "hpo/hpo.hpp"

#ifndef HPO_EXAMPLES_DIR
#define HPO_EXAMPLES_DIR "examples"
#endif

int main(int argc, char** argv) {
    // Each evaluation runs in its own trial directory, so the script is named by absolute path.
    const std::string command = argc > 1 ? argv[1] : "python3 '" HPO_EXAMPLES_DIR "/sin_kernel.py'";
    try {
        hpo::Evaluator evaluator(command, {.timeout = 60});
        hpo::Params params({{"--lr", 0.05, hpo::log_range(1e-3, 1.0)},
                            {"--momentum", 0.5, hpo::range(0.0, 0.95)},
                            {"--hidden", 4, hpo::range(1, 12)},
                            {"--activation", "tanh", hpo::choice({"tanh", "relu", "sigmoid"})},
                            {"--init-scale", 1.0, hpo::range(0.1, 3.0)}});
        // The strategy's own options, then the run's (seed, log, checkpoint: hpo.h5 by default).
        hpo::genetic::Optimizer optimizer(evaluator, {.generations = 6, .pop_size = 8, .num_demes = 2},
                                          {.seed = 2019, .log_fn = "genetic.log"});
        optimizer.optimize(params);

        // Every rank of an MPI job returns with the same result; one of them reports it.
        if (hpo::is_coordinator()) {
            std::cout << "best FoM: " << optimizer.best_fom() << '\n'
                      << "best parameters: " << optimizer.best_params() << '\n'
                      << "best hidden units: " << optimizer.best_params()["--hidden"] << '\n';
        }
    } catch (const std::exception& error) {
        std::cerr << "genetic_driver: " << error.what() << '\n';
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
