#!/usr/bin/env bash
# Exact resume of population-based training (issue 15): pbt under mpirun with one worker and a
# deterministic checkpointing kernel, killed with SIGKILL (mpirun, both ranks, the kernels) at
# random moments and resumed each time, ends with exactly the trial table of an uninterrupted run
# (members, rounds, parents, hyperparameters, FoMs): a round that was running starts again from
# a fresh copy of its parent's checkpoint, which --keep-checkpoints live kept for it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/kill_resume.sh"
kernel="$HPO_SOURCE_DIR/tests/kernels/pbt_kernel.py"

search=(--strategy pbt --population 4 --rounds 5 --seed 17 --param '--lr 0.5 [0.01,2.0] log'
        --param '--depth 3 [1,6]' --run-dir runs --checkpoint-interval 0 --no-progress
        -- "$kernel" --ckpt=@checkpoint --pause=0.1)

mpi_hpo 2 1 run --checkpoint reference.h5 "${search[@]}" > reference.out 2> reference.err \
  || { cat reference.err; fail "the uninterrupted run failed"; }
rm -rf runs
KILL_RESUME_RANKS=2 kill_resume_until_done killed.h5 pbt_kernel.py "${search[@]}"

"$HPO_BIN" export reference.h5 --format json -o reference.json
"$HPO_BIN" export killed.h5 --format json -o killed.json
python3 "$here/lib/same_trials.py" reference.json killed.json
python3 "$HPO_SOURCE_DIR/tests/lib/lineage.py" killed.json "$PWD/runs/checkpoints" live 4 || fail "lineage after the kills"
echo "ok after $kills kills"
