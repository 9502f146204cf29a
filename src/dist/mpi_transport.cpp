// Sending orders to worker ranks and collecting their results, without busy-waiting.
#include "mpi_transport.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "mpi_channel.hpp"

namespace hpo::mpi {

MpiTransport::MpiTransport(boost::mpi::communicator world)
    : world_(std::move(world)), busy_(static_cast<std::size_t>(std::max(world_.size() - 1, 0)), false),
      abandoned_(busy_.size(), false), heard_(busy_.size()), pacing_(std::max<std::size_t>(busy_.size(), 1)) {
    if (busy_.empty()) throw std::invalid_argument("an MPI run needs at least 2 ranks (1 coordinator + workers)");
}

void MpiTransport::dispatch(std::size_t worker, const WorkOrder& order) {
    if (busy_.at(worker)) throw std::logic_error("worker " + std::to_string(worker) + " is busy");
    if (abandoned_[worker]) throw std::logic_error("worker " + std::to_string(worker) + " was abandoned");
    send_quietly(world_, rank_of(worker), Tag::order, order);
    busy_[worker] = true;
    pacing_.dispatched(worker, ResultPacing::Clock::now());
}

std::optional<WorkResult> MpiTransport::wait_result(std::chrono::milliseconds max_wait) {
    using Clock = ResultPacing::Clock;
    const auto deadline = Clock::now() + max_wait;
    while (true) {
        // One look for any message: workers send results and heartbeats only. Heartbeats are taken
        // as they come, so that a look that finds no result has taken every one that arrived.
        if (auto status = world_.iprobe(boost::mpi::any_source, boost::mpi::any_tag)) {
            const auto worker = static_cast<std::size_t>(status->source() - 1);
            if (status->tag() == tag_number(Tag::heartbeat)) {
                world_.recv(status->source(), status->tag());
                if (!abandoned_.at(worker)) heard_[worker] = Clock::now();
                continue;
            }
            if (status->tag() != tag_number(Tag::result)) {
                throw std::logic_error("the coordinator got a message it cannot take from rank " +
                                       std::to_string(status->source()) + ": " + tag_name(status->tag()));
            }
            WorkResult result;
            world_.recv(status->source(), tag_number(Tag::result), result);
            if (abandoned_.at(worker)) continue;  // a lost worker woke up: its trial went elsewhere
            // The worker field is the index the coordinator knows, whatever the worker claimed.
            result.worker = status->source() - 1;
            busy_[worker] = false;
            heard_[worker] = Clock::now();
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
        if (busy_[worker] && !abandoned_[worker]) send_quietly(world_, rank_of(worker), Tag::stop);
    }
}

void MpiTransport::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    if (abandoned_any()) return;  // see the header: the job ends with MPI_Abort
    for (std::size_t worker = 0; worker < busy_.size(); ++worker) send_quietly(world_, rank_of(worker), Tag::shutdown);
}

std::optional<std::chrono::steady_clock::time_point> MpiTransport::last_heard(std::size_t worker) const {
    return heard_.at(worker);
}

void MpiTransport::abandon(std::size_t worker) {
    abandoned_.at(worker) = true;
    busy_[worker] = false;
    // Its evaluation's age must not set the pace of the looks for the others' results.
    pacing_.answered(worker, ResultPacing::Clock::now(), false);
}

bool MpiTransport::abandoned_any() const {
    return std::find(abandoned_.begin(), abandoned_.end(), true) != abandoned_.end();
}

}  // namespace hpo::mpi
