#!/usr/bin/env bash
# An evaluation that times out, and one stopped by SIGTERM to hpo, leave no job step behind in
# `squeue -s` and no task process alive, though their tasks ignore SIGTERM; the job goes on.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

cat > steps.sbatch << SCRIPT
#!/bin/bash
#SBATCH -N 4
#SBATCH --output=job.out
hpo_steps() { squeue -h -s -j "\$SLURM_JOB_ID" -o '%i %j' | grep ' hpo-' || true; }
alive_tasks() {
    local pid n=0
    for pid in \$(cat "\$1"/*/pids | awk '{ print \$2 }'); do kill -0 "\$pid" 2> /dev/null && n=\$((n + 1)); done
    echo "\$n"
}
args=(--launcher srun --nodes-per-eval 2 --strategy random --evals 2 --param '--x [0.0,1.0]' --no-progress)

# 1. Both evaluations time out after 1.5 s.
"$HPO_BIN" run "\${args[@]}" --timeout 1.5 --run-dir timeout-runs --checkpoint timeout.h5 -- "$SLURM_LIB/stubborn_kernel.sh"
echo "timeout run exit \$?"
hpo_steps > steps-after-timeout.txt
alive_tasks timeout-runs > alive-after-timeout.txt

# 2. hpo is told to stop while both evaluations run.
"$HPO_BIN" run "\${args[@]}" --run-dir stop-runs --checkpoint stop.h5 -- "$SLURM_LIB/stubborn_kernel.sh" &
hpo=\$!
for _ in \$(seq 200); do
    [[ \$(cat stop-runs/*/pids 2> /dev/null | wc -l) -ge 4 ]] && break
    sleep 0.1
done
hpo_steps > steps-before-stop.txt
kill -TERM "\$hpo"
wait "\$hpo"
echo "stopped run exit \$?"
hpo_steps > steps-after-stop.txt
alive_tasks stop-runs > alive-after-stop.txt
SCRIPT
sbatch_script steps.sbatch
state=$(wait_job "$job" 120)
[[ $state == COMPLETED ]] || { show_job job.out; fail "the job ended $state"; }

grep -q "timeout run exit 1" job.out || { show_job job.out; fail "the timed-out run did not exit 1"; }
"$HPO_BIN" export timeout.h5 --format csv > trials.csv
python3 -c 'import csv, sys; print(" ".join(r["status"] for r in csv.DictReader(open(sys.argv[1]))))' trials.csv > statuses.txt
[[ $(cat statuses.txt) == "timeout timeout" ]] || { cat trials.csv; show_job job.out; fail "expected 2 timeouts"; }
[[ $(cat timeout-runs/*/pids | wc -l) == 4 ]] || fail "the timed-out evaluations did not start 2 tasks each"
[[ ! -s steps-after-timeout.txt ]] || { cat steps-after-timeout.txt; fail "timed-out job steps are still in squeue -s"; }
[[ $(cat alive-after-timeout.txt) == 0 ]] || fail "$(cat alive-after-timeout.txt) timed-out tasks are still alive"

grep -q "stopped run exit 3" job.out || { show_job job.out; fail "the stopped run did not exit 3"; }
[[ $(wc -l < steps-before-stop.txt) == 2 ]] || { cat steps-before-stop.txt; fail "expected 2 running steps before the stop"; }
[[ ! -s steps-after-stop.txt ]] || { cat steps-after-stop.txt; fail "stopped job steps are still in squeue -s"; }
[[ $(cat alive-after-stop.txt) == 0 ]] || fail "$(cat alive-after-stop.txt) stopped tasks are still alive"
echo "PASS"
