# Pruning under mpirun: with one worker, exactly the trials ASHA and Hyperband must stop (computed
# from the kernel's known curves, tests/lib/curves.py) are pruned, at their rung, with the value
# there; with four workers (values now race), every pruned trial stopped at a rung of its bracket
# with its value there, the best is a completed trial, the intermediate values exported are only
# the rungs', and no kernel outlives its trial.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
curve_kernel="$HPO_SOURCE_DIR/tests/kernels/curve_kernel.sh"

search=(--strategy random --seed 23 --param '--x 0.5 [0.0,4.0]' --max-steps 27 --min-steps 1
        --reduction-factor 3 --run-dir runs --no-progress -- "$curve_kernel" --steps=27)

for rule in asha hyperband; do
  mpi_hpo 2 1 run --checkpoint "one-$rule.h5" --prune "$rule" --evals 14 "${search[@]}" > "one-$rule.out" 2> "one-$rule.err" \
    || { cat "one-$rule.err"; fail "the $rule run with one worker failed"; }
  "$HPO_BIN" export "one-$rule.h5" --format json -o "one-$rule.json"
  python3 "$HPO_SOURCE_DIR/tests/lib/curves.py" "$rule" "one-$rule.json" 1 3 27 || fail "$rule with one worker: not what the rule says"
  grep -q '^pruned: ' "one-$rule.out" || fail "$rule: the summary does not count the pruned trials"
  rm -rf runs
done

mpi_hpo 5 2 run --checkpoint four.h5 --prune hyperband --evals 24 "${search[@]}" > four.out 2> four.err \
  || { cat four.err; fail "the run with four workers failed"; }
"$HPO_BIN" export four.h5 --format json -o four.json
"$HPO_BIN" export four.h5 --intermediate --format json -o four-steps.json
python3 - four.json four-steps.json <<'PY'
import json, os, sys
sys.path.insert(0, os.environ["HPO_SOURCE_DIR"] + "/tests/lib")
from curves import hyperband_bracket, rungs
trials, steps = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
pruned = [t for t in trials if t["status"] == "pruned"]
assert len(trials) == 24 and len(pruned) >= 3, (len(trials), len(pruned))
for t in trials:
    ladder = rungs(3 ** hyperband_bracket(1, 3, 27, t["id"]), 3, 27)
    assert t["status"] in ("ok", "pruned"), t
    if t["status"] == "pruned":
        assert t["steps"] in ladder and abs(t["fom"] - (t["--x"] + 8 / t["steps"])) < 1e-9, t
    else:
        assert t["steps"] == 27, t
    mine = [s for s in steps if s["trial"] == t["id"]]
    assert all(s["step"] in ladder and abs(s["value"] - (t["--x"] + 8 / s["step"])) < 1e-9 for s in mine), (t, mine)
    assert [s["step"] for s in mine] == sorted(s["step"] for s in mine), mine
best = min((t for t in trials if t["status"] == "ok"), key=lambda t: t["fom"])
print(f"ok: {len(pruned)} of 24 pruned, best trial {best['id']}")
PY
"$HPO_BIN" show four.h5 > four-show.txt
grep -q "^best FoM" four-show.txt || fail "hpo show has no best"
if pgrep -f curve_kernel.sh > /dev/null; then pgrep -af curve_kernel.sh >&2; fail "kernels outlived the run"; fi
echo ok
