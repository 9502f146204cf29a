# shellcheck shell=bash
# Where the benchmarks put the run directories of hpo and of its peers (sourced by
# dispatch_overhead.sh, utilization.sh and coordinator_throughput.sh).
#
# A tmpfs (/dev/shm) when there is one, for every tool alike: on a disk file system, creating the
# per-trial directories after an earlier run's deletions costs from 0.03 to 0.8 ms of kernel CPU
# per mkdir on ext4 (measured on the machine of RESULTS.md), varies several-fold between repeats
# and drowns the difference being measured. A RUN_ROOT set beforehand (--run-root) wins.
#
# pick_run_root sets RUN_ROOT and RUN_FS (the file system's type, for the report).
pick_run_root() {
  if [[ -z "${RUN_ROOT:-}" ]]; then
    if [[ -d /dev/shm && -w /dev/shm ]]; then RUN_ROOT=/dev/shm; else RUN_ROOT="${TMPDIR:-/tmp}"; fi
  fi
  [[ -d $RUN_ROOT && -w $RUN_ROOT ]] || { echo "run root $RUN_ROOT is not a writable directory" >&2; exit 2; }
  RUN_FS="$(stat -f -c %T "$RUN_ROOT" 2>/dev/null || echo unknown)"
}
