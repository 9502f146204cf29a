#!/usr/bin/env bash
# `hpo submit --template run` on 4 nodes with --nodes-per-eval 2, with the srun launcher and with
# the mpirun launcher: every evaluation runs on its own 2 nodes (its tasks ran there, HPO_NODES
# and the node file name them), no two evaluations running at the same time share a node, and
# both slots work in parallel.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

for launcher in srun mpirun; do
    hpo_submit --template run -N 4 --output="$launcher.out" -- \
        --launcher "$launcher" --nodes-per-eval 2 --strategy random --evals 8 --seed 3 \
        --param '--x [0.0,1.0]' --run-dir "$launcher-runs" --checkpoint "$launcher.h5" -- "$SLURM_LIB/slot_kernel.sh"
    state=$(wait_job "$job" 120)
    [[ $state == COMPLETED && $(job_field "$job" ExitCode) == 0:0 ]] ||
        { show_job "$launcher.out"; fail "$launcher: the job ended $state, exit $(job_field "$job" ExitCode)"; }
    grep -q "8 evaluations planned on 2 slots of 2 nodes ($launcher)" "$launcher.out" ||
        { show_job "$launcher.out"; fail "$launcher: not 2 slots"; }

    "$HPO_BIN" export "$launcher.h5" --format csv > "$launcher.csv"
    [[ $(($(wc -l < "$launcher.csv") - 1)) == 8 ]] || { cat "$launcher.csv"; fail "$launcher: expected 8 trials"; }
    python3 "$SLURM_LIB/check_slots.py" "$launcher.csv" "$launcher-runs" 2 n1,n2,n3,n4 ||
        { cat "$launcher.csv"; fail "$launcher: the slots were not respected"; }
done
[[ -z $(squeue -h -s -o %j | grep '^hpo-' || true) ]] || fail "job steps of evaluations outlived the run"
echo "PASS"
