// The coordinator's side of the MPI protocol: workers are ranks 1..N-1 of a communicator.
// Internal: only src/dist/mpi_*.cpp include it.
#pragma once

#include <boost/mpi/communicator.hpp>

#include <optional>
#include <vector>

#include "doorbell.hpp"
#include "hpo/dist/transport.hpp"
#include "mpi_channel.hpp"
#include "result_pacing.hpp"

namespace hpo::mpi {

class MpiTransport final : public Transport {
public:
    // `bell`: the workers' wake-up lines (doorbell.hpp), if the coordinator could open one.
    MpiTransport(boost::mpi::communicator world, std::optional<DoorbellListener> bell);

    std::size_t worker_count() const override { return busy_.size(); }
    void dispatch(std::size_t worker, const WorkOrder& order) override;
    std::optional<WorkResult> wait_result(std::chrono::milliseconds max_wait) override;
    void stop_running() override;
    void shutdown() override;

private:
    static int rank_of(std::size_t worker) { return static_cast<int>(worker) + 1; }
    bool announced() const;             // a worker rang for a result not taken yet
    bool every_busy_one_rings() const;  // every worker running an evaluation has a bell line
    bool may_have_result() const;
    std::optional<WorkResult> take_result();  // one look
    // How long to sleep before the next look for a result.
    std::chrono::microseconds pause(ResultPacing::Clock::time_point now);
    void sleep(std::chrono::microseconds pause);

    boost::mpi::communicator world_;
    std::vector<bool> busy_;
    bool shut_down_ = false;
    ResultPacing pacing_;  // how long to sleep between looks for a result, for workers without a bell
    std::optional<DoorbellListener> bell_;
    // Per worker: rings heard and results taken. More rings than results: a result is on its way.
    std::vector<std::size_t> rings_, results_;
    Backoff in_flight_;  // looks for a result announced by a ring
};

}  // namespace hpo::mpi
