#!/usr/bin/env bash
# The seed's PBT (issue 15): genetic search with @checkpoint in the command gives each child a
# copy of its parent's checkpoint directory (the fitter parent's on crossover) and elites keep
# theirs, generational and steady-state alike; with --gens-per-epoch 2 a child of an odd
# generation starts from the checkpoint its parent started from; with several demes and
# confirmation, repeats start where their originals did.
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
# Several demes meeting at every generation, with confirmation: a repeat starts from a copy of what
# its original started from (so with this deterministic kernel it gets the same FoM); every
# directory holds its lineage; with --keep-checkpoints live what is left still checks.
for keep in all live; do
    hpo_run run --strategy genetic --evals 16 --demes 2 --seed 5 --parallel 2 --param '--lr 0.5 [0.01,2.0] log' \
        --confirm-top 2 --confirm-repeats 1 --keep-checkpoints "$keep" --checkpoint "confirm-$keep.h5" \
        --run-dir "confirm-$keep" --no-progress -- "$kernel" --ckpt=@checkpoint
    expect_rc 0 "genetic, 2 demes, --confirm-top, --keep-checkpoints $keep"
    "$HPO_BIN" export "confirm-$keep.h5" --format json -o "confirm-$keep.json"
    python3 "$lineage" "confirm-$keep.json" "$work/confirm-$keep/checkpoints" "$keep" || fail "lineage (confirmed, $keep)"
    python3 - "confirm-$keep.json" << 'PY' || fail "repeats' checkpoints ($keep)"
import json, sys
rows = {r["id"]: r for r in json.load(open(sys.argv[1]))}
repeats = [r for r in rows.values() if r["repeat_of"] is not None]
assert len(repeats) >= 2, f"{len(repeats)} repeats for --confirm-top 2"
assert any(r["parent"] is not None for r in repeats), "no repeat started from a checkpoint: the test proves nothing"
for r in repeats:
    original = rows[r["repeat_of"]]
    assert r["parent"] == original["parent"], f"repeat {r['id']} starts from {r['parent']}, its original from {original['parent']}"
    assert r["fom"] == original["fom"], f"repeat {r['id']}: FoM {r['fom']}, its original's {original['fom']}"
print(f"{len(repeats)} repeats, each from its original's starting checkpoint")
PY
done
echo "genetic with checkpoints: ok"
