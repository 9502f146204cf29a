# Without --timeout, a worker rank stopped mid-trial is lost once it misses its heartbeats for
# --worker-timeout; the other workers, whose kernels run longer than that, send theirs and are
# kept. The run finishes with every trial ok and once, and names the lost rank.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/stopped_rank.sh"

search=(--strategy random --evals 8 --seed 5 --param '--x 0.9 [0.0,1.0]' --param '--sleep {3}' --worker-timeout 2
        --run-dir runs --no-progress --checkpoint beat.h5)
status=0
( timeout 300 "$MPIEXEC" --oversubscribe -n 4 "$HPO_BIN" run "${search[@]}" -- sh "$KERNELS/placement_kernel.sh" \
    > out.txt 2> err.txt ) &
job=$!
stop_busy_rank 3 "$HPO_BIN run .*beat.h5"
wait $job || status=$?
[ "$status" -ne 124 ] || fail "the job hung with rank 3 stopped"
[ "$status" -eq 0 ] || { cat out.txt err.txt; fail "exit status $status, expected 0"; }
grep -q "^lost workers: rank 3 (node [^)]*), trial [0-9]* re-run$" out.txt || { cat out.txt err.txt; fail "the summary does not name rank 3 alone"; }
grep -q "lost worker rank 3 .*no heartbeat" err.txt || { cat err.txt; fail "rank 3 was not lost for its heartbeats"; }
all_trials_once beat.h5 8
echo "ok: rank 3 lost for its silence, the busy others kept"
