// Shared fixtures of the checkpoint tests: a sample run configuration and trials that exercise every
// field, comparisons that treat NaN as equal to itself, temporary directories, external tools.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "hpo/store/checkpoint.hpp"
#include "hpo/store/checkpoint_writer.hpp"

namespace checkpoint_test {

namespace fs = std::filesystem;

// The hpo binary ctest names in HPO_BIN, none when run outside ctest (the test is then skipped).
inline std::optional<std::string> hpo_bin() {
    const char* bin = std::getenv("HPO_BIN");
    if (!bin || !fs::exists(bin)) return std::nullopt;
    return std::string(bin);
}

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "hpo-checkpoint-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

// Every kind of parameter, and every option set away from its default.
inline hpo::RunOptions sample_options() {
    hpo::RunOptions o;
    o.space = hpo::SearchSpace({
        hpo::Parameter::float_range("-a", -1.0, 1.0, false, 0.5),
        hpo::Parameter::float_range("--lr", 1e-5, 0.1, true, 0.001),
        hpo::Parameter::int_range("--layers", 1, 8, false, 2),
        hpo::Parameter::int_range("--width", 16, 1024, true),
        hpo::Parameter::choice("--opt", {"adam", "sgd", "rms prop", "ünïcødé"}, std::string("sgd")),
        hpo::Parameter::choice("--batch", {"16", "32", "64"}),
        hpo::Parameter::float_range("--odd/name%", 0.0, 2.0),
    });
    o.strategy = hpo::RandomOptions{.evals = 321};
    o.kernel.command = {"python3", "train model.py", "--data=\"x y\"", "", "naïve"};
    o.kernel.fom_prefix = "Loss = ";
    o.kernel.timeout_seconds = 12.5;
    o.kernel.kill_grace_seconds = 2;
    o.kernel.run_dir = "/scratch/run dir";
    o.kernel.stderr_tail_bytes = 4096;
    o.kernel.output_limit_bytes = 1 << 20;
    o.kernel.launcher = hpo::Launcher::srun;
    o.kernel.nodes_per_eval = 2;
    o.kernel.launch_args = {"--ntasks-per-node=4", "--export=ALL,A=b c"};
    o.kernel.echo_output = true;
    o.kernel.stage_paths = {"/data/set one", "/home/me/src"};
    o.kernel.checkpoint_root = "/scratch/check points";
    o.arg_style = hpo::ArgStyle::space;
    o.maximize = true;
    o.seed = 18446744073709551615ull;
    o.parallel = 6;
    o.log_fn = "genetic.log";
    o.progress = false;
    o.quiet = true;
    o.checkpoint_interval = 2.5;
    o.worker_timeout_seconds = 45;
    o.keep_checkpoints = hpo::KeepCheckpoints::all;
    return o;
}

// A deterministic trial per id: every status (pruned one id in seven), NaN and infinite FoMs,
// empty, long and non-ASCII text, negative numbers, bytes that are not UTF-8 (stderr can hold
// anything), steps from 0 to 10, no parent (one id in five) or an earlier trial, members 0 to 3.
inline hpo::Trial sample_trial(std::uint64_t id) {
    using hpo::TrialStatus;
    static const TrialStatus statuses[] = {TrialStatus::ok,      TrialStatus::failed, TrialStatus::crashed,
                                           TrialStatus::timeout, TrialStatus::no_fom, TrialStatus::bad_fom};
    const double foms[] = {0.25, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(), -1e-300, 1.2345e+300};
    static const char raw_bytes[] = "nul\0byte and \xff\xfe not utf-8";
    static const std::string messages[] = {
        "", "exit code 3; stderr tail:\nTraceback (most recent call last):\n  ValueError: lr",
        "killed by signal 9 (Killed) — ☠ ünïcødé ✓", std::string(5000, 'x') + "END",
        std::string(raw_bytes, sizeof raw_bytes - 1)};
    static const std::string hosts[] = {"nid001234", "", "login-node.cluster.example.org", "nid001235"};
    hpo::Trial t;
    t.id = id;
    t.deme = static_cast<int>(id % 3);
    t.generation = static_cast<int>(id / 7);
    t.values = {-1.0 + static_cast<double>(id % 200) / 100.0, 1e-5 * std::pow(1.05, static_cast<double>(id % 100)),
                static_cast<double>(1 + id % 8), static_cast<double>(16 + id % 1000),
                static_cast<double>(id % 4), static_cast<double>(id % 3), 2.0 * static_cast<double>(id % 5) / 4.0};
    t.status = statuses[id % 6];
    t.fom = foms[(id / 6) % 6];
    t.exit_code = t.status == TrialStatus::failed ? static_cast<int>(id % 255) : (t.status == TrialStatus::ok ? 0 : -1);
    t.signal = t.status == TrialStatus::crashed ? 9 : 0;
    t.start_time = 1.7e9 + static_cast<double>(id) * 0.5;
    t.end_time = t.start_time + 0.125;
    t.host = hosts[id % 4];
    t.worker = static_cast<int>(id % 17) - 1;
    t.message = messages[id % 5];
    if (id % 7 == 6) t.status = TrialStatus::pruned;
    t.steps = static_cast<int>(id % 11);
    if (id % 5 != 0) t.parent = id / 2;
    t.member = static_cast<int>(id % 4);
    if (id % 9 == 8) {  // a repeat (--confirm-top) of an older trial
        t.repeat_of = id / 4;
        t.repeat = 1 + static_cast<int>(id % 3);
    }
    return t;
}

inline std::vector<hpo::Trial> sample_trials(std::uint64_t first, std::size_t count) {
    std::vector<hpo::Trial> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back(sample_trial(first + i));
    return out;
}

// Intermediate values as a pruned run records them: trial `first + k / 3` at steps 1, 3, 9 (ASHA's
// rungs), values of every kind (NaN, infinities, negatives), times and finished counts growing.
inline std::vector<hpo::IntermediateValue> sample_intermediate(std::uint64_t first, std::size_t count) {
    const double values[] = {0.5, std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::infinity(),
                             1e300, -0.0, 3.25};
    std::vector<hpo::IntermediateValue> out;
    for (std::size_t k = 0; k < count; ++k) {
        const std::uint64_t n = first * 3 + k;  // the n-th value of the run
        out.push_back({first + k / 3, static_cast<int>(std::pow(3, static_cast<double>(n % 3))), values[n % 6],
                       1.7e9 + static_cast<double>(n) * 0.25, n / 4});
    }
    return out;
}

inline bool same_double(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

inline bool same_trial(const hpo::Trial& a, const hpo::Trial& b) {
    if (a.values.size() != b.values.size()) return false;
    for (std::size_t i = 0; i < a.values.size(); ++i)
        if (!same_double(a.values[i], b.values[i])) return false;
    return a.id == b.id && a.deme == b.deme && a.generation == b.generation && a.status == b.status &&
           same_double(a.fom, b.fom) && a.exit_code == b.exit_code && a.signal == b.signal &&
           same_double(a.start_time, b.start_time) && same_double(a.end_time, b.end_time) && a.host == b.host &&
           a.worker == b.worker && a.message == b.message && a.steps == b.steps && a.parent == b.parent &&
           a.member == b.member && a.repeat_of == b.repeat_of && a.repeat == b.repeat;
}

inline void check_same_intermediate(const std::vector<hpo::IntermediateValue>& got,
                                    const std::vector<hpo::IntermediateValue>& expected) {
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO("intermediate value " << i);
        CHECK(got[i].trial == expected[i].trial);
        CHECK(got[i].step == expected[i].step);
        CHECK(same_double(got[i].value, expected[i].value));
        CHECK(std::signbit(got[i].value) == std::signbit(expected[i].value));
        CHECK(got[i].time == expected[i].time);
        CHECK(got[i].finished_before == expected[i].finished_before);
    }
}

inline void check_same_trials(const std::vector<hpo::Trial>& got, const std::vector<hpo::Trial>& expected) {
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO("trial " << i << " (id " << expected[i].id << ")");
        CHECK(same_trial(got[i], expected[i]));
    }
}

inline void check_same_options(const hpo::RunOptions& a, const hpo::RunOptions& b) {
    CHECK(a.space == b.space);
    CHECK(hpo::strategy_name(a.strategy) == hpo::strategy_name(b.strategy));
    CHECK(a.strategy == b.strategy);
    CHECK(a.kernel == b.kernel);
    CHECK(a.arg_style == b.arg_style);
    CHECK(a.maximize == b.maximize);
    CHECK(a.seed == b.seed);
    CHECK(a.parallel == b.parallel);
    CHECK(a.log_fn == b.log_fn);
    CHECK(a.progress == b.progress);
    CHECK(a.quiet == b.quiet);
    CHECK(a.checkpoint_interval == b.checkpoint_interval);
    CHECK(a.worker_timeout_seconds == b.worker_timeout_seconds);
    CHECK(a.keep_checkpoints == b.keep_checkpoints);
    CHECK(a.confirm == b.confirm);
}

// The whole content, to prove that reading left a file untouched.
inline std::string file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_bytes(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

inline std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr
};

inline CommandResult run_command(const std::string& command) {
    CommandResult result;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return result;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

// A Python that can import h5py: $HPO_PYTHON, python3 on the PATH, or the system's (a pyenv or
// virtualenv python3 first on the PATH often lacks the distribution's python3-h5py).
inline std::optional<std::string> find_h5py_python() {
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("HPO_PYTHON")) candidates.emplace_back(env);
    candidates.insert(candidates.end(), {"python3", "/usr/bin/python3", "/usr/local/bin/python3"});
    for (const auto& python : candidates)
        if (run_command(shell_quote(python) + " -c 'import h5py'").exit_code == 0) return python;
    return std::nullopt;
}

inline std::optional<std::string> h5py_python() {
    static const std::optional<std::string> python = find_h5py_python();
    return python;
}

// The helper script beside this file (not found from __FILE__: a compiler cache may make it relative).
inline std::string h5py_script() {
    return (fs::path(HPO_TEST_UNIT_DIR) / "checkpoint_h5py_check.py").string();
}

}  // namespace checkpoint_test
