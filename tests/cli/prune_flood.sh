# A kernel printing 100,000 FoM lines a second floods nothing: with ASHA its worker sends only the
# values at the rungs (powers of 3 here), so the checkpoint records at most one value per rung per
# trial; with the median rule every --median-interval-th step. The run ends normally, some trials
# pruned, none lost.
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"

cat > flood.sh <<'KERNEL'
#!/usr/bin/env bash
# 20 bursts of 10,000 FoM lines 0.1 s apart: step n prints x + 1/n.
x=0
for a; do case $a in --x=*) x=${a#--x=} ;; esac; done
awk -v x="$x" 'BEGIN {
  for (b = 0; b < 20; b++) {
    for (i = 1; i <= 10000; i++) printf "FoM: %.12g\n", x + 1 / (b * 10000 + i)
    fflush()
    system("sleep 0.1")
  }
}'
KERNEL
chmod +x flood.sh

check_records() {  # CHECKPOINT MAX_PER_TRIAL STEP_RULE(python expression of s) MUST_PRUNE(1/0)
    "$HPO_BIN" export "$1" --format json -o trials.json
    "$HPO_BIN" export "$1" --intermediate --format json -o steps.json
    python3 - "$2" "$3" "$4" <<'PY'
import json, sys
most, rule, must_prune = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
trials, steps = json.load(open("trials.json")), json.load(open("steps.json"))
assert len(trials) == 6 and all(t["status"] in ("ok", "pruned") for t in trials), trials
pruned = [t for t in trials if t["status"] == "pruned"]
assert pruned or not must_prune, "nothing pruned"
for t in trials:
    mine = [s["step"] for s in steps if s["trial"] == t["id"]]
    assert 0 < len(mine) <= most, (t["id"], len(mine))
    assert all(eval(rule) for s in mine), (t["id"], mine[:20])
    if t["status"] == "ok":
        assert t["steps"] == 200000, t
print(f"ok: {len(steps)} values recorded for 6 trials of 200,000 FoM lines, {len(pruned)} pruned")
PY
}

common=(--strategy random --evals 6 --seed 3 --param '--x 0.5 [0.0,1.0]' --parallel 2 --no-progress --run-dir runs)
hpo_run run --checkpoint asha.h5 --prune asha --max-steps 200000 "${common[@]}" -- "$PWD/flood.sh"
expect_rc 0 "asha run"
# Rungs 1, 3, 9, ..., 177147: twelve.
check_records asha.h5 12 "3 ** round(__import__('math').log(s, 3)) == s" 1

rm -rf runs
hpo_run run --checkpoint median.h5 --prune median --median-interval 10000 --median-min-trials 1 "${common[@]}" -- "$PWD/flood.sh"
expect_rc 0 "median run"
check_records median.h5 20 "s % 10000 == 0" 0  # whether a trial falls below the median is luck here
echo ok
