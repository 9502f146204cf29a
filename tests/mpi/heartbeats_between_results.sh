# Heartbeats are heard while results keep coming: one worker runs a trial longer than
# --worker-timeout while the others answer every few milliseconds (so the coordinator's waits
# always end with a result, never at their deadline). The long trial's worker must be kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"

cat > kernel.sh << 'KERNEL'
#!/bin/sh
# Trial 0 runs 5 s; every other trial answers at once.
[ "$HPO_TRIAL_ID" = 0 ] && sleep 5
echo "FoM: 1"
KERNEL
chmod +x kernel.sh

"$MPIEXEC" --oversubscribe -n 4 "$HPO_BIN" run --strategy random --evals 400 --seed 2 --param '--x [0.0,1.0]' \
  --worker-timeout 2 --run-dir runs --no-progress --checkpoint beats.h5 -- "$PWD/kernel.sh" > out.txt 2> err.txt ||
  { cat out.txt err.txt; fail "the run failed"; }
grep -q "lost worker" out.txt err.txt && { cat out.txt err.txt; fail "a worker was lost although its heartbeats came"; }
grep -q "trials: 400 (400 ok)" out.txt || { cat out.txt err.txt; fail "not every trial ran once"; }
# The long trial overlapped the others' results (else the test proves nothing).
"$HPO_BIN" export beats.h5 --format csv -o beats.csv
python3 - beats.csv << 'PY' || fail "the long trial did not overlap the others' results"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
long = next(r for r in rows if r["id"] == "0")
inside = [r for r in rows if r["id"] != "0" and float(long["start_time"]) < float(r["end_time"]) < float(long["end_time"])]
assert len(inside) >= 20, f"only {len(inside)} results during the long trial"
PY
echo "ok: the worker on the long trial was kept"
