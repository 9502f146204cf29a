// Starting one kernel process with posix_spawn; see spawn.hpp for the guarantees.
//
// glibc's posix_spawn clones with CLONE_VM | CLONE_VFORK: the child borrows the parent's memory
// until it execs, so starting a kernel costs the same whether hpo is small or large, threaded
// or not (a fork would copy the page tables of the whole process every time).
#include "spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "unique_fd.hpp"

namespace hpo::exec_detail {

namespace {

// Pointers into strings owned by the caller, NUL-terminated as execve wants them.
std::vector<char*> c_array(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

// The RAII owners of posix_spawn's two attribute objects.
class SpawnActions {
public:
    SpawnActions() { ok_ = ::posix_spawn_file_actions_init(&actions_) == 0; }
    ~SpawnActions() {
        if (ok_) ::posix_spawn_file_actions_destroy(&actions_);
    }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;

    bool ok() const { return ok_; }
    posix_spawn_file_actions_t* get() { return &actions_; }

private:
    posix_spawn_file_actions_t actions_{};
    bool ok_ = false;
};

class SpawnAttributes {
public:
    SpawnAttributes() { ok_ = ::posix_spawnattr_init(&attributes_) == 0; }
    ~SpawnAttributes() {
        if (ok_) ::posix_spawnattr_destroy(&attributes_);
    }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;

    bool ok() const { return ok_; }
    posix_spawnattr_t* get() { return &attributes_; }

private:
    posix_spawnattr_t attributes_{};
    bool ok_ = false;
};

// The child's streams come from descriptors above 2, so that no dup2 onto 0..2 overwrites the
// source of another (possible when hpo itself runs with a standard stream closed).
int lifted_above_stdio(int fd, UniqueFd& holder) {
    if (fd > 2) return fd;
    holder.reset(::fcntl(fd, F_DUPFD_CLOEXEC, 3));
    return holder.get();
}

// Its own process group (so that a timeout can signal everything the kernel started), the
// given streams and directory, no other descriptor, no blocked signal, SIGPIPE and SIGTERM at
// their default action (as from a shell, and so that the SIGTERM of a timeout works even if
// hpo ignores it). glibc also resets every handler hpo installed: the child shares its memory.
int prepare(const SpawnRequest& request, SpawnActions& actions, SpawnAttributes& attributes,
            const int (&streams)[3]) {
    if (!actions.ok() || !attributes.ok()) return ENOMEM;
    for (int target = 0; target < 3; ++target) {
        if (const int e = ::posix_spawn_file_actions_adddup2(actions.get(), streams[target], target)) return e;
    }
    if (const int e = ::posix_spawn_file_actions_addclosefrom_np(actions.get(), 3)) return e;
    if (const int e = ::posix_spawn_file_actions_addchdir_np(actions.get(), request.working_dir.c_str())) return e;

    sigset_t none, to_default;
    sigemptyset(&none);
    sigemptyset(&to_default);
    sigaddset(&to_default, SIGPIPE);
    sigaddset(&to_default, SIGTERM);
    if (const int e = ::posix_spawnattr_setsigmask(attributes.get(), &none)) return e;
    if (const int e = ::posix_spawnattr_setsigdefault(attributes.get(), &to_default)) return e;
    if (const int e = ::posix_spawnattr_setpgroup(attributes.get(), 0)) return e;
    const short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    return ::posix_spawnattr_setflags(attributes.get(), flags);
}

bool is_enterable_directory(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// posix_spawn reports one errno for every step of the child; the step is told apart afterwards.
SpawnStage failed_stage(const SpawnRequest& request, int error) {
    if (error == EBADF) return SpawnStage::streams;
    if (!is_enterable_directory(request.working_dir)) return SpawnStage::working_dir;
    return SpawnStage::exec;
}

}  // namespace

SpawnResult spawn(const SpawnRequest& request) {
    UniqueFd lifted[3];
    const int streams[3] = {lifted_above_stdio(request.stdin_fd, lifted[0]),
                            lifted_above_stdio(request.stdout_fd, lifted[1]),
                            lifted_above_stdio(request.stderr_fd, lifted[2])};
    for (const int fd : streams) {
        if (fd < 0) return {-1, SpawnStage::streams, errno};
    }

    SpawnActions actions;
    SpawnAttributes attributes;
    if (const int error = prepare(request, actions, attributes, streams)) return {-1, SpawnStage::fork, error};

    const auto argv = c_array(request.argv);
    const auto envp = c_array(request.environment);
    pid_t pid = -1;
    int error = ::posix_spawn(&pid, request.executable.c_str(), actions.get(), attributes.get(), argv.data(),
                              envp.data());
    if (error == ENOEXEC) {
        // A script without a #! line: run it with /bin/sh, as execvp and shells do.
        std::vector<std::string> shell_args{"/bin/sh", request.executable};
        if (!request.argv.empty()) shell_args.insert(shell_args.end(), request.argv.begin() + 1, request.argv.end());
        const auto shell_argv = c_array(shell_args);
        error = ::posix_spawn(&pid, "/bin/sh", actions.get(), attributes.get(), shell_argv.data(), envp.data());
    }
    if (error != 0) return {-1, failed_stage(request, error), error};
    return {pid, SpawnStage::started, 0};
}

}  // namespace hpo::exec_detail
