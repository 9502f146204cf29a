# Exact restart with pruning: random search + ASHA under mpirun with one worker and a deterministic
# kernel (known curves), killed with SIGKILL (mpirun, both ranks, the kernels) at random moments and
# resumed each time, ends with exactly the trial table (statuses, steps, FoMs, parameters) of an
# uninterrupted run: the rungs come back from the checkpoint's intermediate values.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/kill_resume.sh"
curve_kernel="$HPO_SOURCE_DIR/tests/kernels/curve_kernel.sh"

search=(--strategy random --evals 16 --seed 31 --param '--x 0.5 [0.0,4.0]' --prune asha --max-steps 27
        --run-dir runs --checkpoint-interval 0 --no-progress -- "$curve_kernel" --steps=27 --pause=0.03)

mpi_hpo 2 1 run --checkpoint reference.h5 "${search[@]}" > reference.out 2> reference.err \
  || { cat reference.err; fail "the uninterrupted run failed"; }
rm -rf runs
KILL_RESUME_RANKS=2 kill_resume_until_done killed.h5 curve_kernel.sh "${search[@]}"

"$HPO_BIN" export reference.h5 --format json -o reference.json
"$HPO_BIN" export killed.h5 --format json -o killed.json
python3 "$here/lib/same_trials.py" reference.json killed.json 3
echo "ok after $kills kills"
