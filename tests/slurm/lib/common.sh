# Shared helpers for the Slurm tests (sourced, not a test itself): the local cluster running for
# the test's lifetime, a scratch directory every virtual node sees, job helpers.
: "${HPO_BIN:?HPO_BIN must name the hpo binary}"
: "${HPO_SOURCE_DIR:?HPO_SOURCE_DIR must name the source tree}"
set -euo pipefail

CLUSTER="$HPO_SOURCE_DIR/tests/slurm/local-cluster.sh"
SLURM_LIB="$HPO_SOURCE_DIR/tests/slurm/lib"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# A cluster that already runs (a developer's) is used and left running; otherwise this test
# starts it and stops it at exit. Slurm that cannot start fails the test: it is never skipped.
if bash "$CLUSTER" status > /dev/null 2>&1; then
    own_cluster=0
else
    own_cluster=1
    bash "$CLUSTER" start || fail "the local Slurm cluster did not start (the Slurm tests need it, they never skip)"
fi
eval "$(bash "$CLUSTER" env)"

work=$(mktemp -d /tmp/hpo-slurm-test.XXXXXX)
submitted=()
cleanup() {
    local status=$?
    ((${#submitted[@]})) && scancel "${submitted[@]}" 2> /dev/null
    ((own_cluster)) && bash "$CLUSTER" stop
    rm -rf "$work"
    return $status
}
trap cleanup EXIT
[[ -n ${HPO_SLURM_KEEP:-} ]] && trap - EXIT  # debugging: keep the work dir and the cluster
cd "$work"

# One field of a job as scontrol shows it (JobState, Restarts, ExitCode...).
job_field() { scontrol show job -o "$1" 2> /dev/null | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# Waits until job $1 has ended (at most $2 seconds); prints its final state.
wait_job() {
    local job=$1 limit=$2 state=""
    for _ in $(seq $((limit * 4))); do
        state=$(job_field "$job" JobState)
        case $state in
            COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE | PREEMPTED)
                echo "$state"
                return
                ;;
        esac
        sleep 0.25
    done
    echo "STILL-${state:-UNKNOWN}"
}

# The job's output and the daemons' logs, for a failure's diagnosis.
show_job() {
    local output
    for output in "$@"; do
        [[ -f $output ]] && { echo "---- $output"; cat "$output"; }
    done
    bash "$CLUSTER" logs | tail -n 40
}

# Submits with `hpo submit`; sets `job` to its id (remembered for cleanup).
hpo_submit() {
    job=$("$HPO_BIN" submit "$@") || fail "hpo submit $* failed"
    submitted+=("$job")
}

# Submits a batch script of the test's own; sets `job` to its id.
sbatch_script() {
    job=$(sbatch --parsable "$@") || fail "sbatch $* failed"
    submitted+=("$job")
}
