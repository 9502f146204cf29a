// Which workers serve which demes: workers grouped by node, demes on contiguous node groups.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace hpo {

struct WorkerLayout {
    std::vector<std::string> node_of_worker;          // node name per worker index
    std::vector<std::vector<int>> demes_of_worker;    // demes each worker evaluates
    bool demes_share_workers = false;                 // fewer workers than demes

    std::vector<std::size_t> workers_of_deme(int deme) const;
};

// Orders workers by node (first appearance) then index, and cuts that order into num_demes
// contiguous groups of near-equal size, so a deme lives on as few nodes as possible. With fewer
// workers than demes, worker w serves every deme d with d % workers == w.
WorkerLayout make_worker_layout(const std::vector<std::string>& node_of_worker, int num_demes);

// This process's node name: HPO_NODE_NAME, else SLURMD_NODENAME, else the host/processor name.
std::string current_node_name();

}  // namespace hpo
