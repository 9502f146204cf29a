// The messages between the coordinator and its workers, whatever carries them (MPI or threads).
#pragma once

#include <string>
#include <vector>

#include "hpo/exec/kernel.hpp"
#include "hpo/trial.hpp"

namespace hpo {

// Coordinator -> worker: evaluate this trial.
struct WorkOrder {
    TrialId trial_id = 0;
    int deme = 0;
    int generation = 0;
    std::vector<std::string> hyperparameter_args;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& trial_id& deme& generation& hyperparameter_args;
    }
};

// Worker -> coordinator: how it went.
struct WorkResult {
    TrialId trial_id = 0;
    int worker = 0;        // the worker's index (MPI rank in an MPI job)
    std::string host;
    bool stopped = false;  // cancelled by a stop: not a result, the trial must be run again
    KernelOutcome outcome;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& trial_id& worker& host& stopped;
        ar& outcome.status& outcome.fom& outcome.exit_code& outcome.signal;
        ar& outcome.start_time& outcome.end_time& outcome.message;
    }
};

// The trial a proposal became once its result arrived.
Trial make_trial(const Proposal& proposal, const WorkResult& result);

}  // namespace hpo
