# SIGUSR1 to mpirun reaches every rank: the kernels stop, rank 0 commits the checkpoint, the job
# exits 3, and `hpo resume` under mpirun completes the budget with every trial exactly once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"

search=(--strategy random --evals 24 --seed 2 --param '--x 0.9 [0.0,1.0]' --param '--sleep {0.4}'
        --run-dir runs --no-progress --checkpoint usr1.h5)
mpi_hpo 4 3 run "${search[@]}" -- sh "$KERNELS/placement_kernel.sh" > out.txt 2> err.txt &
job=$!
for _ in $(seq 1 200); do  # until a few trials are done
  [ "$(find runs -name placement 2> /dev/null | wc -l)" -ge 4 ] && break
  sleep 0.05
done
pkill -USR1 -P "$job" || fail "no mpirun to signal"  # the background subshell's child is mpirun
status=0
wait $job || status=$?
[ "$status" -eq 3 ] || { cat err.txt; fail "exit status $status after SIGUSR1, expected 3"; }
grep -q "hpo resume" err.txt || fail "no resume hint: $(cat err.txt)"
before=$("$HPO_BIN" export usr1.h5 --format csv | tail -n +2 | wc -l)
[ "$before" -ge 1 ] && [ "$before" -lt 24 ] || fail "$before trials committed before the stop"

for _ in $(seq 1 100); do  # ranks may outlive mpirun for a moment
  pgrep -f "$HPO_BIN run .*usr1.h5" > /dev/null || break
  sleep 0.1
done
mpi_hpo 4 3 resume usr1.h5 --no-progress > resume.txt 2> resume.err || { cat resume.err; fail "resume failed"; }
"$HPO_BIN" export usr1.h5 --format json -o all.json
python3 - all.json <<'PY'
import json, sys
ids = sorted(r["id"] for r in json.load(open(sys.argv[1])))
assert ids == list(range(24)), f"trial ids after resume: {ids}"
PY
echo "ok: $before trials before SIGUSR1, 24 after resume"
