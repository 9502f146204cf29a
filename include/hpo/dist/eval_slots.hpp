// Evaluation slots (README: Clusters and Slurm): the nodes available to evaluations cut into groups of K, each
// group owned by one running evaluation at a time, so that no two running evaluations overlap.
#pragma once

#include <string>
#include <vector>

#include "hpo/exec/launcher.hpp"

namespace hpo {

using NodeSlot = std::vector<std::string>;

// Consecutive groups of `nodes_per_eval` nodes, in order; the last nodes % K nodes stay unused.
// Throws std::invalid_argument if there are fewer than K nodes (or K < 1).
std::vector<NodeSlot> cut_into_slots(const std::vector<std::string>& nodes, int nodes_per_eval);

// The nodes a single `hpo run` (no MPI) gives to its evaluations: the allocation's
// (SLURM_JOB_NODELIST, expanded), or outside Slurm this node alone for mpirun. Throws
// std::invalid_argument for srun outside an allocation, or a malformed SLURM_JOB_NODELIST.
std::vector<std::string> allocation_nodes(Launcher launcher);

// An MPI job with a remote launcher: the distinct nodes of all its ranks (the coordinator's node
// first, then the workers' in rank order) cut into slots; each slot goes to a worker on one of
// its nodes, or failing that to a worker whose own node's slot already has one (srun and mpirun
// reach any node of the allocation). Returns each worker's slot, empty for a worker without one:
// it evaluates nothing. A slot no worker is left for stays unused.
std::vector<NodeSlot> assign_slots(const std::string& coordinator_node, const std::vector<std::string>& node_of_worker,
                                   int nodes_per_eval);

}  // namespace hpo
