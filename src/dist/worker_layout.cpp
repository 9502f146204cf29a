// Grouping workers by node and mapping demes onto those groups.
#include "hpo/dist/worker_layout.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

#include "hpo/exec/job_environment.hpp"

namespace hpo {

std::vector<std::size_t> WorkerLayout::workers_of_deme(int deme) const {
    std::vector<std::size_t> workers;
    for (std::size_t w = 0; w < demes_of_worker.size(); ++w) {
        const auto& demes = demes_of_worker[w];
        if (std::find(demes.begin(), demes.end(), deme) != demes.end()) workers.push_back(w);
    }
    return workers;
}

WorkerLayout make_worker_layout(const std::vector<std::string>& node_of_worker, int num_demes) {
    if (node_of_worker.empty()) throw std::invalid_argument("a run needs at least one worker");
    if (num_demes < 1) throw std::invalid_argument("num_demes must be >= 1, got " + std::to_string(num_demes));

    WorkerLayout layout;
    layout.node_of_worker = node_of_worker;
    for (const auto& node : node_of_worker) layout.eval_nodes_of_worker.push_back({node});
    const std::size_t workers = node_of_worker.size();
    const auto demes = static_cast<std::size_t>(num_demes);
    layout.demes_of_worker.assign(workers, {});

    if (workers < demes) {
        layout.demes_share_workers = true;
        for (std::size_t d = 0; d < demes; ++d) layout.demes_of_worker[d % workers].push_back(static_cast<int>(d));
        return layout;
    }

    // Stable order by node of first appearance, so that each deme's contiguous slice of workers
    // covers as few nodes as possible.
    std::map<std::string, std::size_t> first_seen;
    for (std::size_t w = 0; w < workers; ++w) first_seen.emplace(node_of_worker[w], first_seen.size());
    std::vector<std::size_t> order(workers);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return first_seen.at(node_of_worker[a]) < first_seen.at(node_of_worker[b]);
    });

    for (std::size_t i = 0; i < workers; ++i) {
        const std::size_t deme = i * demes / workers;  // near-equal contiguous slices
        layout.demes_of_worker[order[i]].push_back(static_cast<int>(deme));
    }
    return layout;
}

WorkerLayout make_worker_layout(const std::vector<std::string>& node_of_worker, int num_demes,
                                const std::vector<std::vector<std::string>>& eval_nodes_of_worker) {
    if (eval_nodes_of_worker.size() != node_of_worker.size()) {
        throw std::invalid_argument("evaluation nodes are given for " + std::to_string(eval_nodes_of_worker.size()) +
                                    " workers, the job has " + std::to_string(node_of_worker.size()));
    }
    std::vector<std::size_t> evaluating;
    std::vector<std::string> their_nodes;
    for (std::size_t w = 0; w < node_of_worker.size(); ++w) {
        if (eval_nodes_of_worker[w].empty()) continue;
        evaluating.push_back(w);
        their_nodes.push_back(node_of_worker[w]);
    }
    if (evaluating.empty()) throw std::invalid_argument("no worker has nodes to evaluate on");

    const WorkerLayout inner = make_worker_layout(their_nodes, num_demes);
    WorkerLayout layout;
    layout.node_of_worker = node_of_worker;
    layout.eval_nodes_of_worker = eval_nodes_of_worker;
    layout.demes_of_worker.assign(node_of_worker.size(), {});
    layout.demes_share_workers = inner.demes_share_workers;
    for (std::size_t i = 0; i < evaluating.size(); ++i) layout.demes_of_worker[evaluating[i]] = inner.demes_of_worker[i];
    return layout;
}

std::string current_node_name() { return read_job_environment().node_name; }

}  // namespace hpo
