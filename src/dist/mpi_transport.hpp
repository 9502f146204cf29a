// The coordinator's side of the MPI protocol: workers are ranks 1..N-1 of a communicator.
// Internal: only src/dist/mpi_*.cpp include it.
#pragma once

#include <boost/mpi/communicator.hpp>

#include <optional>
#include <vector>

#include "doorbell.hpp"
#include "hpo/dist/transport.hpp"
#include "hpo/dist/worker_watch.hpp"
#include "mpi_channel.hpp"
#include "result_pacing.hpp"

namespace hpo::mpi {

class MpiTransport final : public Transport {
public:
    // `bell`: the workers' wake-up lines (doorbell.hpp), if the coordinator could open one.
    // `heartbeat_seconds`: how often busy workers send one (0: never). `progress`: whether workers
    // send intermediate FoMs (a pruning rule is set); without, none is ever looked for.
    MpiTransport(boost::mpi::communicator world, std::optional<DoorbellListener> bell, double heartbeat_seconds = 0,
                 bool progress = false);

    std::size_t worker_count() const override { return busy_.size(); }
    void dispatch(std::size_t worker, const WorkOrder& order) override;
    std::optional<WorkResult> wait_result(std::chrono::milliseconds max_wait) override;
    std::vector<Progress> take_progress() override;
    void prune(std::size_t worker, TrialId trial) override;
    void stop_running() override;
    // With an abandoned worker, the job cannot end by the shutdown exchange and MPI_Finalize
    // (they would wait for it): the live workers are left waiting, quietly, for the MPI_Abort that
    // ends the job once rank 0 is done (mpi_job.cpp).
    // Otherwise every worker must confirm the shutdown within answer_margin_seconds.
    void shutdown() override;
    std::vector<std::size_t> unconfirmed_shutdown() const override { return unconfirmed_; }
    std::optional<std::chrono::steady_clock::time_point> last_heard(std::size_t worker) const override;
    void abandon(std::size_t worker) override;
    bool abandoned_any() const;

private:
    static int rank_of(std::size_t worker) { return static_cast<int>(worker) + 1; }
    bool announced() const;             // a worker rang for a result not taken yet
    bool every_busy_one_rings() const;  // every worker running an evaluation has a bell line
    bool may_have_result() const;
    std::optional<WorkResult> take_result();  // one look (more if it drops a lost worker's result)
    void take_heartbeats(ResultPacing::Clock::time_point now);
    void receive_progress(int source);  // every progress message from `source` that has arrived
    void receive_one_progress(int source);
    // How long to sleep before the next look for a result.
    std::chrono::microseconds pause(ResultPacing::Clock::time_point now);
    void sleep(std::chrono::microseconds pause);

    boost::mpi::communicator world_;
    std::vector<bool> busy_;
    std::vector<bool> abandoned_;
    std::vector<std::optional<ResultPacing::Clock::time_point>> heard_;  // per worker: last heartbeat or result
    bool shut_down_ = false;
    bool progress_ = false;
    std::vector<Progress> arrived_progress_;
    std::vector<int> progress_taken_;  // per worker: progress messages taken for its running order
    // A look for progress from any worker costs what a look for a result does (20-100 us, and a
    // yield of the CPU when oversubscribed): at most one per progress_look_interval.
    ResultPacing::Clock::time_point next_progress_look_{};
    std::vector<std::size_t> unconfirmed_;
    std::optional<ResultPacing::Clock::duration> heartbeat_look_;  // none: no heartbeats to take
    ResultPacing::Clock::time_point next_heartbeat_look_{};
    ResultPacing pacing_;  // how long to sleep between looks for a result, for workers without a bell
    std::optional<DoorbellListener> bell_;
    // Per worker: rings heard and results taken. More rings than results: a result is on its way.
    std::vector<std::size_t> rings_, results_;
    Backoff in_flight_;  // looks for a result announced by a ring
};

}  // namespace hpo::mpi
