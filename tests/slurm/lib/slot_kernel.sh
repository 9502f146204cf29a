#!/usr/bin/env bash
# A test kernel run by srun or mpirun, one copy per task: records its rank, its node, its slot
# and when it ran (tasks.log in the trial directory); rank 0 prints the FoM of --x and marks the
# trial done.
start=$(date +%s.%N)
sleep "${SLOT_KERNEL_SECONDS:-0.8}"
x=${1#--x=}
rank=${OMPI_COMM_WORLD_RANK:-${SLURM_PROCID:-0}}
echo "$rank ${SLURMD_NODENAME:-none} ${HPO_NODES:-none} $start $(date +%s.%N)" >> tasks.log
if [[ $rank == 0 ]]; then
    awk -v x="$x" 'BEGIN { printf "FoM: %.9e\n", (x - 0.3) ^ 2 }'
    touch done
fi
