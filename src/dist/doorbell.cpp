// The coordinator's doorbell (see doorbell.hpp): TCP over POSIX sockets, every call non-blocking.
#include "doorbell.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

namespace hpo::mpi {

namespace {

using Clock = std::chrono::steady_clock;

std::string host_name() {
    char name[256] = {};
    gethostname(name, sizeof name - 1);
    return name;
}

bool is_loopback(const std::string& address) { return address.rfind("127.", 0) == 0; }

std::vector<std::string> node_addresses() {
    std::vector<std::string> outside, loopback;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return {"127.0.0.1"};
    for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
        if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET || !(entry->ifa_flags & IFF_UP)) continue;
        char text[INET_ADDRSTRLEN] = {};
        const auto* address = reinterpret_cast<const sockaddr_in*>(entry->ifa_addr);
        if (inet_ntop(AF_INET, &address->sin_addr, text, sizeof text) == nullptr) continue;
        (is_loopback(text) ? loopback : outside).emplace_back(text);
    }
    freeifaddrs(list);
    outside.insert(outside.end(), loopback.begin(), loopback.end());
    return outside;
}

int milliseconds_until(Clock::time_point deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::max<long long>(left, 0));
}

// A connected, non-blocking socket to `address`:`port`, or an invalid one after `patience`.
UniqueFd connect_to(const std::string& address, int port, std::chrono::milliseconds patience) {
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port = htons(static_cast<std::uint16_t>(port));
    if (inet_pton(AF_INET, address.c_str(), &peer.sin_addr) != 1) return {};
    UniqueFd line(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!line) return {};
    if (::connect(line.get(), reinterpret_cast<const sockaddr*>(&peer), sizeof peer) != 0) {
        if (errno != EINPROGRESS) return {};
        pollfd waiting{line.get(), POLLOUT, 0};
        if (poll(&waiting, 1, static_cast<int>(patience.count())) != 1) return {};
        int error = 0;
        socklen_t size = sizeof error;
        if (getsockopt(line.get(), SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) return {};
    }
    const int on = 1;  // a ring is one byte: send it now, not with the next one
    setsockopt(line.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return line;
}

}  // namespace

std::string DoorbellAddress::text() const {
    std::ostringstream out;
    out << host << ' ' << port;
    for (const auto& address : addresses) out << ' ' << address;
    return out.str();
}

std::optional<DoorbellAddress> DoorbellAddress::parse(const std::string& text) {
    std::istringstream in(text);
    DoorbellAddress address;
    if (!(in >> address.host >> address.port) || address.port <= 0 || address.port > 65535) return std::nullopt;
    for (std::string word; in >> word;) address.addresses.push_back(word);
    if (address.addresses.empty()) return std::nullopt;
    return address;
}

std::optional<DoorbellListener> DoorbellListener::open(std::string& why) {
    DoorbellListener bell;
    bell.listener_.reset(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    socklen_t size = sizeof any;
    if (!bell.listener_ || bind(bell.listener_.get(), reinterpret_cast<const sockaddr*>(&any), sizeof any) != 0 ||
        listen(bell.listener_.get(), SOMAXCONN) != 0 ||
        getsockname(bell.listener_.get(), reinterpret_cast<sockaddr*>(&any), &size) != 0) {
        why = std::strerror(errno);
        return std::nullopt;
    }
    bell.address_ = {host_name(), node_addresses(), ntohs(any.sin_port)};
    return bell;
}

void DoorbellListener::accept_workers(std::size_t workers, std::chrono::milliseconds patience) {
    lines_.resize(workers);
    std::size_t identified = 0;
    std::vector<UniqueFd> unnamed;  // accepted, not yet said who they are
    const auto deadline = Clock::now() + patience;
    while (identified < workers && Clock::now() < deadline && listener_) {
        std::vector<pollfd> watched{{listener_.get(), POLLIN, 0}};
        for (const auto& line : unnamed) watched.push_back({line.get(), POLLIN, 0});
        if (poll(watched.data(), watched.size(), milliseconds_until(deadline)) <= 0) continue;
        if (watched[0].revents & POLLIN) {
            while (true) {
                UniqueFd line(accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
                if (!line) break;  // none left (or no descriptors left: those workers get looks)
                unnamed.push_back(std::move(line));
            }
        }
        for (std::size_t i = 1; i < watched.size(); ++i) {
            if (watched[i].revents == 0) continue;
            UniqueFd& line = unnamed[i - 1];
            std::uint32_t number = 0;
            const ssize_t got = recv(line.get(), &number, sizeof number, 0);
            const std::size_t worker = ntohl(number);
            if (got == static_cast<ssize_t>(sizeof number) && worker < workers && !lines_[worker]) {
                lines_[worker] = std::move(line);
                ++identified;
            } else if (got != -1 || errno != EAGAIN) {
                line.reset();  // a stranger, a duplicate or a broken line
            }
        }
        std::erase_if(unnamed, [](const UniqueFd& line) { return !line; });
    }
    listener_.reset();  // latecomers are refused: their workers are served by looks
    epoll_.reset(epoll_create1(EPOLL_CLOEXEC));
    for (std::size_t worker = 0; worker < lines_.size() && epoll_; ++worker) {
        if (!lines_[worker]) continue;
        epoll_event interest{};
        interest.events = EPOLLIN;
        interest.data.u64 = worker;
        if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, lines_[worker].get(), &interest) == 0) {
            ++lines_open_;
        } else {
            lines_[worker].reset();
        }
    }
    if (!epoll_) {  // no way to wait on them: everyone is served by looks
        lines_.clear();
        lines_.resize(workers);
    }
}

std::vector<DoorbellListener::Rings> DoorbellListener::wait(std::chrono::microseconds timeout) {
    std::vector<Rings> rang;
    if (!lines_open_) {  // nobody can ring: the caller still wants its pause
        std::this_thread::sleep_for(timeout);
        return rang;
    }
    std::vector<epoll_event> ready(std::min<std::size_t>(lines_.size(), 256));
    int count = -1;
    if (!no_epoll_pwait2_) {
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
        const timespec span{static_cast<time_t>(seconds.count()),
                            static_cast<long>(std::chrono::nanoseconds(timeout - seconds).count())};
        count = epoll_pwait2(epoll_.get(), ready.data(), static_cast<int>(ready.size()), &span, nullptr);
        no_epoll_pwait2_ = count < 0 && errno == ENOSYS;  // Linux before 5.11
    }
    if (no_epoll_pwait2_) {
        const auto milliseconds = std::chrono::ceil<std::chrono::milliseconds>(timeout).count();
        count = epoll_wait(epoll_.get(), ready.data(), static_cast<int>(ready.size()),
                           static_cast<int>(std::min<long long>(milliseconds, INT_MAX)));
    }
    for (int i = 0; i < count; ++i) {
        const auto worker = static_cast<std::size_t>(ready[static_cast<std::size_t>(i)].data.u64);
        char rings[256];
        const ssize_t got = recv(lines_[worker].get(), rings, sizeof rings, 0);
        if (got > 0) {
            rang.push_back({worker, static_cast<std::size_t>(got)});
        } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
            lines_[worker].reset();  // its rank is gone (closing it leaves the epoll set too)
            --lines_open_;
            rang.push_back({worker, 0});
        }
    }
    return rang;
}

DoorbellRinger DoorbellRinger::connect(const DoorbellAddress& address, std::size_t worker,
                                       std::chrono::milliseconds patience) {
    DoorbellRinger ringer;
    const std::string this_host = host_name();
    for (const auto& candidate : address.addresses) {
        // Another node's loopback is not the coordinator's.
        if (is_loopback(candidate) && this_host != address.host) continue;
        UniqueFd line = connect_to(candidate, address.port, patience);
        if (!line) continue;
        const std::uint32_t number = htonl(static_cast<std::uint32_t>(worker));
        if (send(line.get(), &number, sizeof number, MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof number)) continue;
        ringer.line_ = std::move(line);
        break;
    }
    return ringer;
}

void DoorbellRinger::ring() {
    if (!line_) return;
    const char ring = '!';
    if (send(line_.get(), &ring, 1, MSG_NOSIGNAL) < 0 && errno != EAGAIN && errno != EINTR) line_.reset();
}

}  // namespace hpo::mpi
