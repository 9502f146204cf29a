// Turning a proposal and the result that came back for it into the trial record.
#include "hpo/dist/protocol.hpp"

namespace hpo {

Trial make_trial(const Proposal& proposal, const WorkResult& result) {
    Trial trial;
    trial.id = proposal.id;
    trial.deme = proposal.deme;
    trial.generation = proposal.generation;
    trial.values = proposal.values;
    trial.status = result.outcome.status;
    trial.fom = result.outcome.fom;
    trial.exit_code = result.outcome.exit_code;
    trial.signal = result.outcome.signal;
    trial.start_time = result.outcome.start_time;
    trial.end_time = result.outcome.end_time;
    trial.host = result.host;
    trial.worker = result.worker;
    trial.message = result.outcome.message;
    return trial;
}

}  // namespace hpo
