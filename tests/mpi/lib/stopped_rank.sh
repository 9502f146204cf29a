# Stopping one worker rank of a running hpo job, as a hung node would (SIGSTOP), and making sure
# no stopped process outlives the test. Sourced after common.sh.

stopped_pids=()
# Whatever happens, nothing stays stopped: continue and kill what the test stopped, then clean up.
# (`|| true`: under set -e a failing command in the trap would become the script's status.)
trap 'for pid in "${stopped_pids[@]}"; do kill -CONT "$pid" 2> /dev/null || true; kill -KILL "$pid" 2> /dev/null || true; done; rm -rf "$work"' EXIT

# The pid of the hpo process that is MPI rank RANK of the run whose command line contains
# PATTERN, once it runs a kernel (has a child); waits up to 60 s. Usage: busy_rank_pid RANK PATTERN
busy_rank_pid() {
  local rank=$1 pattern=$2 pid
  for _ in $(seq 1 600); do
    for pid in $(pgrep -f -- "$pattern"); do
      [ "$(cat "/proc/$pid/comm" 2> /dev/null)" = hpo ] || continue
      tr '\0' '\n' < "/proc/$pid/environ" 2> /dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$rank" || continue
      if pgrep -P "$pid" > /dev/null; then
        echo "$pid"
        return 0
      fi
    done
    sleep 0.1
  done
  return 1
}

# SIGSTOPs rank RANK of the run matching PATTERN while it runs a kernel; sets `stopped_pid`.
stop_busy_rank() {
  stopped_pid=$(busy_rank_pid "$1" "$2") || fail "rank $1 never ran a kernel"
  stopped_pids+=("$stopped_pid")
  kill -STOP "$stopped_pid"
}

# Every trial id from 0 to N-1 exactly once in CHECKPOINT, each ok. Usage: all_trials_once CHECKPOINT N
all_trials_once() {
  "$HPO_BIN" export "$1" --format json -o "$1.json" || fail "cannot export $1"
  python3 - "$1.json" "$2" <<'PY'
import json, sys
trials = json.load(open(sys.argv[1]))
ids = sorted(t["id"] for t in trials)
assert ids == list(range(int(sys.argv[2]))), f"trial ids: {ids}"
bad = [(t["id"], t["status"]) for t in trials if t["status"] != "ok"]
assert not bad, f"trials not ok: {bad}"
PY
}

# Starts `hpo run SEARCH... -- placement_kernel.sh` on RANKS ranks in the background (out.txt,
# err.txt; a job still running after 300 s is ended with status 124); sets `job`.
# Usage: start_run RANKS SEARCH...
start_run() {
  local ranks=$1
  shift
  ( timeout 300 "$MPIEXEC" --oversubscribe -n "$ranks" "$HPO_BIN" run "$@" -- sh "$KERNELS/placement_kernel.sh" \
      > out.txt 2> err.txt ) &
  job=$!
}

# The job neither hung nor failed (STATUS 0), its summary names rank RANK alone, followed by
# SUFFIX (", trial 3 re-run"; a regex), and err.txt says it was lost for WHY (a regex).
# Usage: expect_lost_rank STATUS RANK SUFFIX WHY
expect_lost_rank() {
  local status=$1 rank=$2 suffix=$3 why=$4
  [ "$status" -ne 124 ] || fail "the job hung with rank $rank stopped"
  [ "$status" -eq 0 ] || { cat out.txt err.txt; fail "exit status $status, expected 0"; }
  grep -q "^lost workers: rank $rank (node [^)]*)$suffix\$" out.txt ||
    { cat out.txt err.txt; fail "the summary does not name rank $rank alone"; }
  grep -q "lost worker rank $rank .*$why" err.txt || { cat err.txt; fail "rank $rank was not lost for: $why"; }
}
