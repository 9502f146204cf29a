#!/usr/bin/env bash
# Under mpirun, a worker rank that cannot create a trial directory stops the whole job (not only
# itself): exit 1, the message names the directory, no failed trial is recorded, the trials
# finished before are kept, and a resume runs the pending trials to the end of the budget.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

cat > kernel.sh << 'KERNEL'
#!/bin/sh
# Trial 1 puts a file where trial 5's directory goes.
[ "$HPO_TRIAL_ID" = 1 ] && touch "$HPO_RUN_DIR/5"
echo "FoM: ${1#--x=}"
KERNEL
chmod +x kernel.sh
args=(--param '--x 0.5 [0.0,1.0]' --strategy random --evals 8 --seed 2 --no-progress --run-dir runs)

status=0
timeout 300 "$MPIEXEC" --oversubscribe -n 3 "$HPO_BIN" run "${args[@]}" -- "$PWD/kernel.sh" > out.txt 2> err.txt || status=$?
[ "$status" -ne 124 ] || fail "the job hung after a worker's setup failure"
[ "$status" -eq 1 ] || { cat err.txt; fail "exit status $status, expected 1"; }
grep -q "runs/5: a file is in the way" err.txt || { cat err.txt; fail "the message does not name the directory"; }
"$HPO_BIN" show hpo.h5 > show.txt
recorded=$(sed -n 's/^trials: \([0-9]*\).*/\1/p' show.txt)
[ "$recorded" -lt 8 ] || { cat show.txt; fail "the run went on to the end"; }
grep -q "^trials: $recorded ($recorded ok)\|^trials: 0$" show.txt || { cat show.txt; fail "a trial was blamed on the kernel"; }

rm runs/5
status=0
timeout 300 "$MPIEXEC" --oversubscribe -n 3 "$HPO_BIN" resume hpo.h5 --no-progress > out.txt 2> err.txt || status=$?
[ "$status" -eq 0 ] || { cat err.txt; fail "the resume exited $status"; }
grep -q "trials: 8 (8 ok)" out.txt || { cat out.txt; fail "the resume did not complete the budget"; }
echo "ok: $recorded trials kept, the rest run by the resume"
