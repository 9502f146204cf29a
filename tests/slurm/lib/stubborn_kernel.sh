#!/usr/bin/env bash
# A test kernel that never ends by itself and ignores SIGTERM, one copy per srun task: records
# its job step and pid (pids in the trial directory), then loops until killed.
trap 'echo "task ${SLURM_PROCID:-0} ignores SIGTERM" >&2' TERM
echo "${SLURM_JOB_ID:-none}.${SLURM_STEP_ID:-none} $$ ${SLURMD_NODENAME:-none}" >> pids
while true; do sleep 0.1; done
