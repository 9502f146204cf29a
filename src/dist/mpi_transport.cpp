// Sending orders to worker ranks and collecting their results, without busy-waiting.
#include "mpi_transport.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "mpi_channel.hpp"

namespace hpo::mpi {

MpiTransport::MpiTransport(boost::mpi::communicator world)
    : world_(std::move(world)), busy_(static_cast<std::size_t>(std::max(world_.size() - 1, 0)), false),
      pacing_(std::max<std::size_t>(busy_.size(), 1)) {
    if (busy_.empty()) throw std::invalid_argument("an MPI run needs at least 2 ranks (1 coordinator + workers)");
}

void MpiTransport::dispatch(std::size_t worker, const WorkOrder& order) {
    if (busy_.at(worker)) throw std::logic_error("worker " + std::to_string(worker) + " is busy");
    send_quietly(world_, rank_of(worker), Tag::order, order);
    busy_[worker] = true;
    pacing_.dispatched(worker, ResultPacing::Clock::now());
}

std::optional<WorkResult> MpiTransport::wait_result(std::chrono::milliseconds max_wait) {
    using Clock = ResultPacing::Clock;
    const auto deadline = Clock::now() + max_wait;
    while (true) {
        if (auto status = world_.iprobe(boost::mpi::any_source, tag_number(Tag::result))) {
            WorkResult result;
            world_.recv(status->source(), tag_number(Tag::result), result);
            // The worker field is the index the coordinator knows, whatever the worker claimed.
            result.worker = status->source() - 1;
            const auto worker = static_cast<std::size_t>(result.worker);
            busy_.at(worker) = false;
            pacing_.answered(worker, Clock::now(), !result.stopped);
            return result;
        }
        const auto now = Clock::now();
        if (now >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::min<Clock::duration>(pacing_.pause(now), deadline - now));
    }
}

void MpiTransport::stop_running() {
    for (std::size_t worker = 0; worker < busy_.size(); ++worker) {
        if (busy_[worker]) send_quietly(world_, rank_of(worker), Tag::stop);
    }
}

void MpiTransport::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    for (std::size_t worker = 0; worker < busy_.size(); ++worker) send_quietly(world_, rank_of(worker), Tag::shutdown);
}

}  // namespace hpo::mpi
