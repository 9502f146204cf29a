// What one optimization run gives back: every trial, the best, how it ended.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hpo/confirmation.hpp"
#include "hpo/trial.hpp"

namespace hpo {

// A worker the coordinator of an MPI job gave up on because it went silent (a stopped process, a
// hung node or filesystem): it got no more work, and its trial was run again by another worker.
struct LostWorker {
    std::size_t worker = 0;        // its index; under MPI, the worker on rank r is r - 1
    std::string node;              // the node it was on
    std::optional<TrialId> trial;  // the trial it was running, given to another worker (after a
                                   // stop request: left pending, for the resume)
    std::string reason;            // which limit it passed: "no heartbeat for 30 s (--worker-timeout)"
};

struct RunResult {
    std::vector<Trial> trials;   // every finished trial, in the order results arrived
    // The best ok trial, none if no trial succeeded. With confirmation (--confirm-top), once a
    // configuration was evaluated again: the original trial of the confirmed best (`confirmed`).
    std::optional<Trial> best;
    // With confirmation: the best configuration by its mean over its runs, with the spread
    // (confirmation.hpp); none when nothing was evaluated again.
    std::optional<Confirmation> confirmed;
    // Ended before the budget was spent: by SIGTERM/SIGINT/SIGUSR1/SIGHUP, by a trial hpo could
    // not start (setup_error) or because every worker was lost (lost_workers).
    bool interrupted = false;
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
    // In the order they were lost. A job with lost ranks cannot end normally (MPI_Finalize would
    // wait for them forever): rank 0 ends it with MPI_Abort once its process exits (mpi_job.hpp).
    std::vector<LostWorker> lost_workers;
};

// Sets `confirmed` from the trials (confirmed_best) and, when there is one, `best` to its original.
void confirm_best(RunResult& result, bool maximize);

}  // namespace hpo
