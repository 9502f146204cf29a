#!/usr/bin/env bash
# A real Slurm cluster on this one machine for the tests: munged, slurmctld and one slurmd per
# virtual node (n1..nN), all started from a private config in $HPO_SLURM_DIR.
#
#   bash tests/slurm/local-cluster.sh start    # installs what is missing, starts, waits until idle
#   bash tests/slurm/local-cluster.sh status   # sinfo, or exit 1 if it is not running
#   bash tests/slurm/local-cluster.sh env      # prints `export SLURM_CONF=...` for eval
#   bash tests/slurm/local-cluster.sh stop     # cancels every job, stops every daemon it started
#
# Settings (environment): HPO_SLURM_DIR (default /tmp/hpo-slurm), HPO_SLURM_NODES (4),
# HPO_SLURM_CPUS (CPUs per node, 2), HPO_SLURM_PORT (slurmctld's port, 16817; the slurmds use
# the following ones). Needs root (or password-less sudo): slurmd starts jobs as their users.
# Clients find the cluster through SLURM_CONF, so a real Slurm configured in /etc/slurm is left
# alone. `start` is idempotent; `stop` stops only daemons whose pid files it wrote, by pid.
# Anything that does not come up is an error with the daemons' logs: the tests never skip.
set -euo pipefail

dir=${HPO_SLURM_DIR:-/tmp/hpo-slurm}
nodes=${HPO_SLURM_NODES:-4}
cpus=${HPO_SLURM_CPUS:-2}
port=${HPO_SLURM_PORT:-16817}
conf=$dir/slurm.conf
packages=(slurmctld slurmd slurm-client munge)

say() { echo "local-cluster: $*" >&2; }
die() {
    say "error: $*"
    exit 1
}

if ((EUID != 0)); then
    # Re-run as root keeping the settings: slurmd must be root to start job steps.
    command -v sudo > /dev/null || die "needs root (slurmd starts the job steps), and there is no sudo"
    exec sudo -n env HPO_SLURM_DIR="$dir" HPO_SLURM_NODES="$nodes" HPO_SLURM_CPUS="$cpus" \
        HPO_SLURM_PORT="$port" bash "$0" "$@"
fi

install_packages() {
    local missing=()
    for package in "${packages[@]}"; do
        if [[ $(dpkg-query -W -f='${Status}' "$package" 2> /dev/null) != "install ok installed" ]]; then
            missing+=("$package")
        fi
    done
    ((${#missing[@]} == 0)) && return
    command -v apt-get > /dev/null || die "Slurm is not installed and this is not Debian: install ${missing[*]}"
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q > /dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" > /dev/null
}

alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2> /dev/null; }

node_names() { seq -f 'n%g' 1 "$nodes"; }

munge_works() { munge -n 2> /dev/null | unmunge > /dev/null 2>&1; }

# A munged already serving the default socket (the system's) is used as it is and never stopped.
start_munge() {
    if munge_works; then return; fi
    local key=/etc/munge/munge.key
    if [[ ! -s $key ]]; then
        if command -v mungekey > /dev/null; then mungekey --create --keyfile="$key"; else
            dd if=/dev/urandom of="$key" bs=1 count=1024 status=none
        fi
    fi
    # munged refuses to run with loose permissions on its key, socket and state directories.
    chown munge:munge "$key" && chmod 0400 "$key"
    install -d -o munge -g munge -m 0755 /run/munge
    install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
    runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
    cp /run/munge/munged.pid "$dir/munged.pid"  # ours: `stop` ends it
    for _ in $(seq 50); do munge_works && return; sleep 0.1; done
    die "munged does not answer; its log: $(tail -n 20 /var/log/munge/munged.log 2> /dev/null)"
}

write_config() {
    local host
    host=$(hostname)
    mkdir -p "$dir/state" "$dir/log" "$dir/spool"
    # linuxproc and task/none: no cgroups, which containers rarely delegate. config_overrides:
    # each slurmd reports the configured CPUs, not the machine's, so that 4 virtual nodes fit on
    # any machine. sched/builtin starts a job at once instead of at the next backfill pass.
    # cred_expire: a requeued job waits that long before it may start again (default 120 s), and
    # sched_interval: it starts at the next periodic scheduling pass after that (default 60 s).
    cat > "$conf" <<EOF
# Written by tests/slurm/local-cluster.sh: a virtual cluster on $host.
ClusterName=hpotest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=cred_expire=10
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=2
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
KillWait=3
MinJobAge=60
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=60
EOF
    local i=0 name
    for name in $(node_names); do
        i=$((i + 1))
        echo "NodeName=$name NodeHostname=$host NodeAddr=127.0.0.1 Port=$((port + i)) CPUs=$cpus RealMemory=1000 State=UNKNOWN" >> "$conf"
    done
    echo "PartitionName=debug Nodes=n[1-$nodes] Default=YES MaxTime=INFINITE State=UP" >> "$conf"
}

logs() {
    local file
    for file in "$dir"/log/*.log; do
        [[ -f $file ]] || continue
        echo "---- $file (last lines)"
        tail -n 15 "$file"
    done
}

wait_idle() {
    local state
    for _ in $(seq 150); do
        state=$(SLURM_CONF=$conf sinfo -h -o '%D %t' 2> /dev/null || true)
        if [[ $state == "$nodes idle" ]]; then return; fi
        sleep 0.2
    done
    logs >&2
    die "the nodes are not idle after 30 s (sinfo: '${state:-no answer}')"
}

start() {
    install_packages
    mkdir -p "$dir"
    start_munge
    if ! alive "$dir/slurmctld.pid"; then
        write_config
        rm -rf "${dir:?}/state"/* "$dir"/spool/* "$dir"/log/*
        # -c: no jobs from an earlier life of this cluster; -i: ignore a damaged state file.
        /usr/sbin/slurmctld -f "$conf" -c -i || { logs >&2; die "slurmctld did not start"; }
    fi
    local name
    for name in $(node_names); do
        alive "$dir/slurmd-$name.pid" && continue
        mkdir -p "$dir/spool/$name"
        /usr/sbin/slurmd -f "$conf" -N "$name" || { logs >&2; die "slurmd -N $name did not start"; }
    done
    wait_idle
    say "up: $nodes nodes n[1-$nodes] ($cpus CPUs each); export SLURM_CONF=$conf"
}

# TERM to the daemons whose pid files are given (ours), together, then KILL to any still there
# after 10 s; the pid files go.
stop_daemons() {
    local pidfile pids=()
    for pidfile in "$@"; do
        [[ -f $pidfile ]] || continue
        pids+=("$(cat "$pidfile")")
        rm -f "$pidfile"
    done
    ((${#pids[@]})) || return 0
    kill -TERM "${pids[@]}" 2> /dev/null || true
    local pid alive
    for _ in $(seq 200); do
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2> /dev/null && alive=1; done
        ((alive)) || break
        sleep 0.05
    done
    for pid in "${pids[@]}"; do
        kill -0 "$pid" 2> /dev/null && kill -KILL "$pid" 2> /dev/null
    done
    return 0
}

stop() {
    if alive "$dir/slurmctld.pid"; then
        # Jobs first, so that no slurmstepd outlives its slurmd.
        SLURM_CONF=$conf squeue -h -o %A 2> /dev/null | xargs -r env SLURM_CONF="$conf" scancel --full 2> /dev/null || true
        for _ in $(seq 100); do
            [[ -z $(SLURM_CONF=$conf squeue -h -o %A 2> /dev/null) ]] && break
            sleep 0.1
        done
    fi
    stop_daemons "$dir"/slurmd-*.pid
    stop_daemons "$dir/slurmctld.pid" "$dir/munged.pid"
    say "stopped"
}

# Running: slurmctld and every slurmd alive (a partial cluster would leave jobs pending).
status() {
    local name
    alive "$dir/slurmctld.pid" || { say "not running"; exit 1; }
    for name in $(node_names); do
        alive "$dir/slurmd-$name.pid" || { say "slurmd -N $name is not running"; exit 1; }
    done
    SLURM_CONF=$conf sinfo
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) status ;;
    env) echo "export SLURM_CONF=$conf" ;;
    logs) logs ;;
    *) die "usage: $0 start|stop|status|env|logs" ;;
esac
