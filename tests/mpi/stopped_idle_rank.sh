# A worker rank stopped while it has no trial (here: more workers than trials) would hang the job's
# end (the final broadcast, MPI_Finalize): every worker must confirm the shutdown, and one that
# does not is lost. The run ends with its trials ok, names the rank, and exits 0 through MPI_Abort.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/stopped_rank.sh"

# Four workers, two trials: the first ask goes to workers 0 and 1 (ranks 1 and 2); ranks 3 and 4
# never get one.
search=(--strategy random --evals 2 --seed 7 --param '--x 0.9 [0.0,1.0]' --param '--sleep {2}'
        --run-dir runs --no-progress --checkpoint idle.h5)
status=0
start_run 5 "${search[@]}"
busy_rank_pid 1 "$HPO_BIN run .*idle.h5" > /dev/null || fail "rank 1 never ran a kernel"
idle=
for pid in $(pgrep -f -- "$HPO_BIN run .*idle.h5"); do
  [ "$(cat "/proc/$pid/comm" 2> /dev/null)" = hpo ] || continue
  tr '\0' '\n' < "/proc/$pid/environ" | grep -qx "OMPI_COMM_WORLD_RANK=4" && idle=$pid
done
[ -n "$idle" ] || fail "no rank 4"
pgrep -P "$idle" > /dev/null && fail "rank 4 runs a kernel: the test assumes it has none"
stopped_pids+=("$idle")
kill -STOP "$idle"
wait $job || status=$?
expect_lost_rank "$status" 4 "" "no answer to the end of the run"
all_trials_once idle.h5 2
echo "ok: the idle stopped rank 4 did not hang the job's end"
