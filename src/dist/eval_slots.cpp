// Cutting nodes into evaluation slots and handing them to workers (see eval_slots.hpp).
#include "hpo/dist/eval_slots.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "hpo/exec/hostlist.hpp"
#include "hpo/exec/job_environment.hpp"

namespace hpo {

std::vector<NodeSlot> cut_into_slots(const std::vector<std::string>& nodes, int nodes_per_eval) {
    if (nodes_per_eval < 1) {
        throw std::invalid_argument("--nodes-per-eval must be at least 1, got " + std::to_string(nodes_per_eval));
    }
    const auto k = static_cast<std::size_t>(nodes_per_eval);
    if (nodes.size() < k) {
        throw std::invalid_argument("--nodes-per-eval " + std::to_string(k) + " needs at least that many nodes, the " +
                                    "run has " + std::to_string(nodes.size()) + " (" + compress_hostlist(nodes) + ")");
    }
    std::vector<NodeSlot> slots;
    for (std::size_t first = 0; first + k <= nodes.size(); first += k) {
        slots.emplace_back(nodes.begin() + static_cast<std::ptrdiff_t>(first),
                           nodes.begin() + static_cast<std::ptrdiff_t>(first + k));
    }
    return slots;
}

std::vector<std::string> allocation_nodes(Launcher launcher) {
    const JobEnvironment env = read_job_environment();
    if (!env.slurm_job_nodelist.empty()) {
        try {
            return expand_hostlist(env.slurm_job_nodelist);
        } catch (const HostlistError& error) {
            throw std::invalid_argument(std::string("SLURM_JOB_NODELIST: ") + error.what());
        }
    }
    if (launcher == Launcher::srun) {
        throw std::invalid_argument(
            "the srun launcher needs a Slurm allocation (SLURM_JOB_NODELIST is not set): run hpo in an sbatch "
            "script or salloc, or let `hpo submit` do it");
    }
    return {env.node_name};
}

std::vector<NodeSlot> assign_slots(const std::string& coordinator_node, const std::vector<std::string>& node_of_worker,
                                   int nodes_per_eval) {
    std::vector<std::string> nodes{coordinator_node};
    for (const auto& node : node_of_worker) {
        if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) nodes.push_back(node);
    }
    const std::vector<NodeSlot> slots = cut_into_slots(nodes, nodes_per_eval);

    std::map<std::string, std::size_t> slot_of_node;
    for (std::size_t s = 0; s < slots.size(); ++s) {
        for (const auto& node : slots[s]) slot_of_node[node] = s;
    }
    std::vector<NodeSlot> assigned(node_of_worker.size());
    std::vector<bool> slot_taken(slots.size(), false);
    // First each slot to the first worker on one of its nodes: its launcher runs nearby.
    for (std::size_t w = 0; w < node_of_worker.size(); ++w) {
        const auto it = slot_of_node.find(node_of_worker[w]);
        if (it == slot_of_node.end() || slot_taken[it->second]) continue;
        slot_taken[it->second] = true;
        assigned[w] = slots[it->second];
    }
    // Then the slots with no worker of their own to the workers still free, in rank order.
    std::size_t w = 0;
    for (std::size_t s = 0; s < slots.size(); ++s) {
        if (slot_taken[s]) continue;
        while (w < node_of_worker.size() && !assigned[w].empty()) ++w;
        if (w == node_of_worker.size()) break;
        // A free worker sits on a node whose slot is taken (or on no slot's node).
        assigned[w] = slots[s];
        slot_taken[s] = true;
    }
    return assigned;
}

}  // namespace hpo
