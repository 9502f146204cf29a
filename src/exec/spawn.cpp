// fork/exec of one kernel process; see spawn.hpp for the guarantees.
#include "spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "unique_fd.hpp"

namespace hpo::exec_detail {

namespace {

// What the child writes to the report pipe when it cannot exec; exec closes the pipe otherwise.
struct ChildReport {
    int stage;
    int error;
};

// Pointers into strings owned by the caller, NUL-terminated as execve wants them.
std::vector<char*> c_array(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

// Everything the child uses, prepared before fork: the child must not allocate.
struct ChildPlan {
    const char* executable;
    char* const* argv;
    char* const* envp;
    char* const* shell_argv;  // for a script without a #! line, as execvp would run it
    const char* working_dir;
    int stdin_fd, stdout_fd, stderr_fd;
    int report_fd;
    int max_fd;  // for the close-on-exec fallback when close_range is missing
};

[[noreturn]] void child_fail(const ChildPlan& plan, SpawnStage stage, int error) {
    const ChildReport report{static_cast<int>(stage), error};
    [[maybe_unused]] const auto written = ::write(plan.report_fd, &report, sizeof report);
    ::_exit(127);
}

// Makes every inherited descriptor above 2 close at exec, including ones other parts of the
// program opened without O_CLOEXEC (MPI sockets, for instance), which the kernel must not hold.
void child_close_others_at_exec(const ChildPlan& plan) {
#if defined(SYS_close_range)
    constexpr unsigned close_range_cloexec = 1U << 2;  // CLOSE_RANGE_CLOEXEC
    if (::syscall(SYS_close_range, 3U, ~0U, close_range_cloexec) == 0) return;
#endif
    for (int fd = 3; fd <= plan.max_fd; ++fd) {
        if (fd != plan.report_fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
}

// A handler installed by the parent must not run in the child (it would touch the parent's
// state); SIGPIPE and SIGTERM get their default action back so that the kernel behaves as from
// a shell and the SIGTERM of a timeout works even if the parent ignores it.
void child_reset_signals() {
    for (int sig = 1; sig < NSIG; ++sig) {
        struct sigaction current {};
        if (::sigaction(sig, nullptr, &current) != 0) continue;
        const bool caught = current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN;
        if (caught || sig == SIGPIPE || sig == SIGTERM) {
            struct sigaction dfl {};
            dfl.sa_handler = SIG_DFL;
            sigemptyset(&dfl.sa_mask);
            ::sigaction(sig, &dfl, nullptr);
        }
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

// Only async-signal-safe calls from here to exec: another thread may have held a lock at fork.
[[noreturn]] void child_main(const ChildPlan& plan) {
    ::setpgid(0, 0);

    // Lift the sources above 2 first so that none of them is overwritten by another's dup2.
    const int in = ::fcntl(plan.stdin_fd, F_DUPFD_CLOEXEC, 3);
    const int out = ::fcntl(plan.stdout_fd, F_DUPFD_CLOEXEC, 3);
    const int err = ::fcntl(plan.stderr_fd, F_DUPFD_CLOEXEC, 3);
    if (in < 0 || out < 0 || err < 0) child_fail(plan, SpawnStage::streams, errno);
    if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) {
        child_fail(plan, SpawnStage::streams, errno);
    }
    child_close_others_at_exec(plan);

    if (::chdir(plan.working_dir) != 0) child_fail(plan, SpawnStage::working_dir, errno);
    child_reset_signals();

    ::execve(plan.executable, plan.argv, plan.envp);
    const int exec_error = errno;
    if (exec_error == ENOEXEC) ::execve("/bin/sh", plan.shell_argv, plan.envp);
    child_fail(plan, SpawnStage::exec, exec_error);
}

int highest_fd() {
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 65535;
    return static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 65536) - 1);
}

// Returns the child's report, or nothing when exec succeeded (EOF on the pipe).
bool read_report(int fd, ChildReport& report) {
    auto* bytes = reinterpret_cast<char*>(&report);
    std::size_t got = 0;
    while (got < sizeof report) {
        const auto n = ::read(fd, bytes + got, sizeof report - got);
        if (n > 0) {
            got += static_cast<std::size_t>(n);
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    return got == sizeof report;
}

int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

}  // namespace

SpawnResult spawn(const SpawnRequest& request) {
    std::vector<std::string> shell_args{"/bin/sh", request.executable};
    shell_args.insert(shell_args.end(), request.argv.begin() + (request.argv.empty() ? 0 : 1),
                      request.argv.end());
    const auto argv = c_array(request.argv);
    const auto envp = c_array(request.environment);
    const auto shell_argv = c_array(shell_args);

    int report_pipe[2];
    if (::pipe2(report_pipe, O_CLOEXEC) != 0) return {-1, SpawnStage::fork, errno, 0};
    UniqueFd report_read(report_pipe[0]);
    UniqueFd report_write(report_pipe[1]);
    // The child's dup2 onto 0..2 must not clobber the report pipe (possible if the parent runs
    // with a standard stream closed).
    if (report_write.get() <= 2) report_write.reset(::fcntl(report_write.get(), F_DUPFD_CLOEXEC, 3));
    if (!report_write) return {-1, SpawnStage::fork, errno, 0};

    const ChildPlan plan{request.executable.c_str(), argv.data(), envp.data(), shell_argv.data(),
                         request.working_dir.c_str(), request.stdin_fd, request.stdout_fd,
                         request.stderr_fd, report_write.get(), highest_fd()};

    // With every signal blocked across fork, no handler of the parent can run in the child
    // before child_reset_signals has taken it away.
    sigset_t all, previous;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &previous);
    const pid_t pid = ::fork();
    if (pid == 0) child_main(plan);
    const int fork_error = errno;
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (pid < 0) return {-1, SpawnStage::fork, fork_error, 0};

    // The child does the same; whichever runs first, the group exists before we signal it.
    ::setpgid(pid, pid);
    report_write.reset();

    ChildReport report{};
    if (read_report(report_read.get(), report)) {
        return {-1, static_cast<SpawnStage>(report.stage), report.error, reap(pid)};
    }
    return {pid, SpawnStage::started, 0, 0};
}

}  // namespace hpo::exec_detail
