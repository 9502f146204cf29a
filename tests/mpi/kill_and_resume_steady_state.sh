# Steady-state restart: killed with SIGKILL at random moments and resumed, the run loses no
# completed trial and duplicates none: every planned trial is there exactly once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/kill_resume.sh"

kill_resume_until_done steady.h5 deterministic_kernel.sh --strategy genetic --mode steady-state \
  --generations 10 --pop-size 6 --demes 2 --seed 5 --param '--x 0.9 [0.0,1.0]' --param '--y 7 [0,10]' \
  --run-dir runs --checkpoint-interval 0 --no-progress -- sh "$KERNELS/deterministic_kernel.sh"

"$HPO_BIN" export steady.h5 --format json -o steady.json
python3 - steady.json <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
ids = [r["id"] for r in rows]
planned = 10 * 6 * 2
assert len(ids) == len(set(ids)), f"duplicated trials: {sorted({i for i in ids if ids.count(i) > 1})}"
assert sorted(ids) == list(range(planned)), f"{len(ids)} trials, expected ids 0..{planned - 1}"
assert all(r["status"] == "ok" for r in rows), "a trial failed"
print(f"{len(ids)} trials, each once")
PY
echo "ok after $kills kills"
