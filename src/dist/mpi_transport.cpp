// Sending orders to worker ranks and collecting their results, without busy-waiting.
#include "mpi_transport.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "mpi_channel.hpp"

namespace hpo::mpi {

MpiTransport::MpiTransport(boost::mpi::communicator world, std::optional<DoorbellListener> bell, double heartbeat_seconds,
                           bool progress)
    : world_(std::move(world)), busy_(static_cast<std::size_t>(std::max(world_.size() - 1, 0)), false),
      abandoned_(busy_.size(), false), heard_(busy_.size()), progress_(progress), progress_taken_(busy_.size(), 0), pacing_(std::max<std::size_t>(busy_.size(), 1)),
      bell_(std::move(bell)), rings_(busy_.size()), results_(busy_.size()), in_flight_(std::chrono::milliseconds(1)) {
    if (busy_.empty()) throw std::invalid_argument("an MPI run needs at least 2 ranks (1 coordinator + workers)");
    // Every half heartbeat interval (at least 100 ms): a worker is then heard from at most one
    // and a half intervals late, well within its timeout (eight intervals).
    if (heartbeat_seconds > 0) {
        heartbeat_look_ = std::max<ResultPacing::Clock::duration>(
            std::chrono::milliseconds(100),
            std::chrono::duration_cast<ResultPacing::Clock::duration>(std::chrono::duration<double>(heartbeat_seconds / 2)));
    }
}

void MpiTransport::dispatch(std::size_t worker, const WorkOrder& order) {
    if (busy_.at(worker)) throw std::logic_error("worker " + std::to_string(worker) + " is busy");
    if (abandoned_[worker]) throw std::logic_error("worker " + std::to_string(worker) + " was abandoned");
    send_quietly(world_, rank_of(worker), Tag::order, order);
    busy_[worker] = true;
    progress_taken_[worker] = 0;
    pacing_.dispatched(worker, ResultPacing::Clock::now());
}

std::optional<WorkResult> MpiTransport::wait_result(std::chrono::milliseconds max_wait) {
    using Clock = ResultPacing::Clock;
    const auto deadline = Clock::now() + max_wait;
    while (true) {
        // Whether or not results keep coming: a worker on a long trial among workers that answer
        // every few milliseconds is heard from all the same.
        take_heartbeats(Clock::now());
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
    while (true) {
        const auto status = world_.iprobe(boost::mpi::any_source, tag_number(Tag::result));
        if (!status) return std::nullopt;
        WorkResult result;
        world_.recv(status->source(), tag_number(Tag::result), result);
        const auto worker = static_cast<std::size_t>(status->source() - 1);
        ++results_.at(worker);
        if (abandoned_[worker]) continue;  // a lost worker woke up: its trial went elsewhere
        // Its trial's progress left before it (protocol.hpp): what was not taken yet is here now
        // (from one sender MPI matches in order), and goes first; counted, so never looked for.
        while (progress_taken_[worker] < result.progress_messages) receive_one_progress(status->source());
        // The worker field is the index the coordinator knows, whatever the worker claimed.
        result.worker = status->source() - 1;
        busy_[worker] = false;
        heard_[worker] = ResultPacing::Clock::now();
        pacing_.answered(worker, ResultPacing::Clock::now(), !result.stopped);
        in_flight_.reset();
        return result;
    }
}

// Heartbeats ring no bell: every wait takes them, at most every heartbeat_look_ (a look costs
// what a result's does: 20-100 us).
void MpiTransport::take_heartbeats(ResultPacing::Clock::time_point now) {
    if (!heartbeat_look_ || now < next_heartbeat_look_) return;
    next_heartbeat_look_ = now + *heartbeat_look_;
    while (const auto status = world_.iprobe(boost::mpi::any_source, tag_number(Tag::heartbeat))) {
        world_.recv(status->source(), tag_number(Tag::heartbeat));
        const auto worker = static_cast<std::size_t>(status->source() - 1);
        if (!abandoned_.at(worker)) heard_[worker] = now;
    }
}

void MpiTransport::receive_progress(int source) {
    while (const auto status = world_.iprobe(source, tag_number(Tag::progress))) receive_one_progress(status->source());
}

void MpiTransport::receive_one_progress(int source) {
    Progress progress;
    world_.recv(source, tag_number(Tag::progress), progress);
    const auto worker = static_cast<std::size_t>(source - 1);
    ++progress_taken_.at(worker);
    if (abandoned_[worker]) return;
    progress.worker = source - 1;
    heard_[worker] = ResultPacing::Clock::now();
    arrived_progress_.push_back(std::move(progress));
}

std::vector<Progress> MpiTransport::take_progress() {
    // A value waits at most this long for the look (the worker sends at most every 50 ms anyway).
    constexpr auto progress_look_interval = std::chrono::milliseconds(10);
    const auto now = ResultPacing::Clock::now();
    if (progress_ && now >= next_progress_look_) {
        next_progress_look_ = now + progress_look_interval;
        receive_progress(boost::mpi::any_source);
    }
    std::vector<Progress> taken;
    taken.swap(arrived_progress_);
    return taken;
}

void MpiTransport::prune(std::size_t worker, TrialId trial) {
    if (!busy_.at(worker) || abandoned_[worker]) return;
    send_quietly(world_, rank_of(worker), Tag::prune, trial);
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
        if (busy_[worker] && !abandoned_[worker]) send_quietly(world_, rank_of(worker), Tag::stop);
    }
}

void MpiTransport::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    if (abandoned_any()) return;  // see the header: the job ends with MPI_Abort
    for (std::size_t worker = 0; worker < busy_.size(); ++worker) send_quietly(world_, rank_of(worker), Tag::shutdown);
    // A rank stopped while idle would hang the job's end: each must say it is leaving.
    std::vector<bool> confirmed(busy_.size(), false);
    std::size_t confirmations = 0;
    const auto deadline = ResultPacing::Clock::now() + std::chrono::duration_cast<ResultPacing::Clock::duration>(
                                                           std::chrono::duration<double>(answer_margin_seconds));
    Backoff backoff;
    while (confirmations < busy_.size() && ResultPacing::Clock::now() < deadline) {
        if (const auto status = world_.iprobe(boost::mpi::any_source, tag_number(Tag::shutdown))) {
            world_.recv(status->source(), tag_number(Tag::shutdown));
            const auto worker = static_cast<std::size_t>(status->source() - 1);
            if (!confirmed.at(worker)) ++confirmations;
            confirmed[worker] = true;
            backoff.reset();
        } else {
            backoff.pause();
        }
    }
    for (std::size_t worker = 0; worker < busy_.size(); ++worker) {
        if (!confirmed[worker]) unconfirmed_.push_back(worker);
    }
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
