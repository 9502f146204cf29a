// Which workers serve which demes: workers grouped by node, demes on contiguous node groups.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace hpo {

struct WorkerLayout {
    std::vector<std::string> node_of_worker;          // node name per worker index
    std::vector<std::vector<int>> demes_of_worker;    // demes each worker evaluates
    bool demes_share_workers = false;                 // fewer evaluating workers than demes
    // The nodes each worker's evaluations run on: its own node with the local launcher, its slot
    // with srun/mpirun (eval_slots.hpp). Empty for a worker that evaluates nothing: it has no
    // demes, and the coordinator never dispatches to it.
    std::vector<std::vector<std::string>> eval_nodes_of_worker;

    std::vector<std::size_t> workers_of_deme(int deme) const;
};

// Orders workers by node (first appearance) then index, and cuts that order into num_demes
// contiguous groups of near-equal size, so a deme lives on as few nodes as possible. With fewer
// workers than demes, worker w serves every deme d with d % workers == w.
// Every worker evaluates on its own node.
WorkerLayout make_worker_layout(const std::vector<std::string>& node_of_worker, int num_demes);

// The same over the workers that have evaluation nodes; the others get no demes. Throws
// std::invalid_argument if no worker has any.
WorkerLayout make_worker_layout(const std::vector<std::string>& node_of_worker, int num_demes,
                                const std::vector<std::vector<std::string>>& eval_nodes_of_worker);

// This process's node name: HPO_NODE_NAME, else SLURMD_NODENAME, else the host name
// (read_job_environment in hpo/exec/job_environment.hpp).
std::string current_node_name();

}  // namespace hpo
