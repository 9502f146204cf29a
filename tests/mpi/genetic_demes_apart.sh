# Demes evolve apart between migrations: 1 coordinator + 2 workers on two (pretend) nodes, one
# deme each. Deme 1's generation-0 kernels wait until deme 0 has reached generation 2 (the kernel
# fails after 60 s otherwise): with a barrier at every generation deme 0 could never get there
# while deme 1's generation 0 runs. With --migration-interval 3 the demes meet only after
# generation 2, and the run completes with every trial ok and the migration logged.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

mkdir flags
mpi_hpo 3 1 run --strategy genetic --generations 5 --pop-size 3 --demes 2 --migration-interval 3 --seed 7 \
  --param '--x 0.9 [0.0,1.0]' --param '--y 7 [0,10]' --run-dir runs --log run.log --checkpoint run.h5 \
  -- sh "$KERNELS/demes_apart_kernel.sh" "$PWD/flags" > out.txt 2> err.txt || { cat err.txt; fail "hpo exited with $?"; }

[ -e flags/deme0_generation2 ] || fail "deme 0 never reached generation 2"
planned=$(sed -n 's/^planned evaluations: \([0-9]*\).*/\1/p' run.log)
[ -n "$planned" ] || fail "no planned evaluations in the log"
"$HPO_BIN" export run.h5 --format json -o trials.json
python3 - "$planned" <<'PY'
import json, sys
trials = json.load(open("trials.json"))
planned = int(sys.argv[1])
bad = [t for t in trials if t["status"] != "ok"]
assert not bad, f"trials not ok: {bad}"
assert len(trials) == planned, f"{len(trials)} trials, {planned} planned"
deme1_gen0 = [t for t in trials if t["deme"] == 1 and t["generation"] == 0]
assert len(deme1_gen0) == 3, deme1_gen0
print(f"ok: {len(trials)} trials")
PY
grep -q "^generation 2:" run.log || fail "generation 2 not logged"
grep -q "^generation 4:" run.log || fail "generation 4 not logged"
