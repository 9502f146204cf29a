// The pruning options in the checkpoint's configuration: every option of PruneOptions' table
// survives it, counts as part of the run, and a checkpoint from before pruning reads as none.
#include <catch2/catch.hpp>

#include <string>

#include "hpo/config/run_options.hpp"
#include "hpo/prune/prune_options.hpp"
#include "hpo/store/checkpoint.hpp"
#include "hpo/store/checkpoint_writer.hpp"
#include "test_checkpoint_support.hpp"

using checkpoint_test::sample_options;
using checkpoint_test::TempDir;

namespace {

hpo::RunOptions base_options() {
    hpo::RunOptions o = sample_options();
    o.checkpoint_mode = hpo::CheckpointMode::create;
    return o;
}

// Each option of the table changed alone to another valid value (asha for the rule; every number
// +1 over a valid base, so that the checks still pass), with the rule set so that it is used.
template <class F>
void for_each_changed_prune_option(F&& f) {
    const hpo::PruneOptions base{.prune = hpo::PruneRule::median, .max_steps = 27};
    for (const auto& field : hpo::PruneOptions::table()) {
        hpo::PruneOptions changed = base;
        if (field.type == hpo::OptionType::word) {
            field.set(changed, std::string("asha"));
        } else {
            REQUIRE(field.type == hpo::OptionType::integer);
            field.set(changed, std::get<int>(field.get(base)) + 1);
        }
        CHECK_NOTHROW(changed.check());
        CHECK_FALSE(changed == base);
        f(base, changed, "--" + std::string(field.flag));
    }
}

}  // namespace

TEST_CASE("every pruning option survives the checkpoint", "[options][checkpoint][prune]") {
    TempDir dir;
    int n = 0;
    for_each_changed_prune_option([&](const hpo::PruneOptions&, const hpo::PruneOptions& prune, const std::string& what) {
        INFO(what);
        hpo::RunOptions written = base_options();
        written.prune = prune;
        const auto path = dir / ("run" + std::to_string(n++) + ".h5");
        hpo::CheckpointWriter::create(path, written).close();
        const hpo::RunOptions read = hpo::load_checkpoint(path).options;
        CHECK(read.prune == prune);
        CHECK(hpo::same_stored_config(read, written));
    });
    CHECK(n == static_cast<int>(hpo::PruneOptions::table().size()));
}

TEST_CASE("a changed pruning option is another run", "[options][prune]") {
    for_each_changed_prune_option([&](const hpo::PruneOptions& base, const hpo::PruneOptions& prune,
                                      const std::string& what) {
        INFO(what);
        hpo::RunOptions a = base_options(), b = base_options();
        a.prune = base;
        b.prune = prune;
        CHECK_FALSE(hpo::same_stored_config(a, b));
    });
}

TEST_CASE("a checkpoint written before pruning reads as prune none", "[options][checkpoint][prune]") {
    const std::string fixtures = HPO_TEST_FIXTURE_DIR;
    for (const char* name : {"/format1-genetic-before-option-tables.h5", "/format1-bayes-before-option-tables.h5"}) {
        INFO(name);
        CHECK(hpo::load_checkpoint(fixtures + name).options.prune == hpo::PruneOptions{});
    }
}
