// A worker's one step, whatever carries its orders (threads or MPI): a WorkOrder in, the kernel
// run, a WorkResult out. Internal to src/dist/.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hpo/dist/protocol.hpp"
#include "hpo/exec/kernel.hpp"

namespace hpo {

// Where and how worker `worker` evaluates: the nodes its kernels run on (its own node, or its slot
// with a remote launcher) and the variables they get besides the usual ones (HPO_DEME_RANK...).
struct WorkerSeat {
    int worker = 0;
    std::vector<std::string> eval_nodes;
    std::map<std::string, std::string> extra_env;
};

// Runs the order's kernel to its end (or until a hook stops it) and says how it went. Never
// throws for the kernel's sake: a kernel that cannot even be started is a failed trial, unless
// hpo itself could not start it (SetupError): then the result is marked `setup_failed`.
WorkResult evaluate_order(const KernelConfig& kernel, const WorkerSeat& seat, const WorkOrder& order,
                          const KernelHooks& hooks);

}  // namespace hpo
