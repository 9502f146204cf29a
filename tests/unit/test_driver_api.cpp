// The C++ driver API (README: C++ driver API): Params and its domains, ParamValues, and each optimizer run end
// to end on a tiny shell kernel.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "hpo/hpo.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

// The message of the hpo::SpecError `make` throws; fails the test when it throws nothing.
template <class Make>
std::string spec_error(Make&& make) {
    try {
        make();
    } catch (const hpo::SpecError& error) {
        return error.what();
    }
    FAIL("no hpo::SpecError was thrown");
    return {};
}

struct TempDir {
    fs::path path;
    TempDir() {
        static std::atomic<int> counter{0};
        path = fs::path("/tmp") / ("hpo-driver-api-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string sub(const std::string& name) const { return (path / name).string(); }
};

// Runs optimize() from a fresh working directory of its own under `dir`, so that whatever a run
// leaves in its working directory (a default checkpoint file, say) stays in the temporary tree and
// cannot get in the way of the next run.
// Runs the optimizer with `folder` as the current directory, where its checkpoint goes.
const hpo::RunResult& optimize_in_folder(const fs::path& folder, hpo::Optimizer& optimizer, const hpo::Params& params) {
    fs::create_directories(folder);
    const fs::path before = fs::current_path();
    fs::current_path(folder);
    struct Restore {
        fs::path path;
        ~Restore() { fs::current_path(path); }
    } restore{before};
    return optimizer.optimize(params);
}

// The same in a fresh folder of its own under `dir`.
const hpo::RunResult& optimize_in(const TempDir& dir, hpo::Optimizer& optimizer, const hpo::Params& params) {
    static std::atomic<int> counter{0};
    return optimize_in_folder(dir.path / ("cwd-" + std::to_string(counter++)), optimizer, params);
}

// The FoM the kernel below computes, evaluated here independently of it.
double expected_fom(double x, long long n, const std::string& opt) {
    return (x - 0.3) * (x - 0.3) + static_cast<double>((n - 4) * (n - 4)) + (opt == "b c" ? 1.0 : 0.0);
}

// FoM = (x - 0.3)^2 + (n - 4)^2 + [opt == "b c"]. It insists on every flag being present, on
// --n being written as an integer and on nothing else being passed, failing otherwise.
const char* const kernel_script = R"(
x=; n=; o=
for a in "$@"; do
  case "$a" in
    --x=*) x=${a#--x=};;
    --n=*) n=${a#--n=};;
    --opt=*) o=${a#--opt=};;
    *) echo "unexpected argument $a" >&2; exit 2;;
  esac
done
case "$n" in ''|*[!0-9-]*) echo "--n is not an integer: $n" >&2; exit 3;; esac
[ -n "$x" ] && [ -n "$o" ] || exit 4
awk -v x="$x" -v n="$n" -v o="$o" 'BEGIN { printf "FoM: %.12g\n", (x - 0.3) ^ 2 + (n - 4) ^ 2 + (o == "b c" ? 1 : 0) }'
)";

hpo::Params kernel_params() {
    return hpo::Params({{"--x", 0.9, hpo::range(0.0, 1.0)},
                        {"--n", 1, hpo::range(0, 8)},
                        {"--opt", "b c", hpo::choice({"a", "b c"})}});
}

// The default point: x = 0.9, n = 1, opt = "b c" (index 1).
const hpo::Point default_point{0.9, 1.0, 1.0};
const double default_fom = expected_fom(0.9, 1, "b c");  // 0.36 + 9 + 1

hpo::Evaluator kernel_evaluator(const std::string& run_dir) {
    return hpo::Evaluator::from_argv({"sh", "-c", kernel_script, "kernel"}, {.run_dir = run_dir});
}

// What every finished run must satisfy: all trials ok, --n integral, the default point among
// them with the FoM computed here, best_fom() the extreme FoM and consistent with best_params().
void check_run(const hpo::Optimizer& optimizer, bool maximize) {
    const hpo::RunResult& result = optimizer.result();
    REQUIRE_FALSE(result.trials.empty());
    REQUIRE(optimizer.has_best());
    bool saw_default = false;
    double extreme = maximize ? -INFINITY : INFINITY;
    for (const auto& trial : result.trials) {
        INFO("trial " << trial.id << ": " << trial.message);
        REQUIRE(trial.ok());
        REQUIRE(trial.values.size() == 3);
        CHECK(trial.values[1] == std::round(trial.values[1]));  // the integer range stays integral
        if (trial.values == default_point) {
            saw_default = true;
            CHECK(trial.fom == Approx(default_fom));
        }
        extreme = maximize ? std::max(extreme, trial.fom) : std::min(extreme, trial.fom);
    }
    CHECK(saw_default);
    CHECK(optimizer.best_fom() == extreme);
    if (maximize) {
        CHECK(optimizer.best_fom() >= default_fom);
    } else {
        CHECK(optimizer.best_fom() <= default_fom);
    }
    const hpo::ParamValues best = optimizer.best_params();
    const double x = best.number("--x");
    const double n = best.number("--n");
    CHECK(n == std::round(n));
    CHECK(best["--n"].find('.') == std::string::npos);
    CHECK(optimizer.best_fom() == Approx(expected_fom(x, std::llround(n), best["--opt"])));
    CHECK(best.point() == optimizer.best_trial().values);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Params: rejected specs name the parameter.

TEST_CASE("driver Params: a flag given twice is rejected, naming it") {
    const std::string message = spec_error([] {
        hpo::Params({{"--lr", 0.01, hpo::range(1e-5, 0.1)}, {"--lr", hpo::range(0.0, 1.0)}});
    });
    CHECK_THAT(message, Contains("--lr") && Contains("twice"));

    hpo::Params params({{"--lr", hpo::range(1e-5, 0.1)}});
    CHECK_THAT(spec_error([&] { params.add({"--lr", hpo::range(0, 3)}); }), Contains("--lr"));
    CHECK(params.size() == 1);  // the rejected parameter was not added
    params.add({"--momentum", hpo::range(0.0, 1.0)});
    CHECK(params.size() == 2);
}

TEST_CASE("driver Params: a default outside its domain is rejected, naming the parameter") {
    CHECK_THAT(spec_error([] { hpo::Param("--lr", 0.5, hpo::range(1e-5, 0.1)); }),
               Contains("--lr") && Contains("outside"));
    CHECK_THAT(spec_error([] { hpo::Param("--lr", -1.0, hpo::log_range(1e-5, 0.1)); }), Contains("--lr"));
    CHECK_THAT(spec_error([] { hpo::Param("--layers", 9, hpo::range(1, 8)); }),
               Contains("--layers") && Contains("outside"));
    CHECK_THAT(spec_error([] { hpo::Param("--layers", 2.5, hpo::range(1, 8)); }),
               Contains("--layers") && Contains("integer"));
    CHECK_THAT(spec_error([] { hpo::Param("--layers", "four", hpo::range(1, 8)); }), Contains("--layers"));
    // Far outside what a long long holds: reported, not cast.
    CHECK_THAT(spec_error([] { hpo::Param("--layers", 1e300, hpo::range(1, 8)); }),
               Contains("--layers") && Contains("outside"));
    CHECK_THAT(spec_error([] { hpo::Param("--layers", INFINITY, hpo::range(1, 8)); }), Contains("--layers"));
    CHECK_THAT(spec_error([] { hpo::Param("--layers", std::numeric_limits<long long>::max(), hpo::range(1, 8)); }),
               Contains("--layers"));
    CHECK_THAT(spec_error([] { hpo::Param("--big", hpo::range(0LL, std::numeric_limits<long long>::max())); }),
               Contains("--big"));
    CHECK_THAT(spec_error([] { hpo::Param("--opt", "rmsprop", hpo::choice({"adam", "sgd"})); }),
               Contains("--opt") && Contains("rmsprop"));
    CHECK_THAT(spec_error([] { hpo::Param("--batch", 48, hpo::choice({16, 32, 64})); }),
               Contains("--batch") && Contains("48"));
    CHECK_THAT(spec_error([] { hpo::Param("--opt", 1, hpo::choice({"adam", "sgd"})); }), Contains("--opt"));
}

TEST_CASE("driver Params: a log range needs lo > 0, naming the parameter") {
    CHECK_THAT(spec_error([] { hpo::Param("--lr", hpo::log_range(0.0, 0.1)); }),
               Contains("--lr") && Contains("log"));
    CHECK_THAT(spec_error([] { hpo::Param("--lr", hpo::log_range(-1.0, 0.1)); }), Contains("--lr"));
    CHECK_THAT(spec_error([] { hpo::Param("--width", 4, hpo::log_range(0, 64)); }),
               Contains("--width") && Contains("log"));
    CHECK_THAT(spec_error([] { hpo::Param("--width", hpo::range(-8, 64).log()); }), Contains("--width"));
    // A choice has no scale at all.
    CHECK_THROWS_AS(hpo::choice({"adam", "sgd"}).log(), std::invalid_argument);
    // A valid log range is accepted and keeps its scale.
    const hpo::Param lr("--lr", 1e-3, hpo::log_range(1e-5, 0.1));
    CHECK(lr.parameter().is_log());
    CHECK(lr.parameter().kind() == hpo::ParameterKind::float_range);
}

TEST_CASE("driver Params: an empty choice and other bad domains are rejected, naming the parameter") {
    CHECK_THAT(spec_error([] { hpo::Param("--opt", hpo::choice(std::vector<std::string>{})); }),
               Contains("--opt") && Contains("empty"));
    CHECK_THAT(spec_error([] { hpo::Param("--opt", hpo::choice({"adam", "adam"})); }), Contains("--opt"));
    CHECK_THAT(spec_error([] { hpo::Param("--lr", hpo::range(0.1, 0.1)); }), Contains("--lr"));
    CHECK_THAT(spec_error([] { hpo::Param("--lr", hpo::range(1.0, 0.0)); }), Contains("--lr"));
    CHECK_THAT(spec_error([] { hpo::Param("--n", hpo::range(8, 1)); }), Contains("--n"));
    CHECK_THAT(spec_error([] { hpo::Param("--lr", hpo::range(0.0, INFINITY)); }), Contains("--lr"));
}

// ---------------------------------------------------------------------------------------------
// Params: the domains they build.

TEST_CASE("driver Params: choices of strings and of numbers, with and without defaults") {
    hpo::Params params({{"--opt", "sgd", hpo::choice({"adam", "sgd", "rmsprop"})},
                        {"--act", hpo::choice({"relu", "tanh"})},
                        {"--batch", 32, hpo::choice({16, 32, 64})},
                        {"--epochs", "20", hpo::choice({10, 20})},
                        {"--drop", 0.5, hpo::choice({0.1, 0.5, 0.25})},
                        {"--wd", hpo::choice({1e-4, 1e-3})}});
    REQUIRE(params.size() == 6);
    const hpo::SearchSpace& space = params.space();
    for (const auto& p : space) CHECK(p.kind() == hpo::ParameterKind::choice);

    CHECK(space[0].options() == std::vector<std::string>{"adam", "sgd", "rmsprop"});
    REQUIRE(space[0].has_default());
    CHECK(space[0].default_value() == 1.0);
    CHECK_FALSE(space[1].has_default());
    CHECK(space[1].options() == std::vector<std::string>{"relu", "tanh"});

    // Numbers become their shortest text; a numeric default picks the option equal to it.
    CHECK(space[2].options() == std::vector<std::string>{"16", "32", "64"});
    CHECK(space[2].default_value() == 1.0);
    CHECK(space[3].options() == std::vector<std::string>{"10", "20"});
    CHECK(space[3].default_value() == 1.0);  // a text default naming a number option
    CHECK(space[4].options() == std::vector<std::string>{"0.1", "0.5", "0.25"});
    CHECK(space[4].default_value() == 1.0);
    REQUIRE(space[5].options().size() == 2);  // the shortest text that reads back the same ("1e-04")
    CHECK(std::stod(space[5].options()[0]) == 1e-4);
    CHECK(space[5].options()[1] == "0.001");
    CHECK_FALSE(space[5].has_default());

    // Looked up through ParamValues: text as the kernel receives it, numbers where they are numbers.
    const hpo::ParamValues values(space, {1, 0, 2, 0, 2, 1});
    CHECK(values["--opt"] == "sgd");
    CHECK(values["--act"] == "relu");
    CHECK(values["--batch"] == "64");
    CHECK(values.number("--batch") == 64.0);
    CHECK(values.number("--drop") == 0.25);
    CHECK(values.number("--wd") == 0.001);
    CHECK_THROWS_AS(values.number("--opt"), std::invalid_argument);
}

TEST_CASE("driver Params: integer ranges stay integers, float ranges stay floats") {
    hpo::Params params({{"--layers", 4, hpo::range(1, 8)},
                        {"--units", hpo::range(16L, 512L)},
                        {"--seedish", 3u, hpo::range(0u, 10u)},
                        {"--width", 64, hpo::log_range(8, 1024)},
                        {"--lr", 0.01, hpo::range(0.0, 1.0)},
                        {"--steps", 2.0, hpo::range(1, 8)},
                        {"--scale", 2, hpo::range(1.0, 8.0)}});
    const hpo::SearchSpace& space = params.space();
    CHECK(space[0].kind() == hpo::ParameterKind::int_range);
    CHECK(space[0].default_value() == 4.0);
    CHECK(space[1].kind() == hpo::ParameterKind::int_range);
    CHECK(space[2].kind() == hpo::ParameterKind::int_range);
    CHECK(space[3].kind() == hpo::ParameterKind::int_range);
    CHECK(space[3].is_log());
    CHECK(space[4].kind() == hpo::ParameterKind::float_range);
    CHECK(space[5].kind() == hpo::ParameterKind::int_range);  // an integral double default is fine
    CHECK(space[5].default_value() == 2.0);
    CHECK(space[6].kind() == hpo::ParameterKind::float_range);  // an int default in a float range
    CHECK(space[6].default_value() == 2.0);

    const hpo::ParamValues values(space, {4, 100, 3, 64, 0.25, 2, 2});
    CHECK(values["--layers"] == "4");
    CHECK(values["--units"] == "100");
    CHECK(values["--width"] == "64");
    CHECK(values["--lr"] == "0.25");
    CHECK(values.number("--layers") == 4.0);

    // The same space written as CLI specs.
    const hpo::Params parsed = hpo::Params::parse({"--layers 4 [1,8]", "--lr 0.01 [0.0,1.0]"});
    const hpo::Params built({{"--layers", 4, hpo::range(1, 8)}, {"--lr", 0.01, hpo::range(0.0, 1.0)}});
    CHECK(parsed.space() == built.space());
}

// ---------------------------------------------------------------------------------------------
// ParamValues: printing in the kernel's syntax and lookup by flag.

TEST_CASE("driver ParamValues: streamed in the kernel's flag syntax, odd values shell-quoted") {
    const hpo::Params params({{"--lr", 0.001, hpo::log_range(1e-5, 0.1)},
                              {"--n", 4, hpo::range(1, 8)},
                              {"--name", hpo::choice({"plain", "a b", "it's", "$HOME;x"})}});
    const hpo::SearchSpace& space = params.space();

    const hpo::ParamValues plain(space, {0.001, 4, 0});
    CHECK(plain.args() == std::vector<std::string>{"--lr=0.001", "--n=4", "--name=plain"});
    CHECK(plain.str() == "--lr=0.001 --n=4 --name=plain");
    std::ostringstream streamed;
    streamed << plain;
    CHECK(streamed.str() == plain.str());

    CHECK(hpo::ParamValues(space, {0.001, 4, 1}).str() == "--lr=0.001 --n=4 '--name=a b'");
    CHECK(hpo::ParamValues(space, {0.001, 4, 2}).str() == "--lr=0.001 --n=4 '--name=it'\\''s'");
    CHECK(hpo::ParamValues(space, {0.001, 4, 3}).str() == "--lr=0.001 --n=4 '--name=$HOME;x'");

    // Space style: flag and value are separate words; only the value needs quoting.
    const hpo::ParamValues spaced(space, {0.001, 4, 1}, hpo::ArgStyle::space);
    CHECK(spaced.args() == std::vector<std::string>{"--lr", "0.001", "--n", "4", "--name", "a b"});
    CHECK(spaced.str() == "--lr 0.001 --n 4 --name 'a b'");

    CHECK(hpo::shell_quote("") == "''");
    CHECK(hpo::shell_quote("--x=1e-05") == "--x=1e-05");

    CHECK(hpo::ParamValues{}.empty());
    CHECK_THROWS_AS(hpo::ParamValues(space, {0.001, 4}), std::invalid_argument);
}

TEST_CASE("driver ParamValues: lookup by flag, and a clear error for an unknown flag") {
    const hpo::Params params({{"--lr", hpo::range(0.0, 1.0)}, {"--opt", hpo::choice({"adam", "sgd"})}});
    const hpo::ParamValues values(params.space(), {0.125, 1});
    CHECK(values.contains("--lr"));
    CHECK_FALSE(values.contains("--momentum"));
    CHECK_FALSE(values.contains("lr"));
    CHECK(values["--lr"] == "0.125");
    CHECK(values.number("--lr") == 0.125);
    CHECK(values["--opt"] == "sgd");
    CHECK(values.size() == 2);

    CHECK_THROWS_AS(values["--momentum"], std::out_of_range);
    CHECK_THROWS_WITH(values["--momentum"], Contains("--momentum"));
    CHECK_THROWS_AS(values.number("--momentum"), std::out_of_range);
    CHECK_THROWS_WITH(values.number("--momentum"), Contains("--momentum"));
    CHECK_THROWS_WITH(values.number("--opt"), Contains("--opt") && Contains("sgd"));
}

// ---------------------------------------------------------------------------------------------
// Evaluator and optimizer construction.

TEST_CASE("driver Evaluator and optimizers reject bad settings where they are made") {
    const hpo::Evaluator split("sh -c 'echo \"FoM: 1\"' kernel", {.timeout = 5, .arg_style = hpo::ArgStyle::space});
    CHECK(split.kernel().command == std::vector<std::string>{"sh", "-c", "echo \"FoM: 1\"", "kernel"});
    CHECK(split.kernel().timeout_seconds == 5);
    CHECK(split.arg_style() == hpo::ArgStyle::space);

    CHECK_THROWS_AS(hpo::Evaluator::from_argv({}), std::invalid_argument);
    CHECK_THROWS_AS(hpo::Evaluator("sh -c 'unterminated"), std::invalid_argument);
    CHECK_THROWS_AS(hpo::Evaluator("true", {.fom_prefix = ""}), std::invalid_argument);
    CHECK_THROWS_AS(hpo::Evaluator("true", {.timeout = -1}), std::invalid_argument);
    // A NUL would cut the argv element (and the checkpoint's string) it is in.
    using namespace std::string_literals;
    CHECK_THROWS_WITH(hpo::Evaluator::from_argv({"true", "a\0b"s}), Catch::Contains("NUL"));
    CHECK_THROWS_WITH(hpo::Evaluator("true", {.fom_prefix = "F\0"s}), Catch::Contains("NUL"));
    CHECK_THROWS_WITH(hpo::Evaluator("true", {.run_dir = "r\0s"s}), Catch::Contains("NUL"));

    const hpo::Evaluator evaluator("true");
    CHECK_THROWS_AS(hpo::genetic::Optimizer(evaluator, {.pop_size = -1}), std::invalid_argument);
    CHECK_THROWS_AS(hpo::grid::Optimizer(evaluator, {.grid_size = 1}), std::invalid_argument);
    CHECK_THROWS_WITH(hpo::grid::Optimizer(evaluator, {.grid_size = 1}), Contains("grid_size"));

    // Verbose off (the default): neither progress lines nor a summary; the settings are passed on.
    const hpo::random::Optimizer optimizer(evaluator, {.evals = 7}, {.seed = 9, .maximize = true, .parallel = 2});
    const hpo::RunOptions options = optimizer.run_options(kernel_params());
    CHECK_FALSE(options.progress);
    CHECK(options.quiet);
    CHECK(options.parallel == 2);
    CHECK(options.maximize);
    REQUIRE(std::holds_alternative<hpo::RandomOptions>(options.strategy));
    CHECK(std::get<hpo::RandomOptions>(options.strategy).evals == 7);
    CHECK(options.seed == 9);
    CHECK(options.space == kernel_params().space());
    CHECK(options.worker_timeout_seconds == hpo::RunOptions{}.worker_timeout_seconds);  // unset: the default
    // An empty search space is rejected when it is run.
    CHECK_THROWS_AS(optimizer.run_options(hpo::Params{}), std::invalid_argument);

    // The worker timeout is passed on, and checked like the CLI's.
    const hpo::random::Optimizer patient(evaluator, {.evals = 7}, {.worker_timeout = 30});
    CHECK(patient.run_options(kernel_params()).worker_timeout_seconds == 30);
    const hpo::random::Optimizer hasty(evaluator, {.evals = 7}, {.worker_timeout = 0.5});
    CHECK_THROWS_WITH(hasty.run_options(kernel_params()), Contains("worker"));
}

TEST_CASE("driver optimizers take the pruning options in their settings, checked where they are made") {
    const hpo::Evaluator evaluator("true");
    // Designated initializers, as a user writes them: the strategy's options, then the settings.
    const hpo::random::Optimizer random(evaluator, {.evals = 50},
                                        {.prune = {.prune = hpo::PruneRule::asha, .max_steps = 27}});
    const hpo::RunOptions options = random.run_options(kernel_params());
    CHECK(options.prune == hpo::PruneOptions{.prune = hpo::PruneRule::asha, .max_steps = 27});
    CHECK(random.settings().prune.max_steps == 27);
    // Every optimizer, with the other settings before it.
    const hpo::PruneOptions median{.prune = hpo::PruneRule::median, .median_warmup_steps = 2, .median_min_trials = 3};
    CHECK(hpo::genetic::Optimizer(evaluator, {.generations = 2}, {.seed = 3, .prune = median})
              .run_options(kernel_params()).prune == median);
    CHECK(hpo::grid::Optimizer(evaluator, {}, {.prune = median}).run_options(kernel_params()).prune == median);
    CHECK(hpo::bayes::Optimizer(evaluator, {.evals = 9}, {.prune = median}).run_options(kernel_params()).prune == median);
    // None by default.
    CHECK(hpo::random::Optimizer(evaluator).run_options(kernel_params()).prune == hpo::PruneOptions{});

    // Refused where the optimizer is made, naming the option.
    CHECK_THROWS_WITH(hpo::random::Optimizer(evaluator, {}, {.prune = {.prune = hpo::PruneRule::hyperband}}),
                      Contains("max_steps"));
    CHECK_THROWS_WITH(hpo::genetic::Optimizer(evaluator, {}, {.prune = {.reduction_factor = 1}}),
                      Contains("reduction_factor"));
    CHECK_THROWS_WITH(
        hpo::bayes::Optimizer(evaluator, {}, {.prune = {.prune = hpo::PruneRule::asha, .max_steps = 4, .min_steps = 4}}),
        Contains("min_steps"));
}

TEST_CASE("driver: the Evaluator's checkpoint_root and the settings' keep_checkpoints reach the run's options") {
    // Unset: no checkpoint directories for a command without @checkpoint, <run_dir>/checkpoints
    // (absolute) for one that names it; directories no future trial can start from are removed.
    const hpo::genetic::Optimizer plain(hpo::Evaluator("true"), {.generations = 2});
    CHECK(plain.run_options(kernel_params()).kernel.checkpoint_root.empty());
    CHECK(plain.run_options(kernel_params()).keep_checkpoints == hpo::KeepCheckpoints::live);
    const hpo::genetic::Optimizer token(hpo::Evaluator("true --load=@checkpoint/m", {.run_dir = "runs"}),
                                       {.generations = 2});
    CHECK(token.run_options(kernel_params()).kernel.checkpoint_root == (fs::current_path() / "runs" / "checkpoints").string());

    // Given: made absolute, and kept whatever the command says; keep_checkpoints passed on.
    const hpo::Evaluator evaluator("true --load=@checkpoint/m", {.checkpoint_root = "ck/dirs"});
    CHECK(evaluator.kernel().checkpoint_root == "ck/dirs");
    const hpo::genetic::Optimizer optimizer(evaluator, {.generations = 2},
                                            {.keep_checkpoints = hpo::KeepCheckpoints::all});
    const hpo::RunOptions options = optimizer.run_options(kernel_params());
    CHECK(options.kernel.checkpoint_root == (fs::current_path() / "ck" / "dirs").string());
    CHECK(options.keep_checkpoints == hpo::KeepCheckpoints::all);
    CHECK(optimizer.settings().keep_checkpoints == hpo::KeepCheckpoints::all);
}

// ---------------------------------------------------------------------------------------------
// best_fom() / best_params() without a successful trial.

TEST_CASE("driver optimizer: best_fom() and best_params() before optimize() throw std::logic_error") {
    const hpo::random::Optimizer optimizer(hpo::Evaluator("true"), {.evals = 2}, {.parallel = 2});
    CHECK_FALSE(optimizer.has_best());
    CHECK_THROWS_AS(optimizer.best_fom(), std::logic_error);
    CHECK_THROWS_AS(optimizer.best_params(), std::logic_error);
    CHECK_THROWS_AS(optimizer.best_trial(), std::logic_error);
    CHECK_THROWS_AS(optimizer.result(), std::logic_error);
    CHECK_THROWS_WITH(optimizer.best_fom(), Contains("optimize()"));
}

TEST_CASE("driver optimizer: when every trial fails best_fom() and best_params() throw std::runtime_error") {
    TempDir dir;
    const std::string run_dir = dir.sub("runs");
    SECTION("a kernel that exits non-zero") {
        hpo::random::Optimizer optimizer(
            hpo::Evaluator::from_argv({"sh", "-c", "echo 'FoM: 1'; exit 1", "kernel"}, {.run_dir = run_dir}),
            {.evals = 3}, {.seed = 1, .parallel = 2});
        const hpo::RunResult& result = optimize_in(dir, optimizer, kernel_params());
        CHECK(result.trials.size() == 3);
        for (const auto& trial : result.trials) CHECK(trial.status == hpo::TrialStatus::failed);
        CHECK_FALSE(optimizer.has_best());
        CHECK_FALSE(result.best);
        CHECK_THROWS_AS(optimizer.best_fom(), std::runtime_error);
        CHECK_THROWS_AS(optimizer.best_params(), std::runtime_error);
        CHECK_THROWS_WITH(optimizer.best_fom(), Contains("no trial succeeded") && Contains(run_dir));
        // Not a logic_error: the run did happen.
        CHECK_NOTHROW(optimizer.result());
    }
    SECTION("a kernel command that does not exist") {
        hpo::genetic::Optimizer optimizer(
            hpo::Evaluator::from_argv({"/nonexistent/hpo-kernel"}, {.run_dir = run_dir}),
            {.generations = 1, .pop_size = 2, .num_demes = 1}, {.parallel = 2});
        const hpo::RunResult& result = optimize_in(dir, optimizer, kernel_params());
        CHECK(result.trials.size() == 2);
        for (const auto& trial : result.trials) CHECK_FALSE(trial.ok());
        CHECK_FALSE(optimizer.has_best());
        CHECK_THROWS_AS(optimizer.best_fom(), std::runtime_error);
        CHECK_THROWS_AS(optimizer.best_params(), std::runtime_error);
    }
    SECTION("a kernel that prints no FoM") {
        hpo::grid::Optimizer optimizer(hpo::Evaluator::from_argv({"sh", "-c", "echo hello", "kernel"}, {.run_dir = run_dir}),
                                       {.grid_size = 2}, {.parallel = 2});
        const hpo::RunResult& result = optimize_in(dir, optimizer, hpo::Params({{"--x", 0.5, hpo::range(0.0, 1.0)}}));
        CHECK(result.trials.size() == 3);  // the default point, then both ends
        for (const auto& trial : result.trials) CHECK(trial.status == hpo::TrialStatus::no_fom);
        CHECK_THROWS_AS(optimizer.best_fom(), std::runtime_error);
    }
}

// ---------------------------------------------------------------------------------------------
// End to end: each optimizer on the shell kernel.

TEST_CASE("driver random::Optimizer end to end: improves on the default, seeded runs repeat") {
    TempDir dir;
    const hpo::Params params = kernel_params();
    hpo::random::Optimizer first(kernel_evaluator(dir.sub("a")), {.evals = 16}, {.seed = 11, .parallel = 2});
    const hpo::RunResult& result = optimize_in(dir, first, params);
    CHECK(result.trials.size() == 16);
    check_run(first, false);
    // The default point is the first proposal.
    const auto zero = std::find_if(result.trials.begin(), result.trials.end(), [](const auto& t) { return t.id == 0; });
    REQUIRE(zero != result.trials.end());
    CHECK(zero->values == default_point);
    CHECK(fs::exists(fs::path(dir.sub("a")) / "0" / "stdout"));

    hpo::random::Optimizer second(kernel_evaluator(dir.sub("b")), {.evals = 16}, {.seed = 11, .parallel = 2});
    optimize_in(dir, second, params);
    CHECK(second.best_fom() == first.best_fom());
    CHECK(second.best_params().str() == first.best_params().str());
    CHECK(second.best_trial().id == first.best_trial().id);

    // Another seed proposes other points (the seed reaches the strategy).
    hpo::random::Optimizer other(kernel_evaluator(dir.sub("c")), {.evals = 4}, {.seed = 12, .parallel = 2});
    optimize_in(dir, other, params);
    auto point_of = [](const hpo::RunResult& r, hpo::TrialId id) {
        for (const auto& t : r.trials)
            if (t.id == id) return t.values;
        return hpo::Point{};
    };
    CHECK(point_of(other.result(), 1) != point_of(first.result(), 1));
}

TEST_CASE("driver grid::Optimizer end to end: minimizing and maximizing") {
    TempDir dir;
    const hpo::Params params = kernel_params();
    // Axes: x {0, 0.5, 1}, n {0, 4, 8}, opt {a, "b c"}: 18 grid points plus the default point.
    hpo::grid::Optimizer minimizer(kernel_evaluator(dir.sub("min")), {.grid_size = 3}, {.parallel = 2});
    CHECK(optimize_in(dir, minimizer, params).trials.size() == 19);
    check_run(minimizer, false);
    CHECK(minimizer.best_fom() == Approx(expected_fom(0.5, 4, "a")));
    CHECK(minimizer.best_params().str() == "--x=0.5 --n=4 --opt=a");

    hpo::grid::Optimizer maximizer(kernel_evaluator(dir.sub("max")), {.grid_size = 3}, {.maximize = true, .parallel = 2});
    CHECK(optimize_in(dir, maximizer, params).trials.size() == 19);
    check_run(maximizer, true);
    CHECK(maximizer.best_fom() == Approx(expected_fom(1.0, 0, "b c")));  // n = 0 and n = 8 tie
    const hpo::ParamValues best = maximizer.best_params();
    CHECK(best["--x"] == "1");
    CHECK(best["--opt"] == "b c");
    CHECK_THAT(best.str(), Contains("'--opt=b c'"));
    std::ostringstream streamed;
    streamed << best;
    CHECK(streamed.str() == best.str());
}

TEST_CASE("driver genetic::Optimizer end to end: improves on the default, maximize, seeded runs repeat") {
    TempDir dir;
    const hpo::Params params = kernel_params();
    const hpo::genetic::Options options{.generations = 3, .pop_size = 4, .num_demes = 2};
    const hpo::RunSettings settings{.seed = 5, .parallel = 2};
    hpo::genetic::Optimizer first(kernel_evaluator(dir.sub("a")), options, settings);
    const hpo::RunResult& result = optimize_in(dir, first, params);
    CHECK(result.trials.size() == 2 * (4 + 2 * (4 - 1)));  // elites are not re-evaluated
    check_run(first, false);

    hpo::genetic::Optimizer second(kernel_evaluator(dir.sub("b")), options, settings);
    optimize_in(dir, second, params);
    CHECK(second.best_fom() == first.best_fom());
    CHECK(second.best_params().str() == first.best_params().str());

    hpo::RunSettings maximize = settings;
    maximize.maximize = true;
    hpo::genetic::Optimizer maximizer(kernel_evaluator(dir.sub("max")), options, maximize);
    optimize_in(dir, maximizer, params);
    check_run(maximizer, true);
    CHECK(maximizer.best_fom() > default_fom);

    // A second optimize() on the same optimizer replaces the result.
    optimize_in(dir, first, hpo::Params({{"--x", 0.9, hpo::range(0.0, 1.0)},
                                {"--n", 4, hpo::range(0, 8)},
                                {"--opt", "a", hpo::choice({"a", "b c"})}}));
    CHECK(first.best_fom() <= expected_fom(0.9, 4, "a"));
}

TEST_CASE("driver bayes::Optimizer end to end: the options reach the strategy, it finds the optimum") {
    const hpo::bayes::Options options{.evals = 16, .initial = 5, .acquisition = hpo::Acquisition::ucb};
    const hpo::RunOptions run =
        hpo::bayes::Optimizer(hpo::Evaluator("true"), options, {.seed = 3, .maximize = true, .parallel = 1})
            .run_options(kernel_params());
    REQUIRE(std::holds_alternative<hpo::BayesOptions>(run.strategy));
    CHECK(std::get<hpo::BayesOptions>(run.strategy).evals == 16);
    CHECK(std::get<hpo::BayesOptions>(run.strategy).initial == 5);
    CHECK(std::get<hpo::BayesOptions>(run.strategy).acquisition == hpo::Acquisition::ucb);
    CHECK(run.seed == 3);
    CHECK(run.maximize);

    // One worker, so that the order of results (and with it every proposal) is fixed.
    TempDir dir;
    const hpo::Params params = kernel_params();
    hpo::bayes::Optimizer first(kernel_evaluator(dir.sub("a")), {.evals = 16}, {.seed = 3, .parallel = 1});
    const hpo::RunResult& result = optimize_in(dir, first, params);
    CHECK(result.trials.size() == 16);
    check_run(first, false);
    CHECK(first.best_fom() < 0.05);  // the optimum is 0 at x = 0.3, n = 4, opt = a
    hpo::bayes::Optimizer second(kernel_evaluator(dir.sub("b")), {.evals = 16}, {.seed = 3, .parallel = 1});
    optimize_in(dir, second, params);
    CHECK(second.best_fom() == first.best_fom());
    CHECK(second.best_params().str() == first.best_params().str());
}

// ---------------------------------------------------------------------------------------------
// The checkpoint a driver writes by default, and a driver run twice in one folder.

TEST_CASE("driver optimizer: a checkpoint by default, and a second run in the same folder loses nothing") {
    TempDir dir;
    const fs::path folder = dir.path / "project";
    const hpo::Params params = kernel_params();
    const hpo::RunSettings settings{.seed = 4, .parallel = 2};
    // The run directory is relative, as a user's default `hpo-runs` is.
    const auto evaluator = [] { return kernel_evaluator("runs"); };

    hpo::random::Optimizer first(evaluator(), {.evals = 6}, settings);
    CHECK(first.settings().checkpoint_fn == "hpo.h5");
    optimize_in_folder(folder, first, params);
    REQUIRE(fs::exists(folder / "hpo.h5"));
    CHECK(hpo::load_checkpoint(folder / "hpo.h5").trials.size() == 6);

    SECTION("the same driver again continues its checkpoint: nothing runs again, a larger budget extends it") {
        hpo::random::Optimizer again(evaluator(), {.evals = 6}, settings);
        const hpo::RunResult& same = optimize_in_folder(folder, again, params);
        CHECK(same.resumed_trials == 6);
        CHECK(same.trials.size() == 6);
        CHECK(again.best_fom() == first.best_fom());
        CHECK(again.best_params().str() == first.best_params().str());
        CHECK_FALSE(fs::exists(folder / "hpo.1.h5"));

        hpo::random::Optimizer more(evaluator(), {.evals = 9}, settings);
        const hpo::RunResult& extended = optimize_in_folder(folder, more, params);
        CHECK(extended.resumed_trials == 6);
        CHECK(extended.trials.size() == 9);
        CHECK(hpo::load_checkpoint(folder / "hpo.h5").trials.size() == 9);
    }
    SECTION("another run keeps the first one's checkpoint and trial directories under new names") {
        hpo::random::Optimizer other(evaluator(), {.evals = 3}, {.seed = 5, .parallel = 2});
        const hpo::RunResult& fresh = optimize_in_folder(folder, other, params);
        CHECK(fresh.resumed_trials == 0);
        CHECK(fresh.trials.size() == 3);
        REQUIRE(fs::exists(folder / "hpo.1.h5"));
        const hpo::Checkpoint kept = hpo::load_checkpoint(folder / "hpo.1.h5");
        CHECK(kept.trials.size() == 6);
        CHECK(kept.options.seed == 4);
        CHECK(fs::exists(folder / "runs.1" / "5" / "stdout"));  // the first run's last trial
        CHECK_FALSE(fs::exists(folder / "runs" / "5"));         // not among the new run's
        CHECK(hpo::load_checkpoint(folder / "hpo.h5").trials.size() == 3);

        // resume = false: a new run even with the same configuration; the previous one is kept too.
        hpo::random::Optimizer anew(evaluator(), {.evals = 3}, {.seed = 5, .resume = false, .parallel = 2});
        CHECK(optimize_in_folder(folder, anew, params).resumed_trials == 0);
        CHECK(hpo::load_checkpoint(folder / "hpo.2.h5").trials.size() == 3);
        CHECK(hpo::load_checkpoint(folder / "hpo.1.h5").trials.size() == 6);
    }
    SECTION("checkpoint_fn empty: no checkpoint is written or touched") {
        hpo::random::Optimizer none(evaluator(), {.evals = 2}, {.seed = 9, .checkpoint_fn = "", .parallel = 2});
        CHECK(optimize_in_folder(folder, none, params).trials.size() == 2);
        CHECK(hpo::load_checkpoint(folder / "hpo.h5").trials.size() == 6);
        CHECK_FALSE(fs::exists(folder / "hpo.1.h5"));
    }
}

TEST_CASE("driver optimizer: a smaller budget than its checkpoint spent starts a new run, keeping the first") {
    TempDir dir;
    const fs::path folder = dir.path / "project";
    const hpo::RunSettings settings{.seed = 4, .parallel = 2};
    hpo::genetic::Optimizer first(kernel_evaluator("runs"), {.generations = 3, .pop_size = 3}, settings);
    optimize_in_folder(folder, first, kernel_params());
    hpo::genetic::Optimizer fewer(kernel_evaluator("runs"), {.generations = 2, .pop_size = 3}, settings);
    const hpo::RunResult& fresh = optimize_in_folder(folder, fewer, kernel_params());
    CHECK(fresh.resumed_trials == 0);
    CHECK(hpo::load_checkpoint(folder / "hpo.1.h5").trials.size() == first.result().trials.size());
    CHECK(hpo::load_checkpoint(folder / "hpo.h5").trials.size() == fresh.trials.size());
    CHECK(fresh.trials.size() < first.result().trials.size());
}

TEST_CASE("driver optimizer: a new run under another checkpoint name, or none, keeps the earlier run's trial directories") {
    TempDir dir;
    const fs::path folder = dir.path / "project";
    hpo::random::Optimizer first(kernel_evaluator("runs"), {.evals = 3}, {.seed = 4, .checkpoint_fn = "a.h5", .parallel = 2});
    optimize_in_folder(folder, first, kernel_params());
    fs::create_directories(folder / "runs" / "1" / "model");  // what a kernel left in its directory
    hpo::random::Optimizer second(kernel_evaluator("runs"), {.evals = 2}, {.seed = 5, .checkpoint_fn = "b.h5", .parallel = 2});
    optimize_in_folder(folder, second, kernel_params());
    CHECK(fs::exists(folder / "runs.1" / "2" / "stdout"));  // the first run's, kept
    CHECK(fs::exists(folder / "runs.1" / "1" / "model"));
    CHECK_FALSE(fs::exists(folder / "runs" / "1" / "model"));  // never seen by the new run's trial 1
    CHECK_FALSE(fs::exists(folder / "runs" / "2"));
    CHECK(hpo::load_checkpoint(folder / "a.h5").trials.size() == 3);

    hpo::random::Optimizer none(kernel_evaluator("runs"), {.evals = 2}, {.seed = 6, .checkpoint_fn = "", .parallel = 2});
    optimize_in_folder(folder, none, kernel_params());
    CHECK(fs::exists(folder / "runs.2" / "1" / "stdout"));  // the second run's, kept
    CHECK(fs::exists(folder / "runs" / "1" / "stdout"));

    SECTION("a resumed run keeps using its own directories") {
        hpo::random::Optimizer again(kernel_evaluator("runs"), {.evals = 2}, {.seed = 5, .checkpoint_fn = "b.h5", .parallel = 2});
        fs::remove_all(folder / "runs");
        fs::rename(folder / "runs.2", folder / "runs");
        CHECK(optimize_in_folder(folder, again, kernel_params()).resumed_trials == 2);
        CHECK_FALSE(fs::exists(folder / "runs.2"));
    }
}

TEST_CASE("driver optimizer: another run in the same folder keeps the first run's logs, per-deme logs too") {
    TempDir dir;
    const fs::path folder = dir.path / "project";
    const auto read = [&](const char* name) {
        std::ifstream in(folder / name);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    hpo::genetic::Optimizer first(kernel_evaluator("runs"), {.generations = 2, .pop_size = 3, .num_demes = 2},
                                  {.seed = 4, .log_fn = "genetic.log", .parallel = 2});
    optimize_in_folder(folder, first, kernel_params());
    const std::string first_log = read("genetic.log"), first_deme_log = read("Deme2_genetic.log");
    REQUIRE(first_log.find("seed=4") != std::string::npos);
    REQUIRE_FALSE(first_deme_log.empty());

    hpo::genetic::Optimizer other(kernel_evaluator("runs"), {.generations = 2, .pop_size = 3, .num_demes = 2},
                                  {.seed = 5, .log_fn = "genetic.log", .parallel = 2});
    optimize_in_folder(folder, other, kernel_params());
    CHECK(read("genetic.1.log") == first_log);
    CHECK(read("Deme2_genetic.1.log") == first_deme_log);
    CHECK(read("genetic.log").find("seed=5") != std::string::npos);
    CHECK(read("genetic.log").find("seed=4") == std::string::npos);
    CHECK(fs::exists(folder / "Deme1_genetic.log"));
    CHECK(fs::exists(folder / "hpo.1.h5"));
}

// ---------------------------------------------------------------------------------------------
// The seed's Evaluator keywords verbose (echo_output) and src_path (stage_paths).

namespace {

// Captures what this process writes to its file descriptor 2 while alive: the kernels' echoed
// lines go there (output_echo.hpp), not through std::cerr.
class StderrCapture {
public:
    explicit StderrCapture(const fs::path& file) : path_(file), saved_(::dup(2)) {
        std::fflush(stderr);
        const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        REQUIRE(fd >= 0);
        ::dup2(fd, 2);
        ::close(fd);
    }
    ~StderrCapture() { restore(); }
    std::string text() {
        restore();
        std::ifstream in(path_);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

private:
    void restore() {
        if (saved_ < 0) return;
        ::dup2(saved_, 2);
        ::close(saved_);
        saved_ = -1;
    }
    fs::path path_;
    int saved_;
};

}  // namespace

TEST_CASE("driver Evaluator: echo_output and stage_paths reach the kernel's runs") {
    TempDir dir;
    const fs::path data = dir.path / "dataset";
    fs::create_directories(data);
    std::ofstream(data / "value.txt") << "0.125\n";
    // The kernel reads the staged directory through its link in the trial directory.
    const hpo::EvaluatorOptions options{.run_dir = dir.sub("runs"), .echo_output = true,
                                        .stage_paths = {data.string() + "/"}};
    const hpo::Evaluator evaluator = hpo::Evaluator::from_argv(
        {"sh", "-c", "v=$(cat dataset/value.txt) || exit 3; echo \"read $v\"; echo \"FoM: $v\"", "kernel"}, options);
    CHECK(evaluator.kernel().echo_output);
    CHECK(evaluator.kernel().stage_paths == std::vector<std::string>{data.string() + "/"});

    hpo::random::Optimizer optimizer(evaluator, {.evals = 2}, {.checkpoint_fn = dir.sub("run.h5"), .parallel = 2});
    const hpo::RunOptions run = optimizer.run_options(kernel_params());
    CHECK(run.kernel.stage_paths == std::vector<std::string>{data.string()});  // normalized
    CHECK(run.kernel.echo_output);

    StderrCapture captured(dir.path / "stderr.txt");
    optimize_in(dir, optimizer, kernel_params());
    const std::string echoed = captured.text();
    CHECK(optimizer.best_fom() == 0.125);
    CHECK(fs::read_symlink(fs::path(dir.sub("runs")) / "0" / "dataset") == data);
    for (const char* line : {"[trial 0] read 0.125\n", "[trial 1] read 0.125\n", "[trial 1] FoM: 0.125\n"}) {
        CHECK_THAT(echoed, Contains(line));
    }
    // Both are stored with the run.
    const hpo::Checkpoint stored = hpo::load_checkpoint(dir.sub("run.h5"));
    CHECK(stored.options.kernel.stage_paths == run.kernel.stage_paths);
    CHECK(stored.options.kernel.echo_output);
}

TEST_CASE("driver Evaluator: staged paths that clash or do not exist are refused, named") {
    TempDir dir;
    fs::create_directories(dir.path / "a" / "data");
    fs::create_directories(dir.path / "b" / "data");
    CHECK_THROWS_WITH(hpo::Evaluator("true", {.stage_paths = {dir.sub("a/data"), dir.sub("b/data/")}}),
                      Contains("would both be linked as 'data'"));
    CHECK_THROWS_WITH(hpo::Evaluator("true", {.stage_paths = {dir.sub("a/stderr")}}), Contains("hpo writes"));
    const hpo::random::Optimizer missing(hpo::Evaluator("true", {.stage_paths = {dir.sub("a/nothing")}}), {.evals = 1});
    CHECK_THROWS_WITH(missing.run_options(kernel_params()), Contains(dir.sub("a/nothing")) && Contains("does not exist"));
}
