#!/usr/bin/env bash
# A Python driver launched as an MPI job by Slurm itself (`srun --mpi=pmix -n 2 python3 driver.py`
# in a batch job): rank 0 coordinates, rank 1 evaluates, both return from optimize() with the same
# result. One node: Slurm's PMIx plugin cannot serve two virtual nodes of one machine (they share
# its /tmp); two ranks: the node has 2 CPUs.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

package="$(dirname "$(dirname "$HPO_BIN")")/python"
python=/usr/bin/python3
[[ -x $python ]] || python=python3

cat > kernel.sh << 'KERNEL'
#!/bin/sh
echo "FoM: $(echo "$1" | cut -d= -f2)"
KERNEL
chmod +x kernel.sh

cat > driver.py << 'DRIVER'
import hpo
evaluator = hpo.Evaluator("./kernel.sh")
optimizer = hpo.grid.Optimizer(evaluator, grid_size=5, verbose=False)
optimizer.optimize([["--x", 0.5, (0.0, 1.0)]])
print("rank %d of coordinator=%s: %d trials, best %s at %s, workers %s" % (
    hpo._core.launch_rank(), hpo.is_coordinator(), len(optimizer.trials), optimizer.best_fom,
    optimizer.best_params, sorted({t["worker"] for t in optimizer.trials})))
DRIVER

cat > srun.sbatch << SCRIPT
#!/bin/bash
#SBATCH -N 1
#SBATCH --ntasks=2
#SBATCH --output=job.out
export PYTHONPATH=$package
srun --mpi=pmix -n 2 --output=rank-%t.out "$python" driver.py
SCRIPT
sbatch_script srun.sbatch
state=$(wait_job "$job" 120)
[[ $state == COMPLETED && $(job_field "$job" ExitCode) == 0:0 ]] ||
    { show_job job.out rank-0.out rank-1.out; fail "the job ended $state, exit $(job_field "$job" ExitCode)"; }
for rank in 0 1; do
    coordinator=False
    ((rank == 0)) && coordinator=True
    grep -qx "rank $rank of coordinator=$coordinator: 5 trials, best 0.0 at --x=0, workers \[0\]" rank-$rank.out ||
        { show_job rank-$rank.out; fail "rank $rank did not return the run's result"; }
done
echo "PASS"
