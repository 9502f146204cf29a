#!/usr/bin/env bash
# `srun -n 2 --mpi=none hpo run` (no PMI: each task would be a coordinator of its own) stops
# both tasks with exit 2 and a message that says how to launch, before either writes a
# checkpoint or runs a kernel; the job fails instead of ending COMPLETED.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

cat > tasks.sbatch << SCRIPT
#!/bin/bash
#SBATCH -N 2
#SBATCH --ntasks-per-node=1
#SBATCH --output=job.out
srun -n 2 --mpi=none --output=task-%t.err --error=task-%t.err "$HPO_BIN" run --strategy random --evals 4 \\
    --param '--x [0.0,1.0]' --run-dir runs --checkpoint tasks.h5 --no-progress -- "$SLURM_LIB/slot_kernel.sh"
status=\$?
echo "srun exit \$status"
exit \$status
SCRIPT
sbatch_script tasks.sbatch
state=$(wait_job "$job" 120)
[[ $state == FAILED ]] || { show_job job.out task-0.err task-1.err; fail "the job ended $state, not FAILED"; }
grep -qx "srun exit 2" job.out || { show_job job.out; fail "srun did not exit 2"; }
expected='hpo: error: hpo was started as 2 Slurm tasks but MPI sees one process: launch with `srun --mpi=pmix` or mpirun inside the allocation'
for task in 0 1; do
    grep -qxF "$expected" "task-$task.err" || { show_job job.out task-$task.err; fail "task $task did not say why it stopped"; }
done
[[ ! -e tasks.h5 ]] || fail "a refused task left a checkpoint"
[[ ! -e runs ]] || fail "a refused task started evaluations"
echo "PASS"
