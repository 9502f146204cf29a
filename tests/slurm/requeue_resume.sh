#!/usr/bin/env bash
# The self-requeueing template (hpo submit's default): the job gets its time-limit warning signal
# (USR1 to the batch shell, as `#SBATCH --signal=B:USR1@...` sends it) mid-run; hpo commits the
# checkpoint and exits 3, the job requeues itself, resumes the checkpoint when it restarts, and
# ends with the same trial table as the same run never interrupted.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

args=(--launcher srun --nodes-per-eval 2 --strategy genetic --generations 4 --pop-size 4 --seed 11
      --param '--x [0.0,1.0]')
kernel=("$SLURM_LIB/slot_kernel.sh")
trial_table() {  # the columns a resume must reproduce, by trial id
    "$HPO_BIN" export "$1" --format csv |
        python3 -c 'import csv, sys
for r in sorted(csv.DictReader(sys.stdin), key=lambda r: int(r["id"])):
    print(r["id"], r["deme"], r["generation"], r["--x"], r["fom"], r["status"])'
}

hpo_submit -N 4 --output=requeue.out -- "${args[@]}" --checkpoint requeue.h5 --run-dir requeue-runs -- "${kernel[@]}"
requeued=$job
for _ in $(seq 240); do
    (($(find requeue-runs -name done 2> /dev/null | wc -l) >= 3)) && break
    sleep 0.25
done
(($(find requeue-runs -name done | wc -l) >= 3)) || { show_job requeue.out; fail "no 3 trials done in 60 s"; }
scancel --signal=USR1 --batch "$requeued"
for _ in $(seq 120); do
    [[ $(job_field "$requeued" Restarts) == 1 ]] && break
    sleep 0.25
done
[[ $(job_field "$requeued" Restarts) == 1 ]] || { show_job requeue.out; fail "the job did not requeue within 30 s"; }

# The reference run uses the nodes while the requeued job waits out Slurm's requeue delay.
hpo_submit --template run -N 4 --output=straight.out -- "${args[@]}" --checkpoint straight.h5 --run-dir straight-runs \
    -- "${kernel[@]}"
straight=$job
state=$(wait_job "$straight" 120)
[[ $state == COMPLETED ]] || { show_job straight.out; fail "the uninterrupted job ended $state"; }

state=$(wait_job "$requeued" 150)
[[ $state == COMPLETED && $(job_field "$requeued" ExitCode) == 0:0 ]] ||
    { show_job requeue.out; fail "the requeued job ended $state, exit $(job_field "$requeued" ExitCode)"; }
[[ $(job_field "$requeued" Restarts) == 1 ]] || { show_job requeue.out; fail "the job did not restart once"; }
grep -q "interrupted by SIGUSR1" requeue.out || { show_job requeue.out; fail "hpo was not interrupted by SIGUSR1"; }
grep -q "requeueing job $requeued" requeue.out || { show_job requeue.out; fail "the job did not requeue itself"; }
grep -q "resuming requeue.h5" requeue.out || { show_job requeue.out; fail "the restarted job did not resume"; }
grep -q "(resumed with [0-9]* trials)" requeue.out || { show_job requeue.out; fail "no trial came from the checkpoint"; }

trial_table requeue.h5 > requeue.txt
trial_table straight.h5 > straight.txt
[[ $(wc -l < straight.txt) -ge 10 ]] || { cat straight.txt; fail "the reference run is too short"; }
diff straight.txt requeue.txt || fail "the requeued run's trials differ from the uninterrupted run's"
echo "PASS: $(wc -l < requeue.txt) trials, the same after a requeue"
