# Several tasks of one Slurm step that MPI does not join (`srun -n 2 hpo run` without a PMI)
# are refused before anything runs, without Slurm: its step variables are set by hand. A batch
# script's shell (SLURM_NTASKS, no step) and mpirun's ranks inside a step still run.
# tests/slurm/srun_without_pmi.sh does it for real.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

run_args=(run --strategy random --evals 4 --seed 1 --param '--x [0.0,1.0]' --run-dir runs)
kernel=(-- sh "$KERNELS/deterministic_kernel.sh")

status=0
env SLURM_STEP_ID=0 SLURM_STEP_NUM_TASKS=2 SLURM_NTASKS=2 SLURM_PROCID=1 \
  "$HPO_BIN" "${run_args[@]}" --checkpoint task.h5 "${kernel[@]}" > out.txt 2> err.txt || status=$?
[ "$status" -eq 2 ] || { cat err.txt; fail "two tasks without MPI: exit $status, expected 2"; }
grep -qF 'hpo: error: hpo was started as 2 Slurm tasks but MPI sees one process: launch with `srun --mpi=pmix` or mpirun inside the allocation' err.txt ||
  { cat err.txt; fail "the error does not say why and what to do"; }
[ ! -e task.h5 ] || fail "a refused task left a checkpoint"
[ ! -e runs ] || fail "a refused task started evaluations"

# The batch script's own shell: SLURM_NTASKS counts the allocation's tasks, hpo runs alone.
env SLURM_NTASKS=3 SLURM_PROCID=0 "$HPO_BIN" "${run_args[@]}" --checkpoint batch.h5 "${kernel[@]}" \
  > out.txt 2> err.txt || { cat err.txt; fail "hpo alone in a batch script's shell failed"; }
[ -s batch.h5 ] || fail "no checkpoint from the batch shell's run"

# mpirun's ranks in a step of its daemons (as under mpirun in an allocation): one MPI job.
"$MPIEXEC" --oversubscribe -n 3 env SLURM_STEP_ID=0 SLURM_STEP_NUM_TASKS=2 SLURM_NTASKS=2 \
  "$HPO_BIN" "${run_args[@]}" --checkpoint mpi.h5 "${kernel[@]}" > out.txt 2> err.txt ||
  { cat err.txt; fail "mpirun inside a step failed"; }
[ -s mpi.h5 ] || fail "no checkpoint from the MPI run"
echo "ok"
