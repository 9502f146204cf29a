// lock_trial_dir: the trial directory's flock, and what is done when an orphan holds it.
#include "trial_lock.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <system_error>
#include <thread>
#include <vector>

#include "errno_text.hpp"
#include "hpo/exec/kernel.hpp"

namespace hpo::exec_detail {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* lock_name = ".hpo-lock";
constexpr double kill_patience_seconds = 5;  // after SIGKILL, for the processes to be gone

UniqueFd open_lock_file(const fs::path& dir) {
    const fs::path path = dir / lock_name;
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644));
    if (!fd) throw SetupError("cannot create " + path.string() + ": " + errno_text(errno));
    return fd;
}

bool try_lock(const UniqueFd& fd) {
    while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno != EINTR) return false;
    }
    return true;
}

// Polls for the lock until `seconds` have passed.
bool lock_within(const UniqueFd& fd, double seconds) {
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    for (;;) {
        if (try_lock(fd)) return true;
        if (Clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

// The processes (other than this one) with a descriptor open on the file `fd` names.
std::vector<pid_t> holders_of(const UniqueFd& fd) {
    struct stat target {};
    std::vector<pid_t> pids;
    if (::fstat(fd.get(), &target) != 0) return pids;
    DIR* proc = ::opendir("/proc");
    if (!proc) return pids;
    while (const dirent* entry = ::readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(entry->d_name, &end, 10);
        if (*end != '\0' || pid <= 1 || pid == ::getpid()) continue;
        const std::string fd_dir = "/proc/" + std::string(entry->d_name) + "/fd";
        DIR* fds = ::opendir(fd_dir.c_str());
        if (!fds) continue;  // gone, or not ours to look at
        while (const dirent* link = ::readdir(fds)) {
            if (link->d_name[0] == '.') continue;
            struct stat info {};
            if (::stat((fd_dir + "/" + link->d_name).c_str(), &info) == 0 && info.st_dev == target.st_dev &&
                info.st_ino == target.st_ino) {
                pids.push_back(static_cast<pid_t>(pid));
                break;
            }
        }
        ::closedir(fds);
    }
    ::closedir(proc);
    return pids;
}

// Signals the process group of every holder (the holder alone if it shares this process's group).
void signal_holders(const std::vector<pid_t>& holders, int sig) {
    for (const pid_t pid : holders) {
        const pid_t group = ::getpgid(pid);
        ::kill(group > 1 && group != ::getpgrp() ? -group : pid, sig);
    }
}

std::string pid_list(const std::vector<pid_t>& pids) {
    std::string text;
    for (const pid_t pid : pids) text += (text.empty() ? "" : ", ") + std::to_string(pid);
    return text;
}

fs::path set_aside(const fs::path& dir) {
    std::error_code ec;
    for (int n = 1;; ++n) {
        fs::path candidate = dir;
        candidate += ".orphaned." + std::to_string(n);
        if (fs::exists(candidate, ec)) continue;
        if (::rename(dir.c_str(), candidate.c_str()) != 0) {
            throw SetupError("cannot move " + dir.string() + " out of the way of a leftover process: " +
                             errno_text(errno));
        }
        if (::mkdir(dir.c_str(), 0777) != 0) {
            throw SetupError("cannot create trial directory " + dir.string() + ": " + errno_text(errno));
        }
        return candidate;
    }
}

}  // namespace

TrialLock lock_trial_dir(const fs::path& trial_dir, double grace_seconds) {
    TrialLock lock{open_lock_file(trial_dir), ""};
    if (try_lock(lock.fd)) return lock;

    const std::vector<pid_t> holders = holders_of(lock.fd);
    lock.note = "a process left from an earlier run (" + (holders.empty() ? "not visible to hpo" : "pid " + pid_list(holders)) +
                ") was still in " + trial_dir.string() + ": ";
    if (!holders.empty()) {
        signal_holders(holders, SIGTERM);
        const double grace = std::isfinite(grace_seconds) ? std::clamp(grace_seconds, 0.0, 60.0) : 5;
        if (lock_within(lock.fd, grace)) {
            lock.note += "ended its process group with SIGTERM";
            return lock;
        }
        signal_holders(holders_of(lock.fd), SIGKILL);
        if (lock_within(lock.fd, kill_patience_seconds)) {
            lock.note += "ended its process group with SIGTERM, then SIGKILL";
            return lock;
        }
    }
    // Not ours to end (another user's, another pid namespace): the trial runs elsewhere.
    const fs::path kept = set_aside(trial_dir);
    lock.fd = open_lock_file(trial_dir);
    if (!try_lock(lock.fd)) throw SetupError("cannot lock " + (trial_dir / lock_name).string() + ": " + errno_text(errno));
    lock.note += "it could not be ended, the directory was moved to " + kept.string();
    return lock;
}

}  // namespace hpo::exec_detail
