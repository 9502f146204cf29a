// What one optimization run gives back: every trial, the best, how it ended.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hpo/trial.hpp"

namespace hpo {

struct RunResult {
    std::vector<Trial> trials;   // every finished trial, in the order results arrived
    std::optional<Trial> best;   // the best ok trial, none if no trial succeeded
    bool interrupted = false;    // stopped by SIGTERM/SIGINT/SIGUSR1 before the budget was spent
    int stop_signal = 0;         // the signal that stopped it, 0 if none
    // Set when hpo stopped the run because it could not start a trial for its own reasons (its
    // run directory, processes, descriptors): the message naming the path and the error. The
    // trial stays pending (a resume runs it) and `interrupted` is set too.
    std::string setup_error;
    std::size_t workers = 0;
    std::size_t resumed_trials = 0;  // how many of `trials` came from the checkpoint
    // CPU time (user + system) of the thread that ran the coordinator's loop, from its first
    // dispatch to its last result: asking and telling the strategy, dispatching, receiving,
    // progress, the log and the checkpoint commits made while the run went on. Not the workers
    // (threads or ranks), nor the kernels, nor setup (loading a checkpoint) or the final commit.
    // What the coordinator costs per evaluation: this / (trials.size() - resumed_trials).
    double coordinator_cpu_seconds = 0;
};

}  // namespace hpo
