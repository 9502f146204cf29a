#!/usr/bin/env bash
# Population-based training under mpirun with 4 workers (issue 15): every trial's checkpoint
# directory is a copy of its parent's, through which the lineage of the trial table runs (each
# directory's history names its parent chain, its model has trained that many rounds); two rounds
# crash mid-round after ruining their copy in place, and no parent sees it; the members that
# crashed go on. Then the same run with --keep-checkpoints live leaves only the live directories.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
kernel="$HPO_SOURCE_DIR/tests/kernels/pbt_kernel.py"
lineage="$HPO_SOURCE_DIR/tests/lib/lineage.py"

export CRASH_TRIALS="7 13"
search=(--strategy pbt --population 6 --rounds 4 --seed 5 --param '--lr 0.5 [0.01,2.0] log'
        --checkpoint-interval 0 --no-progress -- "$kernel" --ckpt=@checkpoint)

mpi_hpo 5 2 run --checkpoint all.h5 --run-dir all-runs --keep-checkpoints all "${search[@]}" > all.out 2> all.err \
  || { cat all.err; fail "the pbt run (keep all) failed"; }
"$HPO_BIN" export all.h5 --format json -o all.json
python3 - all.json << 'PY' || fail "the trial table"
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 24, f"{len(rows)} trials, 6 members x 4 rounds expected"
statuses = {r["id"]: r["status"] for r in rows}
assert statuses[7] != "ok" and statuses[13] != "ok", "the crashing trials are not failed"
rounds = sorted((r["member"], r["generation"]) for r in rows)
assert rounds == [(m, g) for m in range(6) for g in range(4)], f"members and rounds: {rounds}"
workers = {r["worker"] for r in rows}
assert len(workers) == 4, f"trials ran on workers {sorted(workers)}, 4 expected"
exploits = [r for r in rows if r["parent"] not in (None, "") and
            next(p for p in rows if p["id"] == int(r["parent"]))["member"] != r["member"]]
assert exploits, "no member ever exploited another: the test proves little"
print(f"24 trials on 4 workers, {len(exploits)} exploits")
PY
python3 "$lineage" all.json "$PWD/all-runs/checkpoints" all || fail "lineage (keep all)"
"$HPO_BIN" show all.h5 > show.txt || fail "hpo show"
grep -q "Schedule" show.txt || { cat show.txt; fail "hpo show prints no schedule of the best member"; }

mpi_hpo 5 2 run --checkpoint live.h5 --run-dir live-runs "${search[@]}" > live.out 2> live.err \
  || { cat live.err; fail "the pbt run (keep live) failed"; }
"$HPO_BIN" export live.h5 --format json -o live.json
python3 "$lineage" live.json "$PWD/live-runs/checkpoints" live 6 || fail "lineage (keep live)"
echo "pbt under mpirun: ok"
