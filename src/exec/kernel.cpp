// run_kernel: one evaluation from the trial directory to the status taxonomy (README: The training kernel).
#include "hpo/exec/kernel.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "hpo/exec/checkpoint_dir.hpp"
#include "hpo/exec/hostlist.hpp"
#include "group_sentinel.hpp"
#include "output_capture.hpp"
#include "slurm_step.hpp"
#include "spawn.hpp"
#include "stage_links.hpp"
#include "trial_lock.hpp"
#include "errno_text.hpp"
#include "unique_fd.hpp"
#include "watch.hpp"

extern char** environ;

namespace hpo {

namespace {

namespace fs = std::filesystem;
using namespace exec_detail;

constexpr std::size_t quoted_fom_bytes = 80;

// How long a finished kernel's echoed lines (--echo-output) may take to reach hpo's stderr before
// its result goes on without them: only a stuck stderr takes that long.
constexpr double echo_patience_seconds = 2;

double epoch_seconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string seconds_text(double s) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g s", s);
    return buffer;
}

std::string signal_name(int sig) {
    static constexpr std::pair<int, const char*> names[] = {
        {SIGHUP, "SIGHUP"}, {SIGINT, "SIGINT"}, {SIGQUIT, "SIGQUIT"}, {SIGILL, "SIGILL"},
        {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"}, {SIGFPE, "SIGFPE"},
        {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
        {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"}, {SIGXCPU, "SIGXCPU"},
        {SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"}};
    for (const auto& [number, name] : names) {
        if (number == sig) return name;
    }
    return "signal " + std::to_string(sig);
}

struct TrialPaths {
    fs::path run_dir;    // absolute
    fs::path trial_dir;
    fs::path checkpoint_dir;  // absolute; empty without KernelConfig::checkpoint_root
};

// Resolved before the kernel starts: it runs in its trial directory, and a relative run dir must
// mean the same place for the coordinator's records and for the kernel. The run directory
// exists after the first trial, so one mkdir is the common case.
TrialPaths make_trial_dir(const KernelConfig& config, TrialId id) {
    std::error_code ec;
    const fs::path given(config.run_dir);
    fs::path run_dir = (given.is_absolute() ? given : fs::absolute(given, ec)).lexically_normal();
    if (ec) throw SetupError("cannot resolve run directory '" + config.run_dir + "': " + ec.message());
    if (!run_dir.has_filename() && run_dir != run_dir.root_path()) run_dir = run_dir.parent_path();
    fs::path trial_dir = run_dir / std::to_string(id);
    if (::mkdir(trial_dir.c_str(), 0777) == 0) return {run_dir, trial_dir, {}};
    if (errno == EEXIST) {  // a trial run again after a resume: its directory is reused
        if (!fs::is_directory(trial_dir, ec)) {
            throw SetupError("cannot create trial directory " + trial_dir.string() + ": a file is in the way");
        }
    } else {
        fs::create_directories(trial_dir, ec);  // the run directory itself is missing
        if (ec) throw SetupError("cannot create trial directory " + trial_dir.string() + ": " + ec.message());
    }
    return {run_dir, trial_dir, {}};
}

UniqueFd open_output_file(const fs::path& path) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd) throw SetupError("cannot create " + path.string() + ": " + errno_text(errno));
    return fd;
}

// One node per line, for `mpirun --hostfile` and the like inside the kernel.
fs::path write_nodefile(const fs::path& trial_dir, const std::vector<std::string>& nodes) {
    const fs::path path = trial_dir / "nodefile";
    std::string text;
    for (const auto& node : nodes) text += node + "\n";
    UniqueFd fd = open_output_file(path);
    if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
        throw SetupError("cannot write " + path.string() + ": " + errno_text(errno));
    }
    return path;
}

// The parent's environment, then the trial's variables, then the invocation's; last the
// launcher's edits (launcher.hpp), which concern the launcher process that inherits them. Reads
// `environ` unlocked: the program must not setenv while kernels start.
std::map<std::string, std::string> kernel_environment(const KernelConfig& config, const KernelInvocation& invocation,
                                                      const TrialPaths& paths) {
    std::map<std::string, std::string> vars;
    for (char** entry = environ; entry && *entry; ++entry) {
        const std::string_view text(*entry);
        const auto eq = text.find('=');
        if (eq != std::string_view::npos) vars.emplace(text.substr(0, eq), text.substr(eq + 1));
    }
    vars["HPO_TRIAL_ID"] = std::to_string(invocation.trial_id);
    vars["HPO_RUN_DIR"] = paths.run_dir.string();
    vars["HPO_TRIAL_DIR"] = paths.trial_dir.string();
    vars["HPO_DEME"] = std::to_string(invocation.deme);
    vars["HPO_GENERATION"] = std::to_string(invocation.generation);
    vars["HPO_REPEAT"] = std::to_string(invocation.repeat);
    if (!paths.checkpoint_dir.empty()) vars["HPO_CHECKPOINT_DIR"] = paths.checkpoint_dir.string();
    if (!invocation.nodes.empty()) {
        vars["HPO_NODES"] = compress_hostlist(invocation.nodes);
        vars["HPO_NODEFILE"] = write_nodefile(paths.trial_dir, invocation.nodes).string();
    }
    for (const auto& [key, value] : invocation.extra_env) vars[key] = value;
    prepare_launch_environment(config.launcher, vars);
    return vars;
}

std::vector<std::string> environment_entries(const std::map<std::string, std::string>& vars) {
    std::vector<std::string> entries;
    entries.reserve(vars.size());
    for (const auto& [key, value] : vars) entries.push_back(key + "=" + value);
    return entries;
}

bool is_executable_file(const fs::path& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// execvp's lookup, done in the parent: the child may not allocate, and a relative path must be
// taken from the coordinator's directory, not the trial directory the child moves to.
std::optional<std::string> resolve_executable(const std::string& name, const std::map<std::string, std::string>& env) {
    std::error_code ec;
    if (name.find('/') != std::string::npos) {
        const fs::path absolute = fs::absolute(name, ec);
        return ec ? name : absolute.string();
    }
    const auto path_var = env.find("PATH");
    const std::string search = path_var != env.end() ? path_var->second : "/usr/local/bin:/usr/bin:/bin";
    std::size_t begin = 0;
    for (;;) {
        const auto end = search.find(':', begin);
        const std::string dir = search.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
        const fs::path candidate = fs::absolute(fs::path(dir.empty() ? "." : dir) / name, ec);
        if (!ec && is_executable_file(candidate)) return candidate.string();
        if (end == std::string::npos) return std::nullopt;
        begin = end + 1;
    }
}

struct Pipe {
    UniqueFd read, write;
};

std::optional<Pipe> make_output_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

KernelRun not_started(std::string message) {
    KernelRun run;
    run.outcome.status = TrialStatus::failed;
    run.outcome.exit_code = -1;
    run.outcome.start_time = run.outcome.end_time = epoch_seconds();
    run.outcome.message = std::move(message);
    return run;
}

// Out of processes, memory or descriptors: hpo's trouble, whatever the kernel is.
bool lacks_resources(int error) { return error == EAGAIN || error == ENOMEM || error == EMFILE || error == ENFILE; }

std::string spawn_failure_message(const SpawnResult& spawned, const std::string& executable, const fs::path& dir) {
    const std::string why = errno_text(spawned.error);
    switch (spawned.stage) {
    case SpawnStage::fork: return "cannot start the kernel: " + why;
    case SpawnStage::streams: return "cannot connect the kernel's standard streams: " + why;
    case SpawnStage::working_dir: return "cannot enter the trial directory " + dir.string() + ": " + why;
    case SpawnStage::exec:
    case SpawnStage::started: break;
    }
    return "cannot execute '" + executable + "': " + why;
}

std::string quoted_fom(const std::string& text) {
    std::string shown = text.substr(0, quoted_fom_bytes);
    while (!shown.empty() && std::isspace(static_cast<unsigned char>(shown.back()))) shown.pop_back();
    return "'" + shown + (text.size() > quoted_fom_bytes ? "...'" : "'");
}

// The status and its one-line reason, from how the process ended and what it printed.
std::pair<TrialStatus, std::string> judge(const WatchResult& watched, const FomParser& fom,
                                          const KernelConfig& config) {
    const int status = watched.wait_status;
    if (watched.lost) return {TrialStatus::failed, "lost track of the kernel process (was it reaped elsewhere?)"};
    if (watched.interruption == Interruption::stop) return {TrialStatus::failed, "stopped before it finished"};
    if (watched.interruption == Interruption::prune) {
        std::string reason = "stopped by the pruning rule (--prune): sent SIGTERM";
        if (watched.killed) reason += ", then SIGKILL after a " + seconds_text(config.kill_grace_seconds) + " grace";
        return {TrialStatus::pruned, reason + " to its process group"};
    }
    if (watched.interruption == Interruption::timeout) {
        std::string reason = "timed out after " + seconds_text(config.timeout_seconds) + ": sent SIGTERM";
        if (watched.killed) reason += ", then SIGKILL after a " + seconds_text(config.kill_grace_seconds) + " grace";
        return {TrialStatus::timeout, reason + " to its process group"};
    }
    if (WIFSIGNALED(status)) {
        std::string reason = "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + signal_name(WTERMSIG(status)) + ")";
        if (WCOREDUMP(status)) reason += ", core dumped";
        return {TrialStatus::crashed, reason};
    }
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code != 0) return {TrialStatus::failed, "exited with status " + std::to_string(code)};
    if (!fom.seen()) {
        return {TrialStatus::no_fom, "exited with status 0 but printed no line containing '" + config.fom_prefix + "'"};
    }
    if (fom.last_was_unparsable()) return {TrialStatus::bad_fom, "the last FoM is not a number: " + quoted_fom(fom.last_text())};
    if (std::isnan(*fom.value())) return {TrialStatus::bad_fom, "the last FoM is NaN: " + quoted_fom(fom.last_text())};
    return {TrialStatus::ok, ""};
}

std::string stderr_excerpt(const TailBuffer& tail) {
    std::string text = tail.text();
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    if (text.empty()) return "";
    return std::string("\nstderr") + (tail.cut() ? " (last bytes):\n..." : ":\n") + text;
}

KernelOutcome make_outcome(const WatchResult& watched, const OutputCapture& capture, const KernelConfig& config) {
    KernelOutcome outcome;
    const int status = watched.wait_status;
    outcome.exit_code = !watched.lost && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    outcome.signal = !watched.lost && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    outcome.fom = capture.fom().value().value_or(std::numeric_limits<double>::quiet_NaN());
    outcome.steps = capture.fom().steps();

    auto [verdict, reason] = judge(watched, capture.fom(), config);
    outcome.status = verdict;
    std::string message = std::move(reason);
    auto note = [&message](const std::string& text) { message += (message.empty() ? "" : "; ") + text; };
    if (watched.drain_cut) note("stopped reading its output after it exited: a process outside its group kept the pipes open");
    if (capture.stdout_file().cut()) note("stdout file cut at " + std::to_string(capture.stdout_file().written()) + " bytes");
    if (capture.stderr_file().cut()) note("stderr file cut at " + std::to_string(capture.stderr_file().written()) + " bytes");
    if (verdict != TrialStatus::ok) message += stderr_excerpt(capture.stderr_tail());
    outcome.message = std::move(message);
    return outcome;
}

}  // namespace

std::vector<std::string> with_repeat(std::vector<std::string> words, int repeat) {
    const std::string number = std::to_string(repeat);
    for (std::string& word : words) {
        for (auto at = word.find(repeat_token); at != std::string::npos; at = word.find(repeat_token, at + number.size())) {
            word.replace(at, repeat_token.size(), number);
        }
    }
    return words;
}

KernelRun run_kernel(const KernelConfig& config, const KernelInvocation& invocation, const KernelHooks& hooks) {
    TrialPaths paths = make_trial_dir(config, invocation.trial_id);
    TrialLock lock = lock_trial_dir(paths.trial_dir, config.kill_grace_seconds);
    link_staged_paths(config.stage_paths, paths.trial_dir);
    UniqueFd stdout_file = open_output_file(paths.trial_dir / "stdout");
    UniqueFd stderr_file = open_output_file(paths.trial_dir / "stderr");

    if (config.command.empty()) return not_started("empty kernel command");
    if (launches_remotely(config.launcher) && invocation.nodes.empty()) {
        return not_started("the " + std::string(to_string(config.launcher)) + " launcher was given no nodes");
    }
    std::vector<std::string> command = config.command;
    if (!config.checkpoint_root.empty()) {
        // A parent whose directory is gone is the trial's failure, not the run's (checkpoint_dir.hpp).
        PreparedCheckpoint prepared = prepare_checkpoint_dir(config.checkpoint_root, invocation.trial_id, invocation.parent);
        if (!prepared.failure.empty()) return not_started(std::move(prepared.failure));
        paths.checkpoint_dir = std::move(prepared.dir);
        command = with_checkpoint_dir(std::move(command), paths.checkpoint_dir.string());
    }
    command = with_repeat(std::move(command), invocation.repeat);
    const auto env = kernel_environment(config, invocation, paths);
    std::vector<std::string> argv =
        launch_prefix(config.launcher, invocation.nodes, config.launch_args, invocation.trial_id);
    argv.insert(argv.end(), command.begin(), command.end());
    const auto executable = resolve_executable(argv.front(), env);
    if (!executable) return not_started("command not found: '" + argv.front() + "' (searched PATH)");

    SpawnRequest request;
    request.executable = *executable;
    request.argv = std::move(argv);
    request.argv.insert(request.argv.end(), invocation.hyperparameter_args.begin(),
                        invocation.hyperparameter_args.end());
    request.environment = environment_entries(env);
    request.working_dir = paths.trial_dir.string();

    auto out = make_output_pipe();
    if (!out) throw SetupError("cannot create the kernel's stdout pipe: " + errno_text(errno));
    auto err = make_output_pipe();
    if (!err) throw SetupError("cannot create the kernel's stderr pipe: " + errno_text(errno));
    request.stdin_fd = lock.fd.get();
    request.stdout_fd = out->write.get();
    request.stderr_fd = err->write.get();

    const double start_time = epoch_seconds();
    const SpawnResult spawned = spawn(request);
    // Our copies of the write ends must go, or the pipes would never reach EOF.
    out->write.reset();
    err->write.reset();
    lock.fd.reset();  // the kernel holds it now
    if (spawned.pid < 0) {
        if (spawned.stage != SpawnStage::exec || lacks_resources(spawned.error)) {
            throw SetupError(spawn_failure_message(spawned, *executable, paths.trial_dir));
        }
        KernelRun run = not_started(spawn_failure_message(spawned, *executable, paths.trial_dir));
        run.outcome.start_time = start_time;
        return run;
    }

    const WatchedGroup watched_group(spawned.pid, config.kill_grace_seconds);
    OutputCapture capture(std::move(stdout_file), std::move(stderr_file), config.fom_prefix,
                          config.output_limit_bytes, config.stderr_tail_bytes);
    if (config.echo_output) capture.echo_lines("[trial " + std::to_string(invocation.trial_id) + "] ");
    if (hooks.on_step) capture.on_step(hooks.on_step);
    InterruptionPoll poll;  // none without hooks: the watch then never wakes up to ask
    if (hooks.stop_requested || hooks.prune_requested) {
        poll = [&hooks] {
            if (hooks.stop_requested && hooks.stop_requested()) return Interruption::stop;
            if (hooks.prune_requested && hooks.prune_requested()) return Interruption::prune;
            return Interruption::none;
        };
    }
    const WatchResult watched = watch_kernel(spawned.pid, std::move(out->read), std::move(err->read), capture,
                                             {config.timeout_seconds, config.kill_grace_seconds}, poll);
    capture.wait_echoed(echo_patience_seconds);

    KernelRun run;
    run.outcome = make_outcome(watched, capture, config);
    if (!lock.note.empty()) run.outcome.message = lock.note + (run.outcome.message.empty() ? "" : "; ") + run.outcome.message;
    if (config.launcher == Launcher::srun && watched.interruption != Interruption::none) {
        const std::string note = end_job_step(step_name(invocation.trial_id), env, slurm_step_end_patience_seconds);
        if (!note.empty()) run.outcome.message = note + (run.outcome.message.empty() ? "" : "; ") + run.outcome.message;
    }
    run.outcome.start_time = start_time;
    run.outcome.end_time = epoch_seconds();
    run.stopped = watched.interruption == Interruption::stop;
    return run;
}

}  // namespace hpo
