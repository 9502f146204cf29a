// Sending orders to worker ranks and collecting their results, without busy-waiting.
#include "mpi_transport.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "mpi_channel.hpp"

namespace hpo::mpi {

MpiTransport::MpiTransport(boost::mpi::communicator world, std::optional<DoorbellListener> bell)
    : world_(std::move(world)), busy_(static_cast<std::size_t>(std::max(world_.size() - 1, 0)), false),
      pacing_(std::max<std::size_t>(busy_.size(), 1)), bell_(std::move(bell)), rings_(busy_.size()),
      results_(busy_.size()), in_flight_(std::chrono::milliseconds(1)) {
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
        // A look costs 20-100 us (Open MPI polls every channel and yields when oversubscribed):
        // none while every result would announce itself and none has.
        if (may_have_result()) {
            if (auto result = take_result()) return result;
        }
        const auto now = Clock::now();
        if (now >= deadline) return std::nullopt;
        sleep(std::min(pause(now), std::chrono::ceil<std::chrono::microseconds>(deadline - now)));
    }
}

std::optional<WorkResult> MpiTransport::take_result() {
    const auto status = world_.iprobe(boost::mpi::any_source, tag_number(Tag::result));
    if (!status) return std::nullopt;
    WorkResult result;
    world_.recv(status->source(), tag_number(Tag::result), result);
    // The worker field is the index the coordinator knows, whatever the worker claimed.
    result.worker = status->source() - 1;
    const auto worker = static_cast<std::size_t>(result.worker);
    busy_.at(worker) = false;
    ++results_[worker];
    pacing_.answered(worker, ResultPacing::Clock::now(), !result.stopped);
    in_flight_.reset();
    return result;
}

bool MpiTransport::announced() const {
    for (std::size_t worker = 0; worker < busy_.size(); ++worker) {
        if (rings_[worker] > results_[worker]) return true;
    }
    return false;
}

bool MpiTransport::every_busy_one_rings() const {
    if (!bell_) return false;
    for (std::size_t worker = 0; worker < busy_.size(); ++worker) {
        if (busy_[worker] && !bell_->connected(worker)) return false;
    }
    return true;
}

bool MpiTransport::may_have_result() const { return announced() || !every_busy_one_rings(); }

std::chrono::microseconds MpiTransport::pause(ResultPacing::Clock::time_point now) {
    if (announced()) return in_flight_.next();  // on its way
    // Every result will ring: sleep until one does (or the caller's deadline).
    if (every_busy_one_rings()) return std::chrono::hours(1);
    return pacing_.pause(now);
}

void MpiTransport::sleep(std::chrono::microseconds pause) {
    if (!bell_) {
        std::this_thread::sleep_for(pause);
        return;
    }
    for (const auto& rang : bell_->wait(pause)) rings_[rang.worker] += rang.count;
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
