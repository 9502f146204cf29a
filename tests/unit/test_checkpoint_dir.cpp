// Checkpoint directories (exec/checkpoint_dir.hpp, run_kernel): a child's copy of its parent's
// directory, made by real kernels in real directories; the parent stays byte for byte what it was.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "hpo/exec/checkpoint_dir.hpp"
#include "hpo/exec/kernel.hpp"

namespace fs = std::filesystem;
using hpo::KernelConfig;
using hpo::KernelInvocation;
using hpo::TrialStatus;

namespace {

// A fresh run directory and checkpoint root per test case, removed at its end.
struct Scratch {
    fs::path dir;
    Scratch() {
        static int count = 0;
        dir = fs::temp_directory_path() / ("hpo-ckdir-test-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    fs::path root() const { return dir / "checkpoints"; }
};

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const fs::path& path, const std::string& data) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << data;
}

std::string random_bytes(std::size_t count, unsigned seed) {
    std::mt19937 generator(seed);
    std::string data(count, '\0');
    for (char& c : data) c = static_cast<char>(generator() & 0xff);
    return data;
}

// Every entry under `dir`: files by content, links by target, directories by an empty string.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> entries;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        const std::string name = fs::relative(entry.path(), dir).string();
        if (entry.is_symlink()) {
            entries[name] = "-> " + fs::read_symlink(entry.path()).string();
        } else if (entry.is_directory()) {
            entries[name] = "";
        } else {
            entries[name] = read_file(entry.path());
        }
    }
    return entries;
}

// A parent's directory as a training kernel leaves it: a model, a log, nested state, a link.
void fill_parent(const fs::path& dir) {
    write_file(dir / "model.bin", random_bytes(300 * 1024, 1));
    write_file(dir / "train.log", "round 1\n");
    write_file(dir / "state" / "optimizer" / "moments.bin", random_bytes(4096, 2));
    fs::create_directories(dir / "empty");
    fs::create_symlink("model.bin", dir / "latest");
}

KernelConfig shell_kernel(const Scratch& scratch, const std::string& script) {
    KernelConfig config;
    config.command = {"sh", "-c", script, "kernel"};
    config.run_dir = (scratch.dir / "runs").string();
    config.checkpoint_root = scratch.root().string();
    config.timeout_seconds = 60;  // a safety net only
    config.kill_grace_seconds = 0.5;
    return config;
}

hpo::KernelRun run(const KernelConfig& config, hpo::TrialId id, std::optional<hpo::TrialId> parent = {}) {
    KernelInvocation invocation;
    invocation.trial_id = id;
    invocation.parent = parent;
    return hpo::run_kernel(config, invocation);
}

}  // namespace

TEST_CASE("a child's kernel rewriting and appending to its copy leaves the parent's directory byte for byte",
          "[checkpoint_dir]") {
    Scratch scratch;
    const fs::path parent = scratch.root() / "1";
    fill_parent(parent);
    const auto before = snapshot(parent);

    // `>` opens with O_TRUNC and writes in place, as torch.save on an existing path does; `>>` appends.
    const auto child = run(shell_kernel(scratch,
                                        "cd \"$HPO_CHECKPOINT_DIR\" && printf new > model.bin && echo 'round 2' >> train.log &&"
                                        " printf x > state/optimizer/moments.bin && echo 'FoM: 1'"),
                           2, 1);
    REQUIRE(child.outcome.status == TrialStatus::ok);

    CHECK(snapshot(parent) == before);
    const fs::path copy = scratch.root() / "2";
    CHECK(read_file(copy / "model.bin") == "new");
    CHECK(read_file(copy / "train.log") == "round 1\nround 2\n");
    CHECK(read_file(copy / "state" / "optimizer" / "moments.bin") == "x");
    CHECK(fs::is_directory(copy / "empty"));
    REQUIRE(fs::is_symlink(copy / "latest"));
    CHECK(fs::read_symlink(copy / "latest") == "model.bin");  // relative: it points inside the copy
    CHECK(fs::equivalent(copy / "latest", copy / "model.bin"));
}

TEST_CASE("the copy is a tree of its own: same content, other inodes, no hard link", "[checkpoint_dir]") {
    Scratch scratch;
    const fs::path parent = scratch.root() / "4";
    fill_parent(parent);
    ::chmod((parent / "train.log").c_str(), 0640);
    const auto prepared = hpo::prepare_checkpoint_dir(scratch.root(), 5, 4);
    REQUIRE(prepared.failure.empty());
    CHECK(prepared.dir == scratch.root() / "5");
    CHECK(snapshot(prepared.dir) == snapshot(parent));
    for (const char* name : {"model.bin", "train.log", "state/optimizer/moments.bin"}) {
        struct stat from {}, to {};
        REQUIRE(::stat((parent / name).c_str(), &from) == 0);
        REQUIRE(::stat((prepared.dir / name).c_str(), &to) == 0);
        CHECK(from.st_ino != to.st_ino);
        CHECK(to.st_nlink == 1);
        CHECK((to.st_mode & 07777) == (from.st_mode & 07777));
    }
    // Nothing but the two directories: the partial copy was renamed into place.
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(scratch.root())) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"4", "5"});
}

TEST_CASE("a trial run again starts from a clean directory", "[checkpoint_dir]") {
    Scratch scratch;
    fill_parent(scratch.root() / "1");
    // Its first run (killed, say) left a half-trained model and a file its parent never had.
    write_file(scratch.root() / "7" / "model.bin", "half");
    write_file(scratch.root() / "7" / "stray.tmp", "x");
    auto prepared = hpo::prepare_checkpoint_dir(scratch.root(), 7, 1);
    REQUIRE(prepared.failure.empty());
    CHECK(snapshot(prepared.dir) == snapshot(scratch.root() / "1"));

    // Without a parent: empty.
    write_file(scratch.root() / "8" / "model.bin", "half");
    prepared = hpo::prepare_checkpoint_dir(scratch.root(), 8, std::nullopt);
    REQUIRE(prepared.failure.empty());
    CHECK(fs::is_directory(prepared.dir));
    CHECK(fs::is_empty(prepared.dir));
}

TEST_CASE("a missing parent directory is a failed trial, and its kernel never runs", "[checkpoint_dir]") {
    Scratch scratch;
    const auto child = run(shell_kernel(scratch, "touch \"$HPO_TRIAL_DIR/ran\"; echo 'FoM: 1'"), 3, 2);
    CHECK(child.outcome.status == TrialStatus::failed);
    CHECK_THAT(child.outcome.message, Catch::Contains("parent trial 2 is missing") &&
                                          Catch::Contains((scratch.root() / "2").string()));
    CHECK_FALSE(fs::exists(scratch.dir / "runs" / "3" / "ran"));
    CHECK_FALSE(fs::exists(scratch.root() / "3"));
}

TEST_CASE("a parent directory holding what cannot be copied fails the trial and leaves no partial copy",
          "[checkpoint_dir]") {
    Scratch scratch;
    fill_parent(scratch.root() / "1");
    REQUIRE(::mkfifo((scratch.root() / "1" / "state" / "pipe").c_str(), 0600) == 0);
    const auto child = run(shell_kernel(scratch, "echo 'FoM: 1'"), 2, 1);
    CHECK(child.outcome.status == TrialStatus::failed);
    CHECK_THAT(child.outcome.message, Catch::Contains("cannot copy the checkpoint directory of its parent trial 1") &&
                                          Catch::Contains("pipe"));
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(scratch.root())) names.push_back(entry.path().filename().string());
    CHECK(names == std::vector<std::string>{"1"});
}

TEST_CASE("a root hpo cannot create its directories in is a SetupError", "[checkpoint_dir]") {
    Scratch scratch;
    write_file(scratch.dir / "not-a-dir", "x");  // root permissions mean nothing to root: a file in the way
    KernelConfig config = shell_kernel(scratch, "echo 'FoM: 1'");
    config.checkpoint_root = (scratch.dir / "not-a-dir" / "checkpoints").string();
    CHECK_THROWS_AS(run(config, 1), hpo::SetupError);
}

TEST_CASE("@checkpoint in any word of the command and HPO_CHECKPOINT_DIR name the absolute directory",
          "[checkpoint_dir]") {
    Scratch scratch;
    KernelConfig config = shell_kernel(scratch,
                                       "printf '%s\\n' \"$HPO_CHECKPOINT_DIR\" \"$1\" \"$2\" > \"$HPO_TRIAL_DIR/seen\";"
                                       " echo 'FoM: 1'");
    config.command.push_back("@checkpoint");
    config.command.push_back("--load=@checkpoint/model.pt,--save=@checkpoint/model.pt");
    // A relative root means the run's own directory, wherever the kernel runs.
    const fs::path cwd = fs::current_path();
    fs::current_path(scratch.dir);
    config.checkpoint_root = "checkpoints";
    const auto trial = run(config, 9);
    fs::current_path(cwd);
    REQUIRE(trial.outcome.status == TrialStatus::ok);
    const std::string dir = (scratch.root() / "9").string();
    CHECK(read_file(scratch.dir / "runs" / "9" / "seen") ==
          dir + "\n" + dir + "\n--load=" + dir + "/model.pt,--save=" + dir + "/model.pt\n");
}

TEST_CASE("without a checkpoint root, @checkpoint is left as it is and no directory is made", "[checkpoint_dir]") {
    Scratch scratch;
    KernelConfig config = shell_kernel(scratch, "printf '%s|%s' \"$1\" \"${HPO_CHECKPOINT_DIR-unset}\" > seen; echo 'FoM: 1'");
    config.checkpoint_root.clear();
    config.command.push_back("@checkpoint");
    const auto trial = run(config, 1, 0);
    REQUIRE(trial.outcome.status == TrialStatus::ok);
    CHECK(read_file(scratch.dir / "runs" / "1" / "seen") == "@checkpoint|unset");
    CHECK_FALSE(fs::exists(scratch.root()));
}

TEST_CASE("the root's entries: trial ids are decimal numbers and nothing else", "[checkpoint_dir]") {
    CHECK(hpo::checkpoint_trial_of("0") == hpo::TrialId{0});
    CHECK(hpo::checkpoint_trial_of("42") == hpo::TrialId{42});
    CHECK_FALSE(hpo::checkpoint_trial_of(""));
    CHECK_FALSE(hpo::checkpoint_trial_of("007"));
    CHECK_FALSE(hpo::checkpoint_trial_of("4a"));
    CHECK_FALSE(hpo::checkpoint_trial_of("-1"));
    CHECK_FALSE(hpo::checkpoint_trial_of(".partial-3-100"));
    CHECK_FALSE(hpo::checkpoint_trial_of("99999999999999999999999"));
    CHECK(hpo::with_checkpoint_dir({"a@checkpointb@checkpoint", "@check"}, "/x@checkpoint") ==
          std::vector<std::string>{"a/x@checkpointb/x@checkpoint", "@check"});
}
