#!/usr/bin/env bash
# `mpirun hpo run` inside a 4-node allocation, 8 ranks spread over the nodes: the ranks are
# grouped by their Slurm node names (all on one machine here, so the host name would say one
# node), the 4 nodes are cut into 2 slots of 2, one worker per slot evaluates and the others
# idle; each deme runs on its own slot, no two evaluations share a node.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# btl self,tcp: Open MPI's shared-memory transport crashes between ranks of virtual nodes that
# share one machine (as srun --mpi=pmix does); a real cluster needs no such option.
cat > mpi.sbatch << SCRIPT
#!/bin/bash
#SBATCH -N 4
#SBATCH --ntasks-per-node=2
#SBATCH --output=job.out
mpirun --mca btl self,tcp -n 8 --map-by node "$HPO_BIN" run --launcher srun --nodes-per-eval 2 \\
    --strategy genetic --demes 2 --pop-size 3 --generations 2 --seed 5 --param '--x [0.0,1.0]' \\
    --run-dir runs --checkpoint mpi.h5 --log mpi.log -- "$SLURM_LIB/slot_kernel.sh"
SCRIPT
sbatch_script mpi.sbatch
state=$(wait_job "$job" 120)
[[ $state == COMPLETED && $(job_field "$job" ExitCode) == 0:0 ]] ||
    { show_job job.out mpi.log; fail "the job ended $state, exit $(job_field "$job" ExitCode)"; }
grep -q "planned on 2 slots of 2 nodes (srun)" job.out || { show_job job.out; fail "not 2 slots"; }
grep -q "slots: n\[1-2\] n\[3-4\]" mpi.log || { show_job mpi.log; fail "the log does not name the slots"; }

"$HPO_BIN" export mpi.h5 --format csv > trials.csv
python3 "$SLURM_LIB/check_slots.py" trials.csv runs 2 n1,n2,n3,n4 || { cat trials.csv; exit 1; }
# Each deme on one slot, evaluated by one worker rank.
python3 - trials.csv << 'CHECK' || { cat trials.csv; exit 1; }
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
by_deme = {}
for row in rows:
    by_deme.setdefault(row["deme"], set()).add((row["host"], row["worker"]))
if sorted(by_deme) != ["0", "1"] or any(len(v) != 1 for v in by_deme.values()):
    sys.exit(f"FAIL: demes and slots do not match one to one: {by_deme}")
if {h for v in by_deme.values() for h, _ in v} != {"n[1-2]", "n[3-4]"}:
    sys.exit(f"FAIL: the slots are not n[1-2] and n[3-4]: {by_deme}")
CHECK
echo "PASS"
