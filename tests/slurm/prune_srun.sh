#!/usr/bin/env bash
# Pruning through srun job steps: each evaluation is a step on its slot's node; ASHA stops
# exactly the trials its rule says (one evaluation at a time: tests/lib/curves.py computes them
# from the kernel's known curves), Slurm ends each pruned trial's step (none left in `squeue -s`),
# and no kernel outlives its trial.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

cat > prune.sbatch << SCRIPT
#!/bin/bash
#SBATCH -N 2
#SBATCH --output=job.out
"$HPO_BIN" run --launcher srun --parallel 1 --strategy random --evals 10 --seed 23 --param '--x 0.5 [0.0,4.0]' \\
    --prune asha --max-steps 27 --run-dir runs --checkpoint prune.h5 --no-progress \\
    -- "$HPO_SOURCE_DIR/tests/kernels/curve_kernel.sh" --steps=27
echo "run exit \$?"
squeue -h -s -j "\$SLURM_JOB_ID" -o '%i %j' | grep ' hpo-' > steps-after.txt || true
pgrep -af curve_kernel.sh > kernels-after.txt || true
SCRIPT
sbatch_script prune.sbatch
state=$(wait_job "$job" 180)
[[ $state == COMPLETED ]] || { show_job job.out; fail "the job ended $state"; }
grep -q "run exit 0" job.out || { show_job job.out; fail "the run did not exit 0"; }
"$HPO_BIN" export prune.h5 --format json -o trials.json
python3 "$HPO_SOURCE_DIR/tests/lib/curves.py" asha trials.json 1 3 27 || { show_job job.out; fail "not what the rule says"; }
[[ ! -s steps-after.txt ]] || { cat steps-after.txt; fail "job steps of pruned trials are still in squeue -s"; }
[[ ! -s kernels-after.txt ]] || { cat kernels-after.txt; fail "kernels outlived their trials"; }
echo "PASS"
