#!/usr/bin/env bash
# The seed's PBT (issue 15): genetic search with @checkpoint in the command gives each child a
# copy of its parent's checkpoint directory (the fitter parent's on crossover) and elites keep
# theirs, generational and steady-state alike; with --gens-per-epoch 2 a child of an odd
# generation starts from the checkpoint its parent started from.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"
kernel="$HPO_SOURCE_DIR/tests/kernels/pbt_kernel.py"
lineage="$HPO_SOURCE_DIR/tests/lib/lineage.py"

for mode in generational steady-state; do
    hpo_run run --strategy genetic --mode "$mode" --pop-size 4 --generations 4 --seed 3 --parallel 2 \
        --mutation-rate 0.5 --crossover-rate 0.5 --param '--lr 0.5 [0.01,2.0] log' \
        --keep-checkpoints all --checkpoint "$mode.h5" --run-dir "$mode" --no-progress -- "$kernel" --ckpt=@checkpoint
    expect_rc 0 "genetic $mode with @checkpoint"
    "$HPO_BIN" export "$mode.h5" --format json -o "$mode.json"
    python3 "$lineage" "$mode.json" "$work/$mode/checkpoints" all || fail "lineage ($mode)"
done

# Two generations per epoch: generation 1's children start from what their parents started from
# (generation 0's parents: nothing), generation 2's from what their parents wrote.
hpo_run run --strategy genetic --pop-size 4 --generations 3 --gens-per-epoch 2 --seed 3 --parallel 2 \
    --mutation-rate 0.5 --param '--lr 0.5 [0.01,2.0] log' --keep-checkpoints all \
    --checkpoint epochs.h5 --run-dir epochs --no-progress -- "$kernel" --ckpt=@checkpoint
expect_rc 0 "genetic with --gens-per-epoch 2"
"$HPO_BIN" export epochs.h5 --format json -o epochs.json
python3 - epochs.json << 'PY' || fail "--gens-per-epoch 2"
import json, sys
rows = {r["id"]: r for r in json.load(open(sys.argv[1]))}
parent = lambda r: None if r["parent"] in (None, "") else int(r["parent"])
gen1 = [r for r in rows.values() if r["generation"] == 1]
gen2 = [r for r in rows.values() if r["generation"] == 2]
assert gen1 and gen2, "generations 1 and 2 made no children"
assert all(parent(r) is None for r in gen1), f"generation 1 inherited: {[(r['id'], r['parent']) for r in gen1]}"
assert all(parent(r) is not None and rows[parent(r)]["generation"] < 2 for r in gen2), "generation 2 did not inherit"
print("gens-per-epoch 2: ok")
PY
python3 "$lineage" epochs.json "$work/epochs/checkpoints" all || fail "lineage (gens-per-epoch 2)"
echo "genetic with checkpoints: ok"
