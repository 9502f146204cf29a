// How the protocol's messages (hpo/dist/protocol.hpp) travel over Boost.MPI without busy-waiting.
// Internal: included only by src/dist/mpi_*.cpp, the only files that see Boost.MPI.
#pragma once

#include <boost/mpi.hpp>

#include <chrono>
#include <thread>

#include "hpo/dist/protocol.hpp"

namespace hpo::mpi {

// Sleeps between polls instead of spinning: Open MPI's blocking calls busy-wait, which would
// steal the cores of the training kernels on an oversubscribed node. Used by a worker waiting for
// its next order and for a send to complete; the coordinator waits for results at the pace of
// the evaluations instead (result_pacing.hpp). The sleep grows from a few microseconds (so a
// quick answer is seen quickly) to `longest`, by a quarter each time: an answer is then seen at
// most about a quarter of its latency late (doubling let a worker idle up to twice as long as
// the coordinator took to answer; at 64 workers and 0.2 s kernels that cost 2-3 % of the
// workers' time), for some twenty more wakeups per wait.
class Backoff {
public:
    explicit Backoff(std::chrono::microseconds longest = std::chrono::milliseconds(2)) : longest_(longest) {}
    void pause() { std::this_thread::sleep_for(next()); }
    // The pause to make now; the next one is longer.
    std::chrono::microseconds next() {
        const auto now = current_;
        current_ = std::min(current_ + current_ / 4 + std::chrono::microseconds(1), longest_);
        return now;
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
void send_quietly(const boost::mpi::communicator& comm, int dest, Tag tag, const T& value) {
    boost::mpi::request request = comm.isend(dest, tag_number(tag), value);
    wait_quietly(request);
}

inline void send_quietly(const boost::mpi::communicator& comm, int dest, Tag tag) {
    boost::mpi::request request = comm.isend(dest, tag_number(tag));
    wait_quietly(request);
}

}  // namespace hpo::mpi
