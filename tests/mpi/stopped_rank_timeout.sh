# A worker rank stopped (SIGSTOP, as by a hung filesystem) in the middle of a trial, with
# --timeout: the coordinator gives up on it once its trial is past the timeout, the kill grace and
# a margin, runs that trial again on another worker, and the run finishes with the others: every
# trial ok and once, the summary naming the lost rank, the job ended (MPI_Abort) with exit status
# 0, and the checkpoint consistent for a resume that extends the budget.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/stopped_rank.sh"

search=(--strategy random --evals 10 --seed 4 --param '--x 0.9 [0.0,1.0]' --param '--sleep {1}' --timeout 3
        --run-dir runs --no-progress --checkpoint stopped.h5)
status=0
start_run 4 "${search[@]}"
stop_busy_rank 2 "$HPO_BIN run .*stopped.h5"
wait $job || status=$?
expect_lost_rank "$status" 2 ", trial [0-9]* re-run" "no result .* after its order"
grep -q "hpo: warning: lost worker rank 2 " err.txt || fail "the loss is not a warning: $(cat err.txt)"
grep -q "MPI_Abort (exit status 0)" err.txt || fail "no word on how the job ends: $(cat err.txt)"
all_trials_once stopped.h5 10

# The checkpoint holds no trial pending twice: a resume to 14 evaluations adds 10..13, once each.
kill -CONT "$stopped_pid" 2> /dev/null || true
kill -KILL "$stopped_pid" 2> /dev/null || true
"$HPO_BIN" resume stopped.h5 --evals 14 --parallel 2 --quiet || fail "the resume failed"
all_trials_once stopped.h5 14
echo "ok: rank 2 lost, every trial once"
