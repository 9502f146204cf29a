// end_job_step: squeue and scancel as child processes (see slurm_step.hpp).
#include "slurm_step.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "unique_fd.hpp"

namespace hpo::exec_detail {

namespace {

using Clock = std::chrono::steady_clock;

// Runs a Slurm client with `env`, stdin and stderr on /dev/null; its stdout, or nothing if it
// could not start or failed. posix_spawnp: safe next to the kernel-watching threads.
std::optional<std::string> run_client(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
    UniqueFd read_end(fds[0]), write_end(fds[1]);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<char*> args, envp;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    pid_t pid = -1;
    const int error = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    write_end.reset();
    if (error != 0) return std::nullopt;

    std::string out;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
        if (n > 0) {
            out.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
    return out;
}

// The ids (`1234.5`) of the job's steps named `step`.
std::optional<std::vector<std::string>> steps_named(const std::string& job, const std::string& step,
                                                    const std::vector<std::string>& env) {
    const auto listing = run_client({"squeue", "--noheader", "--steps", "--jobs=" + job, "--format=%i %j"}, env);
    if (!listing) return std::nullopt;
    std::vector<std::string> ids;
    std::istringstream lines(*listing);
    std::string id, name;
    while (lines >> id >> name) {
        if (name == step) ids.push_back(id);
    }
    return ids;
}

}  // namespace

std::string end_job_step(const std::string& step, const std::map<std::string, std::string>& env,
                         double patience_seconds) {
    const auto job = env.find("SLURM_JOB_ID");
    if (job == env.end() || job->second.empty()) return "";  // srun made its own job: it ends with srun
    std::vector<std::string> entries;
    for (const auto& [key, value] : env) entries.push_back(key + "=" + value);

    const auto deadline = Clock::now() + std::chrono::duration<double>(patience_seconds);
    auto next_cancel = Clock::now();
    for (;;) {
        const auto ids = steps_named(job->second, step, entries);
        if (!ids) return "could not ask Slurm (squeue) whether job step " + step + " ended";
        if (ids->empty()) return "";
        if (Clock::now() >= deadline) return "job step " + step + " was still in squeue after scancel";
        if (Clock::now() >= next_cancel) {
            std::vector<std::string> cancel{"scancel"};
            cancel.insert(cancel.end(), ids->begin(), ids->end());
            (void)run_client(cancel, entries);
            next_cancel = Clock::now() + std::chrono::seconds(5);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
}

}  // namespace hpo::exec_detail
