// Checkpoints are ordinary HDF5: h5dump reads them, and h5py alone, following
// docs/checkpoint-format.md, finds every value the writer was given, the trials' steps and the
// intermediate values included (also in a killed writer's file).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "test_checkpoint_support.hpp"

using namespace checkpoint_test;
using hpo::CheckpointWriter;

namespace {

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string json_number(double x) {
    if (std::isnan(x)) return "NaN";  // Python's json reads these
    if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", x);
    return buffer;
}

std::string hex(const std::string& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

template <typename T, typename F>
std::string json_list(const std::vector<T>& items, F item) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + item(items[i]);
    return out + "]";
}

// What the h5py script must find, as it reports it: text as hex (messages need not be UTF-8).
std::string expected_json(const hpo::RunOptions& o, const std::vector<hpo::Trial>& trials,
                          const std::string& state, bool finished,
                          const std::vector<hpo::IntermediateValue>& intermediate = {}) {
    std::ostringstream out;
    out << "{\"format_version\": " << hpo::checkpoint_format_version << ",\n";
    out << "\"parameters\": " << json_list(o.space.parameters(), [](const hpo::Parameter& p) {
        return json_string(p.describe());
    }) << ",\n";
    out << "\"strategy\": " << json_string(std::string(hpo::strategy_name(o.strategy))) << ",\n";
    out << "\"evals\": " << std::get<hpo::RandomOptions>(o.strategy).evals << ",\n";
    out << "\"seed\": " << o.seed << ",\n";
    out << "\"maximize\": " << (o.maximize ? "true" : "false") << ",\n";
    out << "\"command\": " << json_list(o.kernel.command, json_string) << ",\n";
    out << "\"timeout_seconds\": " << json_number(o.kernel.timeout_seconds) << ",\n";
    out << "\"finished\": " << (finished ? "true" : "false") << ",\n";
    out << "\"strategy_state\": \"" << hex(state) << "\",\n";
    out << "\"trials\": [\n";
    for (std::size_t i = 0; i < trials.size(); ++i) {
        const hpo::Trial& t = trials[i];
        out << (i ? ",\n" : "") << "{\"id\": " << t.id << ", \"deme\": " << t.deme
            << ", \"generation\": " << t.generation << ", \"status\": " << json_string(std::string(hpo::to_string(t.status)))
            << ", \"fom\": " << json_number(t.fom) << ", \"steps\": " << t.steps
            << ", \"parent\": " << (t.parent ? std::to_string(*t.parent) : std::string("null")) << ", \"member\": " << t.member
            << ", \"repeat_of\": " << (t.repeat_of ? std::to_string(*t.repeat_of) : std::string("null"))
            << ", \"repeat\": " << t.repeat
            << ", \"exit_code\": " << t.exit_code << ", \"signal\": " << t.signal
            << ", \"start_time\": " << json_number(t.start_time) << ", \"end_time\": " << json_number(t.end_time)
            << ", \"host\": \"" << hex(t.host) << "\", \"worker\": " << t.worker << ", \"message\": \""
            << hex(t.message) << "\", \"values\": " << json_list(t.values, json_number) << ", \"choices\": {";
        bool first = true;
        for (std::size_t p = 0; p < o.space.size(); ++p) {
            if (o.space[p].kind() != hpo::ParameterKind::choice) continue;
            out << (first ? "" : ", ") << json_string(o.space[p].flag()) << ": "
                << json_string(o.space[p].options()[static_cast<std::size_t>(t.values[p])]);
            first = false;
        }
        out << "}}";
    }
    out << "\n],\n\"intermediate\": [\n";
    for (std::size_t i = 0; i < intermediate.size(); ++i) {
        const hpo::IntermediateValue& v = intermediate[i];
        out << (i ? ",\n" : "") << "{\"trial\": " << v.trial << ", \"step\": " << v.step
            << ", \"value\": " << json_number(v.value) << ", \"time\": " << json_number(v.time)
            << ", \"finished_before\": " << v.finished_before << "}";
    }
    out << "\n]}\n";
    return out.str();
}

CommandResult run_h5py_check(const std::string& python, const fs::path& file, const fs::path& expected,
                             bool swmr) {
    return run_command(shell_quote(python) + " " + shell_quote(h5py_script()) + " check " +
                       shell_quote(file.string()) + " " + shell_quote(expected.string()) + (swmr ? " --swmr" : ""));
}

}  // namespace

TEST_CASE("h5dump reads a checkpoint: format marker, statuses by name, every dataset") {
    if (run_command("command -v h5dump").exit_code != 0) {
        WARN("h5dump is not installed (Debian: hdf5-tools); skipped");
        return;
    }
    TempDir dir;
    const auto path = dir / "run.h5";
    {
        auto writer = CheckpointWriter::create(path, sample_options());
        writer.append(sample_trials(0, 12));
        writer.set_strategy_state("state");
        writer.close();
    }
    const auto dump = run_command("h5dump " + shell_quote(path.string()));
    INFO(dump.output.substr(0, 3000));
    REQUIRE(dump.exit_code == 0);
    CHECK_THAT(dump.output, Catch::Contains("\"hpo-checkpoint\"") && Catch::Contains("hpo_format_version"));
    for (const char* status : {"ok", "failed", "crashed", "timeout", "no_fom", "bad_fom", "pruned"})
        CHECK_THAT(dump.output, Catch::Contains(std::string(status) + ","));
    for (const char* name : {"DATASET \"fom\"", "DATASET \"id\"", "DATASET \"--lr\"", "DATASET \"--odd%2Fname%25\"",
                             "DATASET \"slot0\"", "DATASET \"commit\"", "GROUP \"config\"", "DATASET \"steps\"",
                             "GROUP \"intermediate\"", "DATASET \"finished_before\""})
        CHECK_THAT(dump.output, Catch::Contains(name));
    CHECK_THAT(dump.output, Catch::Contains("\"rms prop\""));  // a choice enum, by option name
}

TEST_CASE("h5py reads back every value that was written") {
    const auto python = h5py_python();
    if (!python) {
        WARN("no python3 with h5py (Debian: python3-h5py); skipped");
        return;
    }
    TempDir dir;
    const auto path = dir / "run.h5";
    const auto options = sample_options();
    const auto trials = sample_trials(0, 60);
    const auto intermediate = sample_intermediate(0, 150);
    std::string state;
    for (int i = 0; i < 300; ++i) state += static_cast<char>(i % 256);
    {
        auto writer = CheckpointWriter::create(path, options);
        writer.append(std::span(trials).first(25));
        writer.append_intermediate(std::span(intermediate).first(70));
        writer.set_strategy_state("an older state");
        writer.flush();
        writer.append(std::span(trials).subspan(25));
        writer.append_intermediate(std::span(intermediate).subspan(70));
        writer.set_strategy_state(state);
        writer.set_finished(true);
        writer.close();
    }
    write_bytes(dir / "expected.json", expected_json(options, trials, state, true, intermediate));
    const auto result = run_h5py_check(*python, path, dir / "expected.json", false);
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Catch::Contains("h5py read 60 trials and 150 intermediate values: all as written"));
}

TEST_CASE("h5py reads a killed writer's checkpoint in SWMR mode: its last commit") {
    const auto python = h5py_python();
    if (!python) {
        WARN("no python3 with h5py (Debian: python3-h5py); skipped");
        return;
    }
    TempDir dir;
    const auto path = dir / "run.h5";
    const auto options = sample_options();
    const auto trials = sample_trials(0, 30);
    CheckpointWriter::create(path, options).close();
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // never returns into the test runner
        ::close(fds[0]);
        try {
            auto writer = CheckpointWriter::open_for_append(path);
            writer.append(trials);
            writer.append_intermediate(sample_intermediate(0, 40));
            writer.set_strategy_state("committed");
            writer.flush();
            writer.append(sample_trials(30, 10));  // staged only: dies with the process
            writer.append_intermediate(sample_intermediate(40, 5));
            writer.set_strategy_state("never committed");
            const char ready = 1;
            if (::write(fds[1], &ready, 1) != 1) ::_exit(4);
            ::pause();
        } catch (...) {
        }
        ::_exit(3);
    }
    ::close(fds[1]);
    char ready = 0;
    REQUIRE(::read(fds[0], &ready, 1) == 1);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ::close(fds[0]);

    write_bytes(dir / "expected.json",
                expected_json(options, trials, "committed", false, sample_intermediate(0, 40)));
    const auto result = run_h5py_check(*python, path, dir / "expected.json", true);
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Catch::Contains("h5py read 30 trials and 40 intermediate values: all as written"));
}

// Files written before the worker column was named for what it holds (an index, not an MPI rank)
// call it `worker_rank`: they load, and a resumed run goes on appending to that column.
TEST_CASE("a checkpoint whose worker column has the old name worker_rank loads and can be continued") {
    const auto python = h5py_python();
    if (!python) {
        WARN("no python3 with h5py (Debian: python3-h5py) to rename the column; skipped");
        return;
    }
    TempDir dir;
    const auto options = sample_options();
    const auto trials = sample_trials(0, 40);  // workers -1..15: a column of zeros would not pass
    {
        auto writer = CheckpointWriter::create(dir / "new.h5", options);
        writer.append(std::span(trials).first(30));
        writer.set_strategy_state("state");
        writer.close();
    }
    const auto forged = run_command(shell_quote(*python) + " " + shell_quote(h5py_script()) + " forge " +
                                    shell_quote((dir / "new.h5").string()) + " " + shell_quote(dir.path().string()) +
                                    " worker-rank-name");
    INFO(forged.output);
    REQUIRE(forged.exit_code == 0);
    const auto path = dir / "worker-rank-name.h5";

    check_same_trials(hpo::load_checkpoint(path).trials, std::vector(trials.begin(), trials.begin() + 30));
    {
        auto writer = CheckpointWriter::open_for_append(path);
        writer.append(std::span(trials).subspan(30));
        writer.close();
    }
    check_same_trials(hpo::load_checkpoint(path).trials, trials);
    write_bytes(dir / "expected.json", expected_json(options, trials, "state", false));
    const auto result = run_h5py_check(*python, path, dir / "expected.json", false);
    INFO(result.output);
    CHECK(result.exit_code == 0);
}
