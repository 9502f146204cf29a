#!/usr/bin/env bash
# The Python package's launcher='wlm' on a real Slurm cluster: (1) a driver started outside any
# allocation creates one with salloc (alloc_args, nodes), runs every trial as an srun step on its
# nodes and releases it at the end, as the seed did; (2) alloc_jobid runs in an existing
# allocation, on its first `nodes` nodes, and leaves it running.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

export PYTHONPATH="$(dirname "$(dirname "$HPO_BIN")")/python"
python=/usr/bin/python3
[[ -x $python ]] || python=python3
unset SLURM_JOB_ID SLURM_JOBID SLURM_JOB_NODELIST

cat > kernel.sh << 'KERNEL'
#!/bin/sh
echo "ran on ${SLURMD_NODENAME:-nowhere}"
echo "FoM: 1"
KERNEL
chmod +x kernel.sh

cat > driver.py << 'DRIVER'
import sys
import hpo
keywords = eval(sys.argv[1])
evaluator = hpo.Evaluator("./kernel.sh", launcher="wlm", **keywords)
optimizer = hpo.random.Optimizer(evaluator, num_iters=6, seed=1, checkpoint_fn=sys.argv[2])
optimizer.optimize([["--x", (0.0, 1.0)]])
print("statuses", sorted({t["status"] for t in optimizer.trials}))
print("hosts", " ".join(sorted({t["host"] for t in optimizer.trials})))
DRIVER

# (1) Outside an allocation: salloc, srun steps on both nodes, scancel.
"$python" driver.py "dict(nodes=2, alloc_args='-J hpo-py-alloc --time=5')" created.h5 > created.out 2> created.err ||
    { cat created.out created.err; bash "$CLUSTER" logs | tail -20; fail "the driver failed outside an allocation"; }
grep -q "creating an allocation: salloc --no-shell --nodes=2 -J hpo-py-alloc --time=5" created.err ||
    { cat created.err; fail "no allocation was created"; }
grep -q "released (nodes deallocated)" created.err || { cat created.err; fail "the allocation was not released"; }
grep -qx "statuses \['ok'\]" created.out || { cat created.out created.err; fail "trials did not succeed"; }
grep -qx "hosts n1 n2" created.out || { cat created.out; fail "the trials did not run on the allocation's two nodes"; }
grep -q "ran on n[12]" hpo-runs/0/stdout || { cat hpo-runs/0/stdout; fail "the kernel did not run as a step on a node"; }
[[ -z $(squeue -h -n hpo-py-alloc -o %i) ]] || { squeue; fail "the created allocation is still there"; }

# (2) An existing allocation of 2 nodes, used through alloc_jobid on 1 node, left running.
kept=$(salloc --no-shell -N 2 -J hpo-py-kept --time=5 2>&1 | sed -n 's/.*Granted job allocation \([0-9]*\).*/\1/p')
[[ -n $kept ]] || fail "salloc did not create the test's allocation"
submitted+=("$kept")
rm -rf hpo-runs
"$python" driver.py "dict(nodes=1, alloc_jobid=$kept)" kept.h5 > kept.out 2> kept.err ||
    { cat kept.out kept.err; fail "the driver failed with alloc_jobid"; }
grep -qx "statuses \['ok'\]" kept.out || { cat kept.out kept.err; fail "trials did not succeed in the existing allocation"; }
first_node=$(scontrol show hostnames "$(squeue -h -j "$kept" -o %N)" | head -1)
grep -qx "hosts $first_node" kept.out || { cat kept.out; fail "nodes=1 did not keep the trials on $first_node"; }
[[ $(squeue -h -j "$kept" -o %T) == RUNNING ]] || fail "hpo released an allocation it did not create"
if grep -q "creating an allocation" kept.err; then cat kept.err; fail "an allocation was created despite alloc_jobid"; fi
echo "PASS"
