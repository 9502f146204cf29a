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
    // With an abandoned worker, the job cannot end by the shutdown exchange and MPI_Finalize
    // (they would wait for it): the live workers are left waiting, quietly, for the MPI_Abort that
    // ends the job once rank 0 is done (mpi_job.cpp).
    void shutdown() override;
    std::optional<std::chrono::steady_clock::time_point> last_heard(std::size_t worker) const override;
    void abandon(std::size_t worker) override;
    bool abandoned_any() const;

private:
    static int rank_of(std::size_t worker) { return static_cast<int>(worker) + 1; }

    boost::mpi::communicator world_;
    std::vector<bool> busy_;
    std::vector<bool> abandoned_;
    std::vector<std::optional<ResultPacing::Clock::time_point>> heard_;  // per worker: last heartbeat or result
    bool shut_down_ = false;
    ResultPacing pacing_;  // how long to sleep between looks for a result
};

}  // namespace hpo::mpi
