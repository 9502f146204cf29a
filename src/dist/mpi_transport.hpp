// The coordinator's side of the MPI protocol: workers are ranks 1..N-1 of a communicator.
// Internal: only src/dist/mpi_*.cpp include it.
#pragma once

#include <boost/mpi/communicator.hpp>

#include <vector>

#include "hpo/dist/transport.hpp"
#include "mpi_channel.hpp"
#include "result_pacing.hpp"

namespace hpo::mpi {

class MpiTransport final : public Transport {
public:
    explicit MpiTransport(boost::mpi::communicator world);

    std::size_t worker_count() const override { return busy_.size(); }
    void dispatch(std::size_t worker, const WorkOrder& order) override;
    std::optional<WorkResult> wait_result(std::chrono::milliseconds max_wait) override;
    void stop_running() override;
    void shutdown() override;

private:
    static int rank_of(std::size_t worker) { return static_cast<int>(worker) + 1; }

    boost::mpi::communicator world_;
    std::vector<bool> busy_;
    bool shut_down_ = false;
    ResultPacing pacing_;  // how long to sleep between looks for a result
};

}  // namespace hpo::mpi
