// A wake-up line from each worker rank to the coordinator, beside MPI. Internal to src/dist/.
//
// MPI cannot wake a sleeping process when a message arrives (Open MPI's blocking calls spin and
// would steal the kernels' cores), so without help the coordinator must look for results
// again and again (result_pacing.hpp). With a doorbell it sleeps in poll(2) instead: a worker
// that sends a result also writes one byte on its TCP connection to the coordinator, whose poll
// returns at once; the coordinator then takes the result from MPI. The bell carries no data: a
// lost or late ring only delays a result until the next look, and a worker without a working
// line (a firewall, a closed port, too many files open on the coordinator's node) is served by
// paced looks as before. Free of MPI: the addresses travel over MPI in mpi_job.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "../exec/unique_fd.hpp"  // the owned descriptor of the exec module, shared

namespace hpo::mpi {

using exec_detail::UniqueFd;

// Where workers find the coordinator's bell: its host's name and IPv4 addresses and a port, as
// one line of text ("host port addr addr ..."); empty when the coordinator has no bell.
struct DoorbellAddress {
    std::string host;
    std::vector<std::string> addresses;  // the node's IPv4 addresses, loopback last
    int port = 0;

    std::string text() const;
    static std::optional<DoorbellAddress> parse(const std::string& text);
};

// The coordinator's end: one listening socket, then one connection per worker that called.
class DoorbellListener {
public:
    // A listener on every interface and a free port; nullopt (with `why`) if none can be opened.
    static std::optional<DoorbellListener> open(std::string& why);

    DoorbellAddress address() const { return address_; }

    // Accepts workers' connections until `workers` have said who they are or `patience` ran out.
    // Workers that did not make it are served by paced looks.
    void accept_workers(std::size_t workers, std::chrono::milliseconds patience);
    bool connected(std::size_t worker) const { return worker < lines_.size() && lines_[worker].valid(); }

    struct Rings {
        std::size_t worker;
        std::size_t count;  // one per result sent; 0: the line broke (its rank died), gone from now on
    };
    // Sleeps until some worker rings or `timeout` passes (sleeps the whole `timeout` when no worker
    // has a line); returns who rang, how many times.
    std::vector<Rings> wait(std::chrono::microseconds timeout);

private:
    UniqueFd listener_;
    DoorbellAddress address_;
    std::vector<UniqueFd> lines_;  // per worker, once it said who it is
    UniqueFd epoll_;               // waits on every line at once, whatever their number
    std::size_t lines_open_ = 0;
    bool no_epoll_pwait2_ = false;  // Linux before 5.11: millisecond timeouts
};

// A worker's end: rings the coordinator's bell after sending it a result.
class DoorbellRinger {
public:
    DoorbellRinger() = default;  // no line: ring() does nothing
    // Tries the coordinator's addresses in turn (loopback only on the coordinator's host), each
    // for at most `patience`; without a connection, the ringer does nothing.
    static DoorbellRinger connect(const DoorbellAddress& address, std::size_t worker, std::chrono::milliseconds patience);

    bool connected() const { return line_.valid(); }
    void ring();  // never blocks: a full socket buffer means the bell is ringing already

private:
    UniqueFd line_;
};

}  // namespace hpo::mpi
