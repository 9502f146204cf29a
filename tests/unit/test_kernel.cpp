// run_kernel against the misbehaving-kernel catalogue (tests/kernels/exec_catalogue.c): each
// way a kernel can go wrong ends in its exact status, quickly, with nothing else lost.
#include <catch2/catch.hpp>

#include <signal.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "hpo/exec/kernel.hpp"

namespace fs = std::filesystem;
using hpo::KernelConfig;
using hpo::KernelHooks;
using hpo::KernelInvocation;
using hpo::KernelRun;
using hpo::TrialStatus;

namespace {

const std::string catalogue = std::string(HPO_TEST_KERNEL_DIR) + "/exec_catalogue";
const std::string script_dir = HPO_TEST_SCRIPT_DIR;

// One run directory per test process, removed at exit.
struct Scratch {
    fs::path root = fs::temp_directory_path() / ("hpo-exec-test-" + std::to_string(::getpid()));
    Scratch() {
        fs::remove_all(root);
        fs::create_directories(root);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
};

const fs::path& scratch() {
    static Scratch instance;
    return instance.root;
}

hpo::TrialId next_trial_id() {
    static std::atomic<hpo::TrialId> next{1};
    return next++;
}

KernelConfig config_for(const std::vector<std::string>& kernel_args) {
    KernelConfig config;
    config.command = {catalogue};
    config.command.insert(config.command.end(), kernel_args.begin(), kernel_args.end());
    config.run_dir = scratch().string();
    config.timeout_seconds = 20;  // a safety net: no test kernel should get near it
    config.kill_grace_seconds = 0.5;
    return config;
}

struct Result {
    KernelRun run;
    fs::path dir;
    double seconds = 0;
    const hpo::KernelOutcome& outcome() const { return run.outcome; }
};

Result run(const KernelConfig& config, KernelInvocation invocation = {}, const hpo::StopRequested& stop = {}) {
    invocation.trial_id = next_trial_id();
    const auto start = std::chrono::steady_clock::now();
    Result result;
    result.run = hpo::run_kernel(config, invocation, stop);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.dir = fs::absolute(config.run_dir) / std::to_string(invocation.trial_id);
    return result;
}

Result run_mode(const std::vector<std::string>& kernel_args) { return run(config_for(kernel_args)); }

KernelInvocation with_args(std::vector<std::string> args) {
    KernelInvocation invocation;
    invocation.hyperparameter_args = std::move(args);
    return invocation;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> split_nul(const std::string& data) {
    std::vector<std::string> out;
    std::size_t begin = 0;
    for (std::size_t end; (end = data.find('\0', begin)) != std::string::npos; begin = end + 1) {
        out.push_back(data.substr(begin, end - begin));
    }
    return out;
}

std::map<std::string, std::string> environment_of(const fs::path& file) {
    std::map<std::string, std::string> vars;
    for (const auto& entry : split_nul(read_file(file))) {
        const auto eq = entry.find('=');
        vars[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    return vars;
}

// An orphan is reparented to init, which in a container may never reap it: a zombie is gone too.
bool process_gone(pid_t pid) {
    for (int i = 0; i < 200; ++i) {
        if (::kill(pid, 0) != 0) return true;
        const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
        const auto close = stat.rfind(')');
        if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z') return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

pid_t pid_from_file(const fs::path& file) { return static_cast<pid_t>(std::stol(read_file(file))); }

// No child process left, alive or a zombie, but the group sentinel (exec/group_sentinel.hpp), which
// lives as long as this process. A live child with no arguments yet is one in the middle of its
// exec (posix_spawn returns once the new image replaced the old, a moment before the kernel gives
// it its arguments: the sentinel, started by the first kernel, seen in that moment on a loaded
// machine): it is looked at again, for a few seconds at most.
bool no_children_left() {
    for (int look = 0; look < 500; ++look) {
        bool starting = false;
        for (const auto& entry : fs::directory_iterator("/proc")) {
            const std::string stat = read_file(entry.path() / "stat");
            const auto after_name = stat.rfind(") ");
            if (after_name == std::string::npos) continue;
            std::istringstream fields(stat.substr(after_name + 2));
            std::string state;
            long ppid = 0;
            fields >> state >> ppid;
            if (ppid != ::getpid()) continue;
            const std::string cmdline = read_file(entry.path() / "cmdline");
            if (cmdline.empty() && state != "Z") {
                starting = true;
                continue;
            }
            if (cmdline.find("hpo-sentinel") == std::string::npos) return false;
        }
        if (!starting) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

long max_rss_kib() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

}  // namespace

TEST_CASE("a well-behaved kernel: ok, exact argv, environment, directory, streams", "[kernel]") {
    ::setenv("HPO_EXEC_TEST_INHERITED", "from the parent", 1);
    KernelInvocation invocation;
    invocation.deme = 2;
    invocation.generation = 7;
    invocation.hyperparameter_args = {"--lr=0.001", "--opt=a b;rm -rf x", "--empty=", "--q='\"$HOME\"' `id`",
                                      "line\nbreak", "--unicode=h\xc3\xa9"};
    invocation.extra_env = {{"HPO_NODES", "n1,n2"}, {"HPO_EXEC_TEST_EXTRA", "x y"}};
    const auto r = run(config_for({"ok"}), invocation);

    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK(r.outcome().fom == 0.25);
    CHECK(r.outcome().exit_code == 0);
    CHECK(r.outcome().signal == 0);
    CHECK(r.outcome().message.empty());
    CHECK_FALSE(r.run.stopped);
    const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    CHECK(r.outcome().start_time <= r.outcome().end_time);
    CHECK(r.outcome().start_time > now - 60);
    CHECK(r.outcome().end_time <= now);

    std::vector<std::string> expected_argv{catalogue, "ok"};
    expected_argv.insert(expected_argv.end(), invocation.hyperparameter_args.begin(),
                         invocation.hyperparameter_args.end());
    CHECK(split_nul(read_file(r.dir / "argv.bin")) == expected_argv);

    auto env = environment_of(r.dir / "environ.bin");
    CHECK(env["HPO_TRIAL_ID"] == r.dir.filename().string());
    CHECK(env["HPO_RUN_DIR"] == scratch().string());
    CHECK(env["HPO_TRIAL_DIR"] == r.dir.string());
    CHECK(env["HPO_DEME"] == "2");
    CHECK(env["HPO_GENERATION"] == "7");
    CHECK(env["HPO_NODES"] == "n1,n2");
    CHECK(env["HPO_EXEC_TEST_EXTRA"] == "x y");
    CHECK(env["HPO_EXEC_TEST_INHERITED"] == "from the parent");

    CHECK(fs::equivalent(read_file(r.dir / "cwd.txt"), r.dir));
    REQUIRE(fs::exists(r.dir / "fds.txt"));
    CHECK(read_file(r.dir / "fds.txt").empty());  // only 0, 1, 2: no pipe end leaked
    const std::string out = read_file(r.dir / "stdout");
    CHECK(out.find("stdin read returned 0\n") != std::string::npos);  // stdin is /dev/null
    CHECK(out.find("epoch 2 FoM: 0.25\n") != std::string::npos);
    CHECK(read_file(r.dir / "stderr") == "a warning on stderr\n");
    CHECK(no_children_left());
}

// The mask of one `Sig...:` line of the kernel's /proc/self/status dump.
unsigned long long signal_mask(const std::string& dump, const std::string& key) {
    const auto at = dump.find(key + ":");
    REQUIRE(at != std::string::npos);
    return std::stoull(dump.substr(at + key.size() + 1), nullptr, 16);
}

TEST_CASE("the kernel starts clean: own process group, nothing blocked, SIGTERM and SIGPIPE default", "[kernel]") {
    // hpo itself may ignore SIGPIPE, catch SIGUSR2 and block SIGUSR1 in the evaluating thread.
    struct sigaction ignore {}, handler {}, old_term {}, old_pipe {}, old_usr2 {};
    ignore.sa_handler = SIG_IGN;
    handler.sa_handler = [](int) {};
    ::sigaction(SIGTERM, &ignore, &old_term);
    ::sigaction(SIGPIPE, &ignore, &old_pipe);
    ::sigaction(SIGUSR2, &handler, &old_usr2);
    sigset_t usr1, old_mask;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    ::pthread_sigmask(SIG_BLOCK, &usr1, &old_mask);

    const auto r = run_mode({"ok"});

    ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
    ::sigaction(SIGPIPE, &old_pipe, nullptr);
    ::sigaction(SIGUSR2, &old_usr2, nullptr);

    REQUIRE(r.outcome().status == TrialStatus::ok);
    const std::string dump = read_file(r.dir / "signals.txt");
    CHECK(signal_mask(dump, "SigBlk") == 0);
    const auto ignored = signal_mask(dump, "SigIgn");
    CHECK((ignored & (1ULL << (SIGTERM - 1))) == 0);
    CHECK((ignored & (1ULL << (SIGPIPE - 1))) == 0);
    CHECK(dump.find("group_leader: 1") != std::string::npos);
}

TEST_CASE("a relative run directory is made absolute for the kernel", "[kernel]") {
    auto config = config_for({"ok"});
    config.run_dir = "hpo-exec-test-relative-" + std::to_string(::getpid()) + "/";
    const auto r = run(config);
    CHECK(r.outcome().status == TrialStatus::ok);
    auto env = environment_of(r.dir / "environ.bin");
    const fs::path expected = fs::absolute(config.run_dir).parent_path();
    CHECK(env["HPO_RUN_DIR"] == expected.string());
    CHECK(fs::path(env["HPO_TRIAL_DIR"]).is_absolute());
    fs::remove_all(expected);
}

TEST_CASE("crash by a signal: crashed, even after printing a FoM", "[kernel]") {
    auto r = run_mode({"segv"});
    CHECK(r.outcome().status == TrialStatus::crashed);
    CHECK(r.outcome().signal == SIGSEGV);
    CHECK(r.outcome().exit_code == -1);
    CHECK(r.outcome().fom == 1.0);  // recorded, but a crash is never a result
    CHECK_THAT(r.outcome().message, Catch::Contains("SIGSEGV"));

    r = run_mode({"abort"});
    CHECK(r.outcome().status == TrialStatus::crashed);
    CHECK(r.outcome().signal == SIGABRT);

    r = run_mode({"self_term"});  // SIGTERM not sent by us is a crash, not a timeout
    CHECK(r.outcome().status == TrialStatus::crashed);
    CHECK(r.outcome().signal == SIGTERM);
    CHECK(no_children_left());
}

TEST_CASE("non-zero exit: failed, even after printing a FoM", "[kernel]") {
    const auto r = run_mode({"exit", "3"});
    CHECK(r.outcome().status == TrialStatus::failed);
    CHECK(r.outcome().exit_code == 3);
    CHECK(r.outcome().signal == 0);
    CHECK(r.outcome().fom == 1.5);
    CHECK_THAT(r.outcome().message, Catch::Contains("exited with status 3"));
    CHECK_THAT(r.outcome().message, Catch::Contains("giving up with status 3"));  // the stderr tail
}

TEST_CASE("the stderr tail in the message is bounded", "[kernel]") {
    auto config = config_for({"exit", "4"});
    config.stderr_tail_bytes = 16;
    const auto r = run(config);
    CHECK_THAT(r.outcome().message, Catch::EndsWith("...p with status 4"));
    CHECK_THAT(r.outcome().message, !Catch::Contains("giving"));
    CHECK(read_file(r.dir / "stderr") == "giving up with status 4\n");  // the file has it all
}

TEST_CASE("hang past the timeout: SIGTERM to the group", "[kernel]") {
    auto config = config_for({"hang"});
    config.timeout_seconds = 0.5;
    const auto r = run(config);
    CHECK(r.outcome().status == TrialStatus::timeout);
    CHECK(r.outcome().signal == SIGTERM);
    CHECK(r.outcome().exit_code == -1);
    CHECK(r.outcome().fom == 3.0);
    CHECK_THAT(r.outcome().message, Catch::Contains("timed out"));
    CHECK_FALSE(r.run.stopped);
    CHECK(r.seconds >= 0.5);
    CHECK(r.seconds < 2.0);
    CHECK(read_file(r.dir / "stdout") == "FoM: 3\n");
}

TEST_CASE("ignores SIGTERM: the timeout still ends it with SIGKILL after the grace", "[kernel]") {
    auto config = config_for({"ignore_term"});
    config.timeout_seconds = 0.5;
    config.kill_grace_seconds = 0.5;
    const auto r = run(config);
    CHECK(r.outcome().status == TrialStatus::timeout);
    CHECK(r.outcome().signal == SIGKILL);
    CHECK_THAT(r.outcome().message, Catch::Contains("SIGKILL"));
    CHECK(r.seconds >= 1.0);
    CHECK(r.seconds < 3.0);
}

TEST_CASE("a timeout kills the kernel's children too", "[kernel]") {
    auto config = config_for({"hang_with_child"});
    config.timeout_seconds = 0.5;
    const auto r = run(config);
    CHECK(r.outcome().status == TrialStatus::timeout);
    CHECK(r.seconds < 2.0);
    CHECK(process_gone(pid_from_file(r.dir / "grandchild.pid")));
}

TEST_CASE("a kernel that closes its output keeps being watched", "[kernel]") {
    auto config = config_for({"close_and_hang"});
    config.timeout_seconds = 0.5;
    auto r = run(config);
    CHECK(r.outcome().status == TrialStatus::timeout);
    CHECK(r.seconds < 2.0);

    r = run_mode({"close_then_fom_file"});  // EOF on both pipes is not the end of the kernel
    CHECK(r.outcome().status == TrialStatus::no_fom);
    CHECK(fs::exists(r.dir / "late.txt"));
}

TEST_CASE("no FoM line: no_fom", "[kernel]") {
    const auto r = run_mode({"no_fom"});
    CHECK(r.outcome().status == TrialStatus::no_fom);
    CHECK(r.outcome().exit_code == 0);
    CHECK(std::isnan(r.outcome().fom));
    CHECK_THAT(r.outcome().message, Catch::Contains("FoM: "));
}

TEST_CASE("NaN or an unparsable last FoM: bad_fom", "[kernel]") {
    auto r = run_mode({"nan"});
    CHECK(r.outcome().status == TrialStatus::bad_fom);
    CHECK(std::isnan(r.outcome().fom));
    CHECK_THAT(r.outcome().message, Catch::Contains("NaN"));

    r = run_mode({"garbage"});
    CHECK(r.outcome().status == TrialStatus::bad_fom);
    CHECK(std::isnan(r.outcome().fom));
    CHECK_THAT(r.outcome().message, Catch::Contains("'twelve'"));
}

TEST_CASE("FoM printed twice: the last wins; inf is a value", "[kernel]") {
    auto r = run_mode({"twice"});
    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK(r.outcome().fom == 2.5);

    r = run_mode({"inf"});
    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK(r.outcome().fom == HUGE_VAL);

    r = run_mode({"no_newline"});
    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK(r.outcome().fom == 6.5);
}

TEST_CASE("floods stdout: files capped, memory bounded, the FoM after the flood found", "[kernel]") {
    auto config = config_for({"flood", "300"});
    config.output_limit_bytes = 1 << 20;
    const long rss_before = max_rss_kib();
    const auto r = run(config);
    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK(r.outcome().fom == 1.5);
    CHECK(fs::file_size(r.dir / "stdout") == config.output_limit_bytes);
    CHECK(fs::file_size(r.dir / "stderr") == config.output_limit_bytes);  // 4 MB of stderr, cut too
    CHECK_THAT(r.outcome().message, Catch::Contains("stdout file cut"));
    CHECK(max_rss_kib() - rss_before < 64 * 1024);
    CHECK(r.seconds < 15.0);
}

TEST_CASE("a FoM at the end of a megabyte-long progress-bar line is found", "[kernel]") {
    const auto r = run_mode({"long_line"});
    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK(r.outcome().fom == 8.0);
}

TEST_CASE("a grandchild holding the pipes open does not hang the run", "[kernel]") {
    const auto r = run_mode({"grandchild"});  // the grandchild would sleep 60 s
    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK(r.outcome().fom == 4.0);
    CHECK(r.seconds < 2.0);
    CHECK(process_gone(pid_from_file(r.dir / "grandchild.pid")));
    CHECK(no_children_left());
}

TEST_CASE("a process that left the group and holds the pipes: reading stops after a short drain", "[kernel]") {
    const auto r = run_mode({"escapee"});
    const pid_t escapee = pid_from_file(r.dir / "escapee.pid");
    ::kill(escapee, SIGKILL);  // beyond run_kernel's reach by design (setsid): the test cleans up
    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK(r.outcome().fom == 4.0);
    CHECK(r.seconds < 2.0);
    CHECK_THAT(r.outcome().message, Catch::Contains("kept the pipes open"));
}

TEST_CASE("prints to stderr only: no_fom with the stderr tail", "[kernel]") {
    const auto r = run_mode({"stderr_only"});
    CHECK(r.outcome().status == TrialStatus::no_fom);
    CHECK_THAT(r.outcome().message, Catch::Contains("error: dataset not found at /data/missing"));
    CHECK(read_file(r.dir / "stdout").empty());
}

TEST_CASE("exits before anything is read", "[kernel]") {
    for (int i = 0; i < 20; ++i) {
        auto r = run_mode({"quick"});
        CHECK(r.outcome().status == TrialStatus::ok);
        CHECK(r.outcome().fom == 7.0);
        r = run_mode({"quick_silent"});
        CHECK(r.outcome().status == TrialStatus::no_fom);
    }
    CHECK(no_children_left());
}

TEST_CASE("a command that cannot run: failed with a clear message", "[kernel]") {
    KernelConfig config = config_for({});
    config.command = {"hpo-no-such-command-for-tests", "arg"};
    auto r = run(config);
    CHECK(r.outcome().status == TrialStatus::failed);
    CHECK(r.outcome().exit_code == -1);
    CHECK_THAT(r.outcome().message, Catch::Contains("command not found") && Catch::Contains("hpo-no-such-command"));

    config.command = {"/nonexistent/dir/kernel"};
    r = run(config);
    CHECK(r.outcome().status == TrialStatus::failed);
    CHECK_THAT(r.outcome().message, Catch::Contains("/nonexistent/dir/kernel") && Catch::Contains("No such file"));

    const fs::path not_executable = scratch() / "not-executable";
    std::ofstream(not_executable) << "#!/bin/sh\necho 'FoM: 1'\n";
    fs::permissions(not_executable, fs::perms::owner_read | fs::perms::owner_write);
    config.command = {not_executable.string()};
    r = run(config);
    CHECK(r.outcome().status == TrialStatus::failed);
    if (::geteuid() != 0) CHECK_THAT(r.outcome().message, Catch::Contains("Permission denied"));
    CHECK(no_children_left());
}

TEST_CASE("script kernels, with or without a #! line", "[kernel]") {
    KernelConfig config = config_for({});
    config.command = {script_dir + "/exec_script.sh"};
    auto r = run(config, with_args({"0.75"}));
    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK(r.outcome().fom == 0.75);

    const fs::path bare = scratch() / "bare-script";
    std::ofstream(bare) << "echo \"FoM: $1\"\n";
    fs::permissions(bare, fs::perms::owner_all);
    config.command = {bare.string()};
    r = run(config, with_args({"3"}));
    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK(r.outcome().fom == 3.0);

    config.command = {"sh", "-c", "echo \"FoM: $0\"", "0.5"};  // found through PATH
    r = run(config);
    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK(r.outcome().fom == 0.5);
}

TEST_CASE("stop_requested ends a running kernel: stopped", "[kernel]") {
    auto config = config_for({"hang"});
    config.timeout_seconds = 0;
    const auto start = std::chrono::steady_clock::now();
    const auto r = run(config, {}, [&] { return std::chrono::steady_clock::now() - start > std::chrono::milliseconds(300); });
    CHECK(r.run.stopped);
    CHECK(r.outcome().status != TrialStatus::ok);
    CHECK(r.seconds < 1.5);
    CHECK(no_children_left());
}

TEST_CASE("stop_requested is asked at least every 100 ms", "[kernel]") {
    int asked = 0;
    const auto r = run(config_for({"sleep", "0.5"}), {}, [&] { return ++asked, false; });
    CHECK(r.outcome().status == TrialStatus::ok);
    CHECK_FALSE(r.run.stopped);
    CHECK(asked >= 5);
}

TEST_CASE("kernels run from several threads at once do not see each other's pipes", "[kernel]") {
    constexpr int threads = 6;
    std::vector<Result> results(threads);
    const auto start = std::chrono::steady_clock::now();
    {
        std::vector<std::jthread> pool;
        for (int i = 0; i < threads; ++i) pool.emplace_back([&results, i] { results[i] = run_mode({"sleep", "0.4"}); });
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const auto& r : results) {
        CHECK(r.outcome().status == TrialStatus::ok);
        CHECK(r.outcome().fom == 0.125);
        REQUIRE(fs::exists(r.dir / "fds.txt"));
        CHECK(read_file(r.dir / "fds.txt").empty());
    }
    CHECK(seconds < threads * 0.4);
    CHECK(no_children_left());
}

TEST_CASE("a trial directory that cannot be created is hpo's failure: SetupError naming it", "[kernel]") {
    const fs::path file = scratch() / "a-file";
    std::ofstream(file) << "x";
    auto config = config_for({"ok"});
    config.run_dir = (file / "runs").string();
    try {
        hpo::run_kernel(config, {});
        FAIL("run_kernel did not throw");
    } catch (const hpo::SetupError& error) {
        const std::string message = error.what();
        CHECK(message.find((file / "runs").string()) != std::string::npos);
        CHECK(message.find("Not a directory") != std::string::npos);
    }
    // A command that does not exist is the kernel's failure, as before: a failed trial.
    auto missing = config_for({"ok"});
    missing.command = {"/no/such/kernel"};
    const auto r = run(missing);
    CHECK(r.outcome().status == TrialStatus::failed);
}

TEST_CASE("a file in the way of a trial directory is hpo's failure too", "[kernel]") {
    auto config = config_for({"ok"});
    std::ofstream(scratch() / "900017") << "x";
    KernelInvocation invocation;
    invocation.trial_id = 900017;
    CHECK_THROWS_AS(hpo::run_kernel(config, invocation), hpo::SetupError);
}

TEST_CASE("a running kernel holds its trial directory's lock; it is free once the kernel ended", "[kernel]") {
    auto config = config_for({"sleep", "0.5"});
    KernelInvocation invocation;
    invocation.trial_id = 900041;
    const fs::path lock_file = scratch() / "900041" / ".hpo-lock";
    int while_running = -2;
    const auto probe = [&] {
        if (while_running != -2 || !fs::exists(lock_file)) return false;
        const int fd = ::open(lock_file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return false;
        while_running = ::flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : errno;
        ::close(fd);
        return false;
    };
    const auto finished = hpo::run_kernel(config, invocation, probe);
    CHECK(finished.outcome.status == TrialStatus::ok);
    CHECK(while_running == EWOULDBLOCK);
    const int fd = ::open(lock_file.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    CHECK(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    ::close(fd);
}

TEST_CASE("no descriptor left for the kernel's pipes is hpo's failure: SetupError naming the errno", "[kernel]") {
    auto config = config_for({"ok"});
    // A descriptor limit that leaves exactly three free: the lock and the two output files.
    int highest = 2;
    for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
        highest = std::max(highest, std::stoi(entry.path().filename().string()));
    }
    const int limit = std::max(256, highest + 8);
    std::vector<int> fillers;
    for (;;) {
        const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        fillers.push_back(fd);
        if (fd >= limit - 4) break;
    }
    rlimit saved{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
    rlimit tight = saved;
    tight.rlim_cur = static_cast<rlim_t>(limit);
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &tight) == 0);
    std::string message;
    try {
        (void)run(config);
    } catch (const hpo::SetupError& error) {
        message = error.what();
    }
    ::setrlimit(RLIMIT_NOFILE, &saved);
    for (const int fd : fillers) ::close(fd);
    CHECK(message.find("pipe") != std::string::npos);
    CHECK(message.find("Too many open files") != std::string::npos);
    CHECK(no_children_left());
}

TEST_CASE("on_step hears every FoM line as it is read, and the outcome counts them", "[kernel]") {
    std::vector<std::pair<int, double>> heard;
    KernelHooks hooks;
    hooks.on_step = [&](int step, double value) { heard.emplace_back(step, value); };
    auto config = config_for({"fom_lines", "100000"});
    KernelInvocation invocation;
    invocation.trial_id = next_trial_id();
    const KernelRun run = hpo::run_kernel(config, invocation, hooks);
    CHECK(run.outcome.status == TrialStatus::ok);
    CHECK(run.outcome.steps == 100000);
    CHECK(run.outcome.fom == 100000);
    REQUIRE(heard.size() == 100000);
    for (std::size_t i = 0; i < heard.size(); i += 9973) {
        CHECK(heard[i].first == static_cast<int>(i + 1));
        CHECK(heard[i].second == static_cast<double>(i + 1));
    }
}

TEST_CASE("prune_requested stops the kernel's group as pruned: a result with its last FoM", "[kernel]") {
    KernelHooks hooks;
    int steps_seen = 0;
    hooks.on_step = [&](int, double) { ++steps_seen; };
    hooks.prune_requested = [&] { return steps_seen > 0; };
    auto config = config_for({"hang"});  // prints FoM: 3, then sleeps forever
    KernelInvocation invocation;
    invocation.trial_id = next_trial_id();
    const KernelRun run = hpo::run_kernel(config, invocation, hooks);
    CHECK_FALSE(run.stopped);  // a result, not a trial to run again
    CHECK(run.outcome.status == TrialStatus::pruned);
    CHECK(run.outcome.fom == 3);
    CHECK(run.outcome.steps == 1);
    CHECK(run.outcome.signal == SIGTERM);
    CHECK_THAT(run.outcome.message, Catch::Contains("pruning rule") && Catch::Contains("SIGTERM"));
    CHECK(no_children_left());
}

TEST_CASE("a pruned kernel that ignores SIGTERM gets SIGKILL after the grace period", "[kernel]") {
    KernelHooks hooks;
    const auto start = std::chrono::steady_clock::now();
    hooks.prune_requested = [&] { return std::chrono::steady_clock::now() - start > std::chrono::milliseconds(200); };
    auto config = config_for({"ignore_term"});
    KernelInvocation invocation;
    invocation.trial_id = next_trial_id();
    const KernelRun run = hpo::run_kernel(config, invocation, hooks);
    CHECK(run.outcome.status == TrialStatus::pruned);
    CHECK(run.outcome.signal == SIGKILL);
    CHECK(run.outcome.steps == 0);
    CHECK(std::isnan(run.outcome.fom));
    CHECK_THAT(run.outcome.message, Catch::Contains("SIGKILL"));
    CHECK(no_children_left());
}

TEST_CASE("a stop wins over a prune asked at the same poll: the trial is run again, not pruned", "[kernel]") {
    KernelHooks hooks;
    const auto start = std::chrono::steady_clock::now();
    const auto later = [&] { return std::chrono::steady_clock::now() - start > std::chrono::milliseconds(200); };
    hooks.stop_requested = later;
    hooks.prune_requested = later;
    KernelInvocation invocation;
    invocation.trial_id = next_trial_id();
    const KernelRun run = hpo::run_kernel(config_for({"hang"}), invocation, hooks);
    CHECK(run.stopped);
    CHECK(run.outcome.status != TrialStatus::pruned);
}
