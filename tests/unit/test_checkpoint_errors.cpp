// The bad-checkpoint catalogue: every kind of unusable file gets a CheckpointError that names the
// file and the problem, from load_checkpoint and from open_for_append alike, and the file is left
// exactly as it was.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_checkpoint_support.hpp"

using namespace checkpoint_test;
using hpo::CheckpointError;
using hpo::CheckpointWriter;

namespace {

fs::path write_good_checkpoint(const TempDir& dir, const std::string& name = "good.h5") {
    const auto path = dir / name;
    auto writer = CheckpointWriter::create(path, sample_options());
    for (std::uint64_t i = 0; i < 400; i += 40) {
        writer.append(sample_trials(i, 40));
        writer.append_intermediate(sample_intermediate(i, 120));
        writer.flush();
    }
    writer.set_strategy_state("population");
    writer.close();
    return path;
}

// Both entry points refuse `path` with a message naming it and containing `problem`, and neither
// changes a byte of it nor leaves anything beside it.
void check_refused(const fs::path& path, const std::string& problem) {
    INFO("file " << path << ", expected problem: " << problem);
    const bool existed = fs::exists(path);
    const std::string before = existed && fs::is_regular_file(path) ? file_bytes(path) : std::string();
    const auto siblings_before = std::distance(fs::directory_iterator(path.parent_path()), fs::directory_iterator());
    for (int entry = 0; entry < 2; ++entry) {
        try {
            if (entry == 0) hpo::load_checkpoint(path);
            else CheckpointWriter::open_for_append(path);
            FAIL((entry == 0 ? "load_checkpoint" : "open_for_append") << " accepted the file");
        } catch (const CheckpointError& e) {
            CHECK_THAT(e.what(), Catch::Contains("'" + path.string() + "'") && Catch::Contains(problem));
        }
        if (existed && fs::is_regular_file(path)) CHECK(file_bytes(path) == before);
        CHECK(std::distance(fs::directory_iterator(path.parent_path()), fs::directory_iterator()) == siblings_before);
    }
}

}  // namespace

TEST_CASE("files that are not checkpoints at all are refused") {
    TempDir dir;
    check_refused(dir / "missing.h5", "does not exist");
    fs::create_directory(dir / "directory.h5");
    check_refused(dir / "directory.h5", "not a regular file");
    write_bytes(dir / "empty.h5", "");
    check_refused(dir / "empty.h5", "empty");
    write_bytes(dir / "text.h5", "id,fom\n1,0.5\n");
    check_refused(dir / "text.h5", "not an HDF5 file");
    std::string noise;
    for (int i = 0; i < 100000; ++i) noise += static_cast<char>(i * 2654435761u >> 24);
    write_bytes(dir / "noise.h5", noise);
    check_refused(dir / "noise.h5", "not an HDF5 file");
}

TEST_CASE("truncated checkpoints are refused") {
    TempDir dir;
    const std::string good = file_bytes(write_good_checkpoint(dir));
    for (const std::size_t size : {std::size_t{100}, std::size_t{2000}, good.size() / 10, good.size() / 2,
                                   good.size() - 1}) {
        const auto path = dir / ("cut-" + std::to_string(size) + ".h5");
        write_bytes(path, good.substr(0, size));
        check_refused(path, "truncated");
    }
}

TEST_CASE("a killed writer's checkpoint that was then truncated is refused") {
    TempDir dir;
    const auto path = write_good_checkpoint(dir, "crashed.h5");
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // never returns into the test runner
        try {
            auto writer = CheckpointWriter::open_for_append(path);
            writer.append(sample_trials(400, 10));
            writer.flush();
            ::raise(SIGKILL);
        } catch (...) {
        }
        ::_exit(3);
    }
    ::waitpid(pid, nullptr, 0);
    REQUIRE(hpo::load_checkpoint(path).trials.size() == 410);
    const std::string bytes = file_bytes(path);
    write_bytes(path, bytes.substr(0, bytes.size() / 3));
    check_refused(path, "");  // HDF5's own reason varies with where the cut falls
}

TEST_CASE("HDF5 files that are not sound hpo checkpoints are refused") {
    const auto python = h5py_python();
    if (!python) {
        WARN("no python3 with h5py (Debian: python3-h5py) to forge bad files; skipped");
        return;
    }
    TempDir dir;
    const auto good = write_good_checkpoint(dir);
    const std::pair<const char*, const char*> catalogue[] = {
        {"foreign", "not an hpo checkpoint"},
        {"no-format", "not an hpo checkpoint"},
        {"other-format", "'optuna-journal'"},
        {"newer-version", "format version 99 is newer than this hpo reads"},
        {"zero-version", "unknown checkpoint format version 0"},
        {"no-version", "no 'hpo_format_version'"},
        {"missing-fom", "missing dataset /trials/fom"},
        {"missing-value-column", "missing dataset /trials/values/"},
        {"missing-commit", "missing dataset /commit"},
        {"missing-config", "missing group /config"},
        {"missing-kernel-option", "missing attribute 'fom_prefix' of /config/kernel"},
        {"bad-parameter-spec", "parameter spec '--lr [1,0]'"},
        {"edited-config", "/config does not match its checksum"},
        {"bad-commit", "no valid commit record"},
        {"damaged-commit", "of /commit does not match its checksum"},
        {"short-column", "dataset /trials/deme holds 200 entries, the last commit counts 400"},
        {"bad-state", "strategy state does not match its checksum"},
        {"short-intermediate", "dataset /intermediate/value holds 600 entries, the last commit counts 1200"},
        {"float-intermediate-step", "dataset /intermediate/step is not int32"},
        {"missing-intermediate", "missing group /intermediate"},
        {"missing-steps", "missing dataset /trials/steps"},
        {"missing-parent", "missing dataset /trials/parent"},
        {"short-member", "dataset /trials/member holds 200 entries, the last commit counts 400"},
    };
    std::string kinds;
    for (const auto& [kind, problem] : catalogue) kinds += std::string(" ") + kind;
    const auto forged = run_command(shell_quote(*python) + " " + shell_quote(h5py_script()) + " forge " +
                                    shell_quote(good.string()) + " " + shell_quote(dir.path().string()) + kinds);
    INFO(forged.output);
    REQUIRE(forged.exit_code == 0);
    for (const auto& [kind, problem] : catalogue) {
        INFO("forged: " << kind);
        check_refused(dir / (std::string(kind) + ".h5"), problem);
    }
}

// The chunk of /trials/fom that holds row 0, located with h5py: its offset in the file.
static std::optional<std::size_t> first_fom_chunk(const fs::path& path) {
    const auto python = h5py_python();
    if (!python) return std::nullopt;
    const auto out = run_command(shell_quote(*python) + " -c " +
                                 shell_quote("import sys, h5py\n"
                                             "f = h5py.File(sys.argv[1], 'r', swmr=True)\n"
                                             "print(f['trials/fom'].id.get_chunk_info(0).byte_offset)\n") +
                                 " " + shell_quote(path.string()));
    if (out.exit_code != 0) return std::nullopt;
    return static_cast<std::size_t>(std::stoull(out.output));
}

TEST_CASE("a damaged chunk is refused; only a killed writer's last chunk may be torn") {
    TempDir dir;
    const auto path = dir / "live.h5";
    auto writer = CheckpointWriter::create(path, sample_options());
    writer.append(sample_trials(0, 10));
    writer.flush();
    // A copy while the writer has it open: as a writer killed now would leave it. Then the bytes of
    // rows past the commit change, as a torn rewrite of the chunk would leave them (new rows
    // written, the checksum not yet): its checksum fails, its committed rows are intact.
    const std::string live = file_bytes(path);
    const auto chunk = first_fom_chunk(path);
    if (!chunk) {
        WARN("no python3 with h5py to locate a chunk; skipped");
        return;
    }
    auto damage = [&](std::string bytes, std::size_t at) {
        bytes[at] = static_cast<char>(bytes[at] ^ 0x40);
        return bytes;
    };
    write_bytes(dir / "killed.h5", damage(live, *chunk + 8 * 20));  // row 20 of 1023: not committed
    check_same_trials(hpo::load_checkpoint(dir / "killed.h5").trials, sample_trials(0, 10));
    // A cleanly closed file never skips a checksum: damage anywhere in a chunk is refused.
    writer.close();
    const std::string closed = file_bytes(path);
    const auto closed_chunk = first_fom_chunk(path);
    REQUIRE(closed_chunk);
    // (load_checkpoint reads every row; open_for_append checks the structure, not every row, and
    // hpo resume loads the checkpoint first.)
    for (const std::size_t row : {20, 3}) {
        const auto damaged = dir / ("closed-" + std::to_string(row) + ".h5");
        const std::string bytes = damage(closed, *closed_chunk + 8 * row);
        write_bytes(damaged, bytes);
        CHECK_THROWS_WITH(hpo::load_checkpoint(damaged),
                          Catch::Contains(damaged.string()) && Catch::Contains("reading /trials/fom"));
        CHECK(file_bytes(damaged) == bytes);
    }
}
