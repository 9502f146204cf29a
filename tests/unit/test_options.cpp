// The option tables: every strategy option reads back from its text, survives the checkpoint, and
// counts in the comparison that decides whether a resume rewrites the stored configuration.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "hpo/config/option_table.hpp"
#include "hpo/config/run_options.hpp"
#include "hpo/store/checkpoint.hpp"
#include "hpo/store/checkpoint_writer.hpp"
#include "hpo/strategy/factory.hpp"
#include "test_checkpoint_support.hpp"

using checkpoint_test::sample_options;
using checkpoint_test::TempDir;

namespace {

using hpo::OptionType;
using hpo::OptionValue;
using hpo::StrategyConfig;

// A valid value other than the default for each word option; a new enum option must be added
// here (the test below fails until it is).
const std::map<std::string, std::string> other_word = {{"mode", "steady-state"}, {"acquisition", "ucb"}};

// Another valid value of the same type, chosen so that the strategy's checks still pass.
template <class Field, class Options>
OptionValue other_value(const Field& field, const Options& defaults) {
    const OptionValue value = field.get(defaults);
    switch (field.type) {
    case OptionType::flag: return !std::get<bool>(value);
    case OptionType::integer: {
        const int i = std::get<int>(value);
        return i == 0 ? 2 : i + 1;  // genetic --pop-size: 0 (from the budget) -> 2, more than one elite
    }
    case OptionType::count: {
        const std::size_t n = std::get<std::size_t>(value);
        return n == 0 ? std::size_t{2} : n + 1;  // genetic --evals: 0 (not given) -> 2, more than one elite
    }
    case OptionType::real: {
        const double d = std::get<double>(value);
        return d == 0 ? 0.5 : d / 2;
    }
    case OptionType::word: {
        const auto found = other_word.find(std::string(field.flag));
        if (found == other_word.end()) FAIL("no other value known for the word option --" << field.flag);
        return found->second;
    }
    }
    return value;
}

// Calls f(config, description) once per strategy option, with that option alone changed.
void for_each_changed_option(const std::function<void(const StrategyConfig&, const std::string&)>& f) {
    hpo::for_each_strategy([&](const auto& defaults) {
        for (const auto& field : defaults.table()) {
            auto options = defaults;
            field.set(options, other_value(field, defaults));
            f(options, std::string(defaults.strategy_name) + " --" + std::string(field.flag));
        }
    });
}

hpo::RunOptions base_options() {
    hpo::RunOptions o = sample_options();
    o.checkpoint_mode = hpo::CheckpointMode::create;
    return o;
}

}  // namespace

TEST_CASE("every strategy option reads back from the text it is shown as", "[options]") {
    hpo::for_each_strategy([&](const auto& defaults) {
        std::set<std::string_view> flags, keywords;
        for (const auto& field : defaults.table()) {
            INFO(defaults.strategy_name << " --" << field.flag);
            CHECK(flags.insert(field.flag).second);  // no option twice in one table
            CHECK(keywords.insert(field.keyword).second);
            CHECK_FALSE(field.help.empty());
            auto options = defaults;
            const OptionValue changed = other_value(field, defaults);
            field.set_text(options, hpo::option_text(changed));
            CHECK(field.get(options) == changed);
            CHECK_FALSE(options == defaults);
            CHECK_NOTHROW(options.check());
        }
    });
}

TEST_CASE("option values: shortest text, and clear refusals", "[options]") {
    CHECK(hpo::option_text(0.05) == "0.05");
    CHECK(hpo::option_text(120.0) == "120");
    CHECK(hpo::option_text(std::size_t{7}) == "7");
    CHECK(hpo::option_text(true) == "true");
    CHECK(std::get<int>(hpo::parse_option_value(OptionType::integer, "-3")) == -3);
    CHECK(std::get<double>(hpo::parse_option_value(OptionType::real, "1e-3")) == 1e-3);
    CHECK_FALSE(std::get<bool>(hpo::parse_option_value(OptionType::flag, "no")));
    for (const auto& [type, text] : std::vector<std::pair<OptionType, std::string>>{
             {OptionType::integer, "1.5"}, {OptionType::integer, "x"}, {OptionType::integer, ""},
             {OptionType::integer, "99999999999"}, {OptionType::count, "-1"}, {OptionType::count, "2k"},
             {OptionType::real, "nan"}, {OptionType::real, "inf"}, {OptionType::real, "0.5x"},
             {OptionType::flag, "maybe"}, {OptionType::word, ""}}) {
        INFO("'" << text << "'");
        CHECK_THROWS_AS(hpo::parse_option_value(type, text), std::invalid_argument);
    }
    hpo::GeneticOptions genetic;
    const auto& table = genetic.table();
    const auto mode_row = std::find_if(table.begin(), table.end(), [](const auto& field) { return field.flag == "mode"; });
    REQUIRE(mode_row != table.end());
    const auto& mode = *mode_row;
    CHECK_THROWS_WITH(mode.set_text(genetic, "sideways"), Catch::Contains("generational or steady-state"));
}

TEST_CASE("checks need no search space and name the option", "[options]") {
    CHECK_THROWS_WITH(hpo::check(StrategyConfig{hpo::GeneticOptions{.pop_size = -1}}), Catch::Contains("pop_size"));
    CHECK_THROWS_WITH(hpo::check(StrategyConfig{hpo::GeneticOptions{.mutation_rate = 1.5}}),
                      Catch::Contains("mutation_rate"));
    CHECK_THROWS_WITH(hpo::check(StrategyConfig{hpo::RandomOptions{.evals = 0}}), Catch::Contains("evals"));
    CHECK_THROWS_WITH(hpo::check(StrategyConfig{hpo::GridOptions{.grid_size = 1}}), Catch::Contains("grid_size"));
    CHECK_THROWS_WITH(hpo::check(StrategyConfig{hpo::BayesOptions{.evals = 0}}), Catch::Contains("evals"));
    CHECK_THROWS_WITH(hpo::check(StrategyConfig{hpo::PbtOptions{.population = 0}}), Catch::Contains("population"));
    CHECK_THROWS_WITH(hpo::check(StrategyConfig{hpo::PbtOptions{.exploit_fraction = 0.75}}),
                      Catch::Contains("exploit_fraction"));
    hpo::for_each_strategy([](const auto& defaults) { CHECK_NOTHROW(defaults.check()); });
}

TEST_CASE("descriptions come from the tables", "[options]") {
    const StrategyConfig genetic = hpo::GeneticOptions{.generations = 3, .num_demes = 2, .mutation_rate = 0.05};
    const std::string cli = hpo::describe_options(genetic, hpo::OptionStyle::command_line);
    // --evals and --pop-size are 0 and --elites -1, "not given": left out.
    CHECK_THAT(cli, Catch::StartsWith("--generations 3 --demes 2 --mutation-rate 0.05"));
    CHECK_THAT(cli, Catch::Contains("--migration-interval 1 --gens-per-epoch 1 --mode generational"));
    hpo::GeneticOptions given{.generations = 3, .num_demes = 2};
    given.elites = 2;
    CHECK_THAT(hpo::describe_options(StrategyConfig{given}, hpo::OptionStyle::command_line),
               Catch::Contains("--elites 2 --gens-per-epoch 1"));
    const std::string keywords = hpo::describe_options(genetic, hpo::OptionStyle::keywords, false);
    CHECK_THAT(keywords, Catch::StartsWith("num_demes=2 mutation_rate=0.05"));
    CHECK_THAT(keywords, !Catch::Contains("generations"));  // a budget, left out
    CHECK(hpo::num_demes(genetic) == 2);
    CHECK(hpo::num_demes(StrategyConfig{hpo::BayesOptions{}}) == 1);
    const StrategyConfig pbt = hpo::PbtOptions{};
    CHECK(hpo::describe_options(pbt, hpo::OptionStyle::command_line) ==
          "--population 8 --rounds 10 --exploit-fraction 0.25 --resample-probability 0.25");
    CHECK(hpo::describe_options(pbt, hpo::OptionStyle::keywords, false) ==
          "population=8 exploit_fraction=0.25 resample_probability=0.25");  // rounds: a budget
    CHECK(hpo::num_demes(pbt) == 1);
}

TEST_CASE("every strategy option survives the checkpoint", "[options][checkpoint]") {
    TempDir dir;
    int n = 0;
    for_each_changed_option([&](const StrategyConfig& strategy, const std::string& what) {
        INFO(what);
        hpo::RunOptions written = base_options();
        written.strategy = strategy;
        const auto path = dir / ("run" + std::to_string(n++) + ".h5");
        hpo::CheckpointWriter::create(path, written).close();
        const hpo::RunOptions read = hpo::load_checkpoint(path).options;
        CHECK(read.strategy == strategy);
        CHECK(hpo::same_stored_config(read, written));
    });
    CHECK(n > 10);
}

TEST_CASE("a change of any stored option makes the configuration differ", "[options]") {
    const hpo::RunOptions base = base_options();
    for_each_changed_option([&](const StrategyConfig& strategy, const std::string& what) {
        INFO(what);
        hpo::RunOptions changed = base;
        changed.strategy = strategy;
        hpo::RunOptions reference = base;
        reference.strategy = hpo::strategy_config_from_name(hpo::strategy_name(strategy));
        CHECK_FALSE(hpo::same_stored_config(changed, reference));
    });
    const std::vector<std::pair<std::string, std::function<void(hpo::RunOptions&)>>> run_wide = {
        {"space", [](auto& o) { o.space.add(hpo::Parameter::float_range("--new", 0.0, 1.0)); }},
        {"command", [](auto& o) { o.kernel.command.push_back("--more"); }},
        {"fom prefix", [](auto& o) { o.kernel.fom_prefix = "loss="; }},
        {"timeout", [](auto& o) { o.kernel.timeout_seconds += 1; }},
        {"run dir", [](auto& o) { o.kernel.run_dir += "2"; }},
        {"launcher", [](auto& o) { o.kernel.launcher = hpo::Launcher::mpirun; }},
        {"echo output", [](auto& o) { o.kernel.echo_output = !o.kernel.echo_output; }},
        {"stage paths", [](auto& o) { o.kernel.stage_paths.push_back("/data"); }},
        {"checkpoint root", [](auto& o) { o.kernel.checkpoint_root += "2"; }},
        {"keep checkpoints", [](auto& o) { o.keep_checkpoints = hpo::KeepCheckpoints::live; }},
        {"arg style", [](auto& o) { o.arg_style = hpo::ArgStyle::equals; }},
        {"maximize", [](auto& o) { o.maximize = !o.maximize; }},
        {"seed", [](auto& o) { o.seed = 1; }},
        {"parallel", [](auto& o) { o.parallel += 1; }},
        {"log", [](auto& o) { o.log_fn = "other.log"; }},
        {"progress", [](auto& o) { o.progress = !o.progress; }},
        {"quiet", [](auto& o) { o.quiet = !o.quiet; }},
        {"checkpoint interval", [](auto& o) { o.checkpoint_interval += 1; }},
        {"worker timeout", [](auto& o) { o.worker_timeout_seconds += 1; }},
    };
    for (const auto& [what, change] : run_wide) {
        INFO(what);
        hpo::RunOptions changed = base;
        change(changed);
        CHECK_FALSE(hpo::same_stored_config(changed, base));
    }
    // Where this invocation writes, and how, is not the run.
    hpo::RunOptions elsewhere = base;
    elsewhere.checkpoint_fn = "elsewhere.h5";
    elsewhere.checkpoint_mode = hpo::CheckpointMode::resume;
    elsewhere.keep_existing_checkpoint = true;
    CHECK(hpo::same_stored_config(elsewhere, base));
}

TEST_CASE("checkpoints written before the option tables still load", "[options][checkpoint]") {
    const std::string fixtures = HPO_TEST_FIXTURE_DIR;
    const hpo::Checkpoint genetic = hpo::load_checkpoint(fixtures + "/format1-genetic-before-option-tables.h5");
    CHECK(genetic.options.strategy == StrategyConfig{hpo::GeneticOptions{
                                          .generations = 2, .pop_size = 3, .num_demes = 2, .mutation_rate = 0.2,
                                          .crossover_rate = 0.5, .migration_interval = 2, .elites = 1,
                                          .mode = hpo::GeneticMode::steady_state}});
    CHECK(genetic.options.seed == 7);
    CHECK(genetic.options.maximize);
    CHECK(genetic.trials.size() == 12);
    // Kernel settings added since (issue 13) take their defaults.
    CHECK_FALSE(genetic.options.kernel.echo_output);
    CHECK(genetic.options.kernel.stage_paths.empty());

    const hpo::Checkpoint bayes = hpo::load_checkpoint(fixtures + "/format1-bayes-before-option-tables.h5");
    CHECK(bayes.options.strategy ==
          StrategyConfig{hpo::BayesOptions{.evals = 6, .initial = 3, .acquisition = hpo::Acquisition::ucb}});
    CHECK(bayes.options.seed == 9);
    CHECK_FALSE(bayes.options.maximize);
    CHECK(bayes.trials.size() == 6);
}
