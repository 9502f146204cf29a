# Bayesian optimization under mpirun, killed with SIGKILL at random moments and resumed: the run
# loses no completed trial and duplicates none, every planned trial is there exactly once, and
# the search still converges (the model is rebuilt from the checkpoint's state at each resume).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/kill_resume.sh"

kill_resume_until_done bayes.h5 deterministic_kernel.sh --strategy bayes --evals 160 --seed 5 \
  --param '--x 0.9 [0.0,1.0]' --param '--y 7 [0,10]' --param '--z 0.5 [0.0,3.0]' \
  --run-dir runs --checkpoint-interval 0 --no-progress -- sh "$KERNELS/deterministic_kernel.sh"

"$HPO_BIN" export bayes.h5 --format json -o bayes.json
python3 - bayes.json <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
ids = [r["id"] for r in rows]
planned = 160
assert len(ids) == len(set(ids)), f"duplicated trials: {sorted({i for i in ids if ids.count(i) > 1})}"
assert sorted(ids) == list(range(planned)), f"{len(ids)} trials, expected ids 0..{planned - 1}"
assert all(r["status"] == "ok" for r in rows), "a trial failed"
best = min(r["fom"] for r in rows)
assert best < 0.01, f"best FoM {best}: the optimum 0 is at x = 0.3, y = 2, z = 1"
print(f"{len(ids)} trials, each once, best {best}")
PY
echo "ok after $kills kills"
