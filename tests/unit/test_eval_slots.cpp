// Evaluation slots: cutting nodes into groups of K, handing them to MPI workers, the layout and
// the coordinator leaving slot-less workers alone.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>

#include "hpo/dist/coordinator.hpp"
#include "hpo/dist/eval_slots.hpp"
#include "hpo/dist/worker_layout.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/strategy/factory.hpp"

using namespace hpo;
using Slots = std::vector<NodeSlot>;

TEST_CASE("nodes are cut into consecutive slots of K, the remainder unused") {
    CHECK(cut_into_slots({"n1", "n2", "n3", "n4"}, 2) == Slots{{"n1", "n2"}, {"n3", "n4"}});
    CHECK(cut_into_slots({"n1", "n2", "n3", "n4", "n5"}, 2) == Slots{{"n1", "n2"}, {"n3", "n4"}});
    CHECK(cut_into_slots({"n1", "n2", "n3"}, 1) == Slots{{"n1"}, {"n2"}, {"n3"}});
    CHECK_THROWS_WITH(cut_into_slots({"n1", "n2"}, 3), Catch::Contains("--nodes-per-eval 3") && Catch::Contains("n[1-2]"));
    CHECK_THROWS_AS(cut_into_slots({"n1"}, 0), std::invalid_argument);
}

TEST_CASE("the allocation's nodes come from SLURM_JOB_NODELIST") {
    ::setenv("SLURM_JOB_NODELIST", "n[1-3],x7", 1);
    CHECK(allocation_nodes(Launcher::srun) == std::vector<std::string>{"n1", "n2", "n3", "x7"});
    ::setenv("SLURM_JOB_NODELIST", "n[1-", 1);
    CHECK_THROWS_WITH(allocation_nodes(Launcher::srun), Catch::Contains("SLURM_JOB_NODELIST"));
    ::unsetenv("SLURM_JOB_NODELIST");
    CHECK_THROWS_WITH(allocation_nodes(Launcher::srun), Catch::Contains("allocation"));
    CHECK(allocation_nodes(Launcher::mpirun) == std::vector<std::string>{current_node_name()});
}

TEST_CASE("MPI: one rank per node, the coordinator's node is in a slot too") {
    // Ranks 0..3 on n1..n4: workers are ranks 1..3 (on n2, n3, n4).
    const Slots slots = assign_slots("n1", {"n2", "n3", "n4"}, 2);
    CHECK(slots == Slots{{"n1", "n2"}, {"n3", "n4"}, {}});
}

TEST_CASE("MPI: the first worker on a slot's nodes gets it, the others none") {
    // Two ranks per node: rank 0 and worker 0 on n1, workers 1-2 on n2, 3-4 on n3, 5-6 on n4.
    const Slots slots = assign_slots("n1", {"n1", "n2", "n2", "n3", "n3", "n4", "n4"}, 2);
    CHECK(slots == Slots{{"n1", "n2"}, {}, {}, {"n3", "n4"}, {}, {}, {}});
    const Slots singles = assign_slots("n1", {"n1", "n2", "n2", "n3", "n3", "n4", "n4"}, 1);
    CHECK(singles == Slots{{"n1"}, {"n2"}, {}, {"n3"}, {}, {"n4"}, {}});
}

TEST_CASE("MPI: a slot without a worker of its own takes a spare worker, or stays unused") {
    // The coordinator alone on n9, both workers on n1: n1's slot goes to worker 0, n9's to the
    // spare worker 1 (its launcher reaches n9 from n1).
    CHECK(assign_slots("n9", {"n1", "n1"}, 1) == Slots{{"n1"}, {"n9"}});
    CHECK(assign_slots("n9", {"n1"}, 1) == Slots{{"n1"}});
    CHECK_THROWS_AS(assign_slots("n1", {"n2"}, 3), std::invalid_argument);
}

TEST_CASE("the layout gives demes only to workers with evaluation nodes") {
    const Slots eval = {{"n1", "n2"}, {}, {}, {"n3", "n4"}, {}};
    const WorkerLayout layout = make_worker_layout({"n1", "n2", "n2", "n3", "n4"}, 2, eval);
    CHECK(layout.eval_nodes_of_worker == eval);
    CHECK(layout.demes_of_worker == std::vector<std::vector<int>>{{0}, {}, {}, {1}, {}});
    CHECK_FALSE(layout.demes_share_workers);
    const WorkerLayout shared = make_worker_layout({"n1", "n2", "n3"}, 3, {{"n1"}, {}, {"n3"}});
    CHECK(shared.demes_share_workers);
    CHECK(shared.demes_of_worker == std::vector<std::vector<int>>{{0, 2}, {}, {1}});
    CHECK_THROWS_WITH(make_worker_layout({"n1"}, 1, {{}}), Catch::Contains("no worker"));
    CHECK(make_worker_layout({"a", "b"}, 1).eval_nodes_of_worker == Slots{{"a"}, {"b"}});
}

namespace {

// Answers every order at once with FoM 1, recording which workers were sent orders.
class RecordingTransport final : public Transport {
public:
    explicit RecordingTransport(std::size_t workers) : workers_(workers) {}
    std::size_t worker_count() const override { return workers_; }
    void dispatch(std::size_t worker, const WorkOrder& order) override {
        used.insert(worker);
        WorkResult result{order.trial_id, static_cast<int>(worker), "h", false, {}};
        result.outcome.fom = 1;
        results_.push_back(result);
    }
    std::optional<WorkResult> wait_result(std::chrono::milliseconds) override {
        if (results_.empty()) return std::nullopt;
        WorkResult result = results_.front();
        results_.erase(results_.begin());
        return result;
    }
    void stop_running() override {}
    void shutdown() override {}
    std::set<std::size_t> used;

private:
    std::size_t workers_;
    std::vector<WorkResult> results_;
};

}  // namespace

TEST_CASE("the coordinator never dispatches to a worker without a slot") {
    const SearchSpace space = parse_search_space({"--x [0,1]"});
    for (const StrategyConfig& config :
         {StrategyConfig{RandomOptions{.evals = 12}}, StrategyConfig{GeneticOptions{.generations = 2, .pop_size = 4, .num_demes = 2}}}) {
        auto strategy = make_strategy(config, space);
        const int demes = num_demes(config);
        RecordingTransport transport(5);
        const WorkerLayout layout =
            make_worker_layout({"n1", "n2", "n2", "n3", "n4"}, demes, {{"n1", "n2"}, {}, {}, {"n3", "n4"}, {}});
        Coordinator coordinator(*strategy, space, transport, layout, {});
        const RunResult result = coordinator.run();
        CHECK(result.trials.size() >= 12u);
        CHECK(transport.used == std::set<std::size_t>{0, 3});
    }
    RecordingTransport transport(1);
    auto strategy = make_strategy(RandomOptions{}, space);
    WorkerLayout nobody = make_worker_layout({"n1"}, 1);
    nobody.demes_of_worker = {{}};
    CHECK_THROWS_WITH(Coordinator(*strategy, space, transport, nobody, {}), Catch::Contains("no worker can evaluate"));
}
