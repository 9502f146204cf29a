// The coordinator's doorbell: real TCP sockets on this host, workers ringing, lines breaking.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "../../src/dist/doorbell.hpp"

using hpo::mpi::DoorbellAddress;
using hpo::mpi::DoorbellListener;
using hpo::mpi::DoorbellRinger;
using namespace std::chrono_literals;

namespace {

DoorbellListener open_listener() {
    std::string why;
    std::optional<DoorbellListener> bell = DoorbellListener::open(why);
    INFO("why: " << why);
    REQUIRE(bell.has_value());
    return std::move(*bell);
}

// Rings heard for `worker` in one wait, -1 if it was not among them.
long rings_of(const std::vector<DoorbellListener::Rings>& rang, std::size_t worker) {
    for (const auto& rings : rang) {
        if (rings.worker == worker) return static_cast<long>(rings.count);
    }
    return -1;
}

// Waits (a few times, the rings are in flight) until `worker` rang; returns the rings heard.
long wait_for(DoorbellListener& bell, std::size_t worker) {
    long heard = 0;
    for (int tries = 0; tries < 50; ++tries) {
        const long now = rings_of(bell.wait(100ms), worker);
        if (now == 0) return 0;  // the line broke
        if (now > 0) heard += now;
        if (heard > 0) return heard;
    }
    return -1;
}

}  // namespace

TEST_CASE("the bell's address travels as one line of text") {
    const DoorbellAddress address{"node-7", {"10.1.2.3", "127.0.0.1"}, 40123};
    const auto back = DoorbellAddress::parse(address.text());
    REQUIRE(back.has_value());
    CHECK(back->host == "node-7");
    CHECK(back->port == 40123);
    CHECK(back->addresses == address.addresses);
    CHECK_FALSE(DoorbellAddress::parse("").has_value());  // the coordinator has no bell
    CHECK_FALSE(DoorbellAddress::parse("node-7 40123").has_value());
    CHECK_FALSE(DoorbellAddress::parse("node-7 0 127.0.0.1").has_value());
    CHECK_FALSE(DoorbellAddress::parse("node-7 port 127.0.0.1").has_value());
}

TEST_CASE("workers ring the coordinator's bell; each ring counts one result") {
    DoorbellListener bell = open_listener();
    CHECK(bell.address().port > 0);
    REQUIRE_FALSE(bell.address().addresses.empty());
    DoorbellRinger first = DoorbellRinger::connect(bell.address(), 0, 1000ms);
    DoorbellRinger second = DoorbellRinger::connect(bell.address(), 1, 1000ms);
    REQUIRE(first.connected());
    REQUIRE(second.connected());
    bell.accept_workers(2, 5000ms);
    CHECK(bell.connected(0));
    CHECK(bell.connected(1));
    CHECK_FALSE(bell.connected(2));

    CHECK(bell.wait(1ms).empty());  // nobody rang
    second.ring();
    CHECK(wait_for(bell, 1) == 1);
    first.ring();
    first.ring();
    long heard = wait_for(bell, 0);
    if (heard == 1) heard += wait_for(bell, 0);  // the two rings may arrive apart
    CHECK(heard == 2);
    CHECK(bell.wait(1ms).empty());
}

TEST_CASE("a worker whose rank dies breaks its line and is reported once") {
    DoorbellListener bell = open_listener();
    auto ringer = std::make_optional(DoorbellRinger::connect(bell.address(), 0, 1000ms));
    REQUIRE(ringer->connected());
    bell.accept_workers(1, 5000ms);
    REQUIRE(bell.connected(0));
    ringer.reset();  // closes the socket, as the death of its process does
    CHECK(wait_for(bell, 0) == 0);
    CHECK_FALSE(bell.connected(0));
    CHECK(bell.wait(1ms).empty());
}

TEST_CASE("strangers, duplicates and latecomers get no line; their workers are served by looks") {
    DoorbellListener bell = open_listener();
    DoorbellRinger real = DoorbellRinger::connect(bell.address(), 1, 1000ms);
    DoorbellRinger twin = DoorbellRinger::connect(bell.address(), 1, 1000ms);   // claims worker 1 again
    DoorbellRinger beyond = DoorbellRinger::connect(bell.address(), 9, 1000ms);  // no such worker
    REQUIRE(real.connected());
    bell.accept_workers(3, 300ms);  // worker 0 and 2 never call: the coordinator stops waiting
    CHECK_FALSE(bell.connected(0));
    CHECK(bell.connected(1));
    CHECK_FALSE(bell.connected(2));
    DoorbellRinger late = DoorbellRinger::connect(bell.address(), 0, 300ms);
    CHECK_FALSE(late.connected());  // the listener is closed
    late.ring();  // does nothing, harmlessly
    twin.ring();
    beyond.ring();
    real.ring();
    CHECK(wait_for(bell, 1) == 1);
}

TEST_CASE("a bell that cannot be reached leaves a ringer that does nothing") {
    // A port that was free a moment ago and is closed now.
    const int probe = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof any;
    REQUIRE(bind(probe, reinterpret_cast<const sockaddr*>(&any), sizeof any) == 0);
    REQUIRE(getsockname(probe, reinterpret_cast<sockaddr*>(&any), &size) == 0);
    close(probe);
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    const DoorbellAddress closed{host, {"127.0.0.1"}, ntohs(any.sin_port)};
    DoorbellRinger ringer = DoorbellRinger::connect(closed, 0, 300ms);
    CHECK_FALSE(ringer.connected());
    ringer.ring();
    // Another node's loopback is never tried: it would be that node's own.
    const DoorbellAddress elsewhere{"some-other-node", {"127.0.0.1"}, 1};
    CHECK_FALSE(DoorbellRinger::connect(elsewhere, 0, 300ms).connected());
}
