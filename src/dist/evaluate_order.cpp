// One order turned into one kernel run and its result (see evaluate_order.hpp).
#include "evaluate_order.hpp"

#include <exception>

#include "hpo/exec/hostlist.hpp"

namespace hpo {

WorkResult evaluate_order(const KernelConfig& kernel, const WorkerSeat& seat, const WorkOrder& order,
                          const KernelHooks& hooks) {
    // The trial's host: where the kernel ran, as a hostlist when that is a slot of nodes.
    WorkResult result{order.trial_id, seat.worker, compress_hostlist(seat.eval_nodes), false, {}};
    const KernelInvocation invocation{order.trial_id,        order.deme,     order.generation,
                                      order.hyperparameter_args, seat.extra_env, seat.eval_nodes, order.parent,
                                      order.repeat};
    try {
        KernelRun run = run_kernel(kernel, invocation, hooks);
        result.outcome = std::move(run.outcome);
        result.stopped = run.stopped;
    } catch (const SetupError& error) {  // hpo's trouble, not the kernel's: the coordinator stops the run
        result.setup_failed = true;
        result.outcome.status = TrialStatus::failed;
        result.outcome.exit_code = -1;
        result.outcome.message = error.what();
    } catch (const std::exception& error) {
        result.outcome.status = TrialStatus::failed;
        result.outcome.exit_code = -1;
        result.outcome.message = std::string("could not start the kernel: ") + error.what();
    }
    return result;
}

}  // namespace hpo
