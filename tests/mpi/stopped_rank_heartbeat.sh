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
start_run 4 "${search[@]}"
stop_busy_rank 3 "$HPO_BIN run .*beat.h5"
wait $job || status=$?
expect_lost_rank "$status" 3 ", trial [0-9]* re-run" "no heartbeat"
all_trials_once beat.h5 8
echo "ok: rank 3 lost for its silence, the busy others kept"
