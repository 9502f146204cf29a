// Slurm hostlist expansion and compression, and that the two are inverse.
#include <catch2/catch.hpp>

#include "hpo/exec/hostlist.hpp"

using hpo::compress_hostlist;
using hpo::expand_hostlist;
using Hosts = std::vector<std::string>;

TEST_CASE("hostlists expand as Slurm writes them") {
    CHECK(expand_hostlist("n1") == Hosts{"n1"});
    CHECK(expand_hostlist("n[1-4,7]") == Hosts{"n1", "n2", "n3", "n4", "n7"});
    CHECK(expand_hostlist("n[01-03]") == Hosts{"n01", "n02", "n03"});
    CHECK(expand_hostlist("n[08-10]") == Hosts{"n08", "n09", "n10"});
    CHECK(expand_hostlist("n[8-10]") == Hosts{"n8", "n9", "n10"});
    CHECK(expand_hostlist("a[1-2],b[3],login") == Hosts{"a1", "a2", "b3", "login"});
    CHECK(expand_hostlist("n1,n3, n2") == Hosts{"n1", "n3", "n2"});
    CHECK(expand_hostlist("rack[1-2]-n[1-2]") == Hosts{"rack1-n1", "rack1-n2", "rack2-n1", "rack2-n2"});
    CHECK(expand_hostlist("nid[001234-001235]") == Hosts{"nid001234", "nid001235"});
    CHECK(expand_hostlist("").empty());
}

TEST_CASE("malformed hostlists are refused, naming the list") {
    for (const char* bad : {"n[1-", "n1]", "n[3-1]", "n[a-b]", "n[1,,2]", "n1,,n2", "n[[1]]", "n[]", "n[1-1000000000]", "n1,"}) {
        INFO(bad);
        CHECK_THROWS_AS(expand_hostlist(bad), hpo::HostlistError);
        CHECK_THROWS_WITH(expand_hostlist(bad), Catch::Contains(bad));
    }
}

TEST_CASE("hostlists compress in order, keeping padding") {
    CHECK(compress_hostlist({}) == "");
    CHECK(compress_hostlist({"n1"}) == "n1");
    CHECK(compress_hostlist({"n1", "n2"}) == "n[1-2]");
    CHECK(compress_hostlist({"n1", "n2", "n3", "n4", "n7"}) == "n[1-4,7]");
    CHECK(compress_hostlist({"n01", "n02", "n03"}) == "n[01-03]");
    CHECK(compress_hostlist({"n08", "n09", "n10"}) == "n[08-10]");
    CHECK(compress_hostlist({"n9", "n10"}) == "n[9-10]");
    CHECK(compress_hostlist({"n9", "n010"}) == "n[9,010]");
    CHECK(compress_hostlist({"n3", "n4", "n1", "n2"}) == "n[3-4,1-2]");
    CHECK(compress_hostlist({"a1", "a2", "b1", "login"}) == "a[1-2],b1,login");
    CHECK(compress_hostlist({"vm"}) == "vm");
}

TEST_CASE("compressing then expanding gives the hosts back") {
    const std::vector<Hosts> cases = {
        {"n1", "n2", "n4"}, {"n01", "n02", "n010"}, {"x", "y1", "y2", "y2"}, {"n2", "n1"}, {"gpu-1", "gpu-2", "cpu-3"}};
    for (const auto& hosts : cases) {
        INFO(compress_hostlist(hosts));
        CHECK(expand_hostlist(compress_hostlist(hosts)) == hosts);
    }
}
