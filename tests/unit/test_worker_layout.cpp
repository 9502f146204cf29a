// Workers grouped by node, demes on contiguous node groups, sharing when workers are scarce.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>

#include "hpo/dist/worker_layout.hpp"

using hpo::make_worker_layout;

TEST_CASE("one deme takes every worker") {
    const auto layout = make_worker_layout({"a", "a", "b"}, 1);
    REQUIRE(layout.demes_of_worker.size() == 3);
    for (const auto& demes : layout.demes_of_worker) CHECK(demes == std::vector<int>{0});
    CHECK_FALSE(layout.demes_share_workers);
    CHECK(layout.workers_of_deme(0) == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("demes follow node boundaries even when ranks interleave nodes") {
    // Ranks placed round-robin across two nodes: a deme must still live on one node.
    const auto layout = make_worker_layout({"n1", "n2", "n1", "n2"}, 2);
    for (int deme = 0; deme < 2; ++deme) {
        std::set<std::string> nodes;
        for (auto w : layout.workers_of_deme(deme)) nodes.insert(layout.node_of_worker[w]);
        CHECK(nodes.size() == 1);
        CHECK(layout.workers_of_deme(deme).size() == 2);
    }
    CHECK(layout.workers_of_deme(0) != layout.workers_of_deme(1));
}

TEST_CASE("uneven split keeps every deme served and sizes within one") {
    const auto layout = make_worker_layout({"a", "a", "a", "b", "b"}, 3);
    std::size_t smallest = 99, largest = 0;
    for (int deme = 0; deme < 3; ++deme) {
        const auto workers = layout.workers_of_deme(deme);
        smallest = std::min(smallest, workers.size());
        largest = std::max(largest, workers.size());
    }
    CHECK(smallest >= 1);
    CHECK(largest - smallest <= 1);
    for (const auto& demes : layout.demes_of_worker) CHECK(demes.size() == 1);
}

TEST_CASE("fewer workers than demes: demes share workers round-robin") {
    const auto layout = make_worker_layout({"a", "b"}, 5);
    CHECK(layout.demes_share_workers);
    CHECK(layout.demes_of_worker[0] == std::vector<int>{0, 2, 4});
    CHECK(layout.demes_of_worker[1] == std::vector<int>{1, 3});
}

TEST_CASE("bad layouts are rejected") {
    CHECK_THROWS_AS(make_worker_layout({}, 1), std::invalid_argument);
    CHECK_THROWS_AS(make_worker_layout({"a"}, 0), std::invalid_argument);
}

TEST_CASE("HPO_NODE_NAME overrides the node name") {
    setenv("HPO_NODE_NAME", "fake-node-7", 1);
    CHECK(hpo::current_node_name() == "fake-node-7");
    unsetenv("HPO_NODE_NAME");
    setenv("SLURMD_NODENAME", "n3", 1);
    CHECK(hpo::current_node_name() == "n3");
    unsetenv("SLURMD_NODENAME");
    CHECK_FALSE(hpo::current_node_name().empty());
}
