// The group sentinel (see group_sentinel.hpp): one /bin/sh per process, fed over a socket.
#include "group_sentinel.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <map>
#include <mutex>
#include <string>

#include "unique_fd.hpp"

namespace hpo::exec_detail {

namespace {

// Reads "+ GROUP GRACE" and "- GROUP" lines until its stdin ends, then ends the groups still
// listed. POSIX sh only (dash on Debian); `sleep` is the one outside command.
constexpr const char* sentinel_script = R"sh(
trap '' HUP INT QUIT TERM USR1 USR2 PIPE ALRM
cd /
groups=' ' grace=0
while read -r op g s; do
    case $op in
    +) groups="$groups$g "; [ "$s" -gt "$grace" ] && grace=$s ;;
    -) case $groups in *" $g "*) groups="${groups%% $g *} ${groups#* $g }" ;; esac ;;
    esac
done
[ "$groups" = ' ' ] && exit 0
for g in $groups; do kill -TERM -$g 2> /dev/null; done
while [ "$grace" -gt 0 ]; do
    alive=
    for g in $groups; do kill -0 -$g 2> /dev/null && alive=1; done
    [ -z "$alive" ] && exit 0
    sleep 1
    grace=$((grace - 1))
done
for g in $groups; do kill -KILL -$g 2> /dev/null; done
)sh";

std::string watch_line(pid_t group, long grace) {
    return "+ " + std::to_string(group) + " " + std::to_string(grace) + "\n";
}

class Sentinel {
public:
    void watch(pid_t group, long grace) {
        std::lock_guard lock(mutex_);
        watched_[group] = grace;
        send(watch_line(group, grace));
    }

    void unwatch(pid_t group) {
        std::lock_guard lock(mutex_);
        if (watched_.erase(group) > 0) send("- " + std::to_string(group) + "\n");
    }

private:
    void send(const std::string& line) {
        if (socket_ && write_all(line)) return;
        // Not started yet, or it died (someone killed it; a gap until the next line is sent): a
        // fresh one learns every group still watched, this line's included.
        socket_.reset();
        if (pid_ > 0) ::waitpid(pid_, nullptr, WNOHANG);  // the dead one, if it is gone
        if (!start()) return;
        std::string all;
        for (const auto& [group, grace] : watched_) all += watch_line(group, grace);
        if (!write_all(all)) socket_.reset();
    }

    bool write_all(const std::string& line) {
        std::size_t done = 0;
        while (done < line.size()) {
            const ssize_t n = ::send(socket_.get(), line.data() + done, line.size() - done, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            done += static_cast<std::size_t>(n);
        }
        return true;
    }

    bool start() {
        if (failed_) return false;
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return false;
        UniqueFd ours(fds[0]), theirs(fds[1]);
        ::shutdown(ours.get(), SHUT_RD);

        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attributes;
        ::posix_spawn_file_actions_init(&actions);
        ::posix_spawnattr_init(&attributes);
        ::posix_spawn_file_actions_adddup2(&actions, theirs.get(), 0);
        ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        ::posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        ::posix_spawn_file_actions_addclosefrom_np(&actions, 3);
        sigset_t none;
        sigemptyset(&none);
        ::posix_spawnattr_setsigmask(&attributes, &none);
        ::posix_spawnattr_setpgroup(&attributes, 0);  // a signal to hpo's group does not reach it
        ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
        char* argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"), const_cast<char*>(sentinel_script),
                        const_cast<char*>("hpo-sentinel"), nullptr};
        char* envp[] = {const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
        pid_t pid = -1;
        const int error = ::posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp);
        ::posix_spawn_file_actions_destroy(&actions);
        ::posix_spawnattr_destroy(&attributes);
        if (error != 0) {
            failed_ = true;  // no /bin/sh, or no resources: kernels run unwatched, as before
            return false;
        }
        socket_ = std::move(ours);
        pid_ = pid;
        return true;
    }

    std::mutex mutex_;
    UniqueFd socket_;
    bool failed_ = false;
    pid_t pid_ = -1;
    std::map<pid_t, long> watched_;  // group -> grace in whole seconds
};

// Never destroyed: the socket must stay open until the process itself ends, whatever order the
// static objects of a driver program are destroyed in.
Sentinel& sentinel() {
    static Sentinel* const instance = new Sentinel;
    return *instance;
}

}  // namespace

void watch_group(pid_t group, double grace_seconds) {
    const double grace = std::isfinite(grace_seconds) ? std::clamp(std::ceil(grace_seconds), 0.0, 1e6) : 1e6;
    sentinel().watch(group, static_cast<long>(grace));
}

void unwatch_group(pid_t group) { sentinel().unwatch(group); }

}  // namespace hpo::exec_detail
