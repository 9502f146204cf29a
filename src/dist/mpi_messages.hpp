// The MPI tags of the coordinator/worker protocol and serialization of the types MPI carries.
// Internal: included only by src/dist/mpi_*.cpp.
#pragma once

#include <boost/mpi.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <chrono>
#include <thread>

#include "hpo/dist/protocol.hpp"
#include "hpo/config/run_options.hpp"
#include "hpo/config/run_result.hpp"

namespace hpo::mpi {

// One tag per message kind, so that a receive can never take one kind for another.
enum Tag : int {
    tag_order = 1,     // coordinator -> worker: WorkOrder
    tag_result = 2,    // worker -> coordinator: WorkResult
    tag_stop = 3,      // coordinator -> worker: stop the running kernel (no payload)
    tag_shutdown = 4,  // coordinator -> worker: leave the worker loop (no payload)
};

constexpr int coordinator_rank = 0;

// Sleeps between polls instead of spinning: Open MPI's blocking calls busy-wait, which would
// steal the cores of the training kernels on an oversubscribed node. The sleep grows from a few
// microseconds (so a quick answer is seen quickly) to `longest`, by a quarter each time: an
// answer is then seen at most about a quarter of its latency late (doubling let a worker idle up
// to twice as long as the coordinator took to answer; at 64 workers and 0.2 s kernels that cost
// 2-3 % of the workers' time), for some twenty more wakeups per wait.
class Backoff {
public:
    explicit Backoff(std::chrono::microseconds longest = std::chrono::milliseconds(2)) : longest_(longest) {}
    void pause() {
        std::this_thread::sleep_for(current_);
        current_ = std::min(current_ + current_ / 4 + std::chrono::microseconds(1), longest_);
    }
    void reset() { current_ = std::chrono::microseconds(5); }

private:
    std::chrono::microseconds longest_;
    std::chrono::microseconds current_{5};
};

// Completes a non-blocking request without spinning.
inline void wait_quietly(boost::mpi::request& request) {
    Backoff backoff;
    while (!request.test()) backoff.pause();
}

template <class T>
void send_quietly(const boost::mpi::communicator& comm, int dest, int tag, const T& value) {
    boost::mpi::request request = comm.isend(dest, tag, value);
    wait_quietly(request);
}

inline void send_quietly(const boost::mpi::communicator& comm, int dest, int tag) {
    boost::mpi::request request = comm.isend(dest, tag);
    wait_quietly(request);
}

}  // namespace hpo::mpi

namespace boost::serialization {

template <class Archive>
void serialize(Archive& ar, hpo::KernelConfig& c, unsigned /*version*/) {
    ar& c.command& c.fom_prefix& c.timeout_seconds& c.kill_grace_seconds& c.run_dir;
    ar& c.stderr_tail_bytes& c.output_limit_bytes;
    ar& c.launcher& c.nodes_per_eval& c.launch_args;
}

template <class Archive>
void serialize(Archive& ar, hpo::Trial& t, unsigned /*version*/) {
    ar& t.id& t.deme& t.generation& t.values& t.status& t.fom& t.exit_code& t.signal;
    ar& t.start_time& t.end_time& t.host& t.worker& t.message;
}

template <class Archive>
void save(Archive& ar, const hpo::RunResult& r, unsigned /*version*/) {
    const bool has_best = r.best.has_value();
    ar& r.trials& r.interrupted& r.stop_signal& r.workers& r.resumed_trials& r.coordinator_cpu_seconds& has_best;
    if (has_best) ar&* r.best;
}

template <class Archive>
void load(Archive& ar, hpo::RunResult& r, unsigned /*version*/) {
    bool has_best = false;
    ar& r.trials& r.interrupted& r.stop_signal& r.workers& r.resumed_trials& r.coordinator_cpu_seconds& has_best;
    r.best.reset();
    if (has_best) {
        hpo::Trial best;
        ar& best;
        r.best = std::move(best);
    }
}

template <class Archive>
void serialize(Archive& ar, hpo::RunResult& r, unsigned version) {
    split_free(ar, r, version);
}

}  // namespace boost::serialization
