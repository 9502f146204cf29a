#!/usr/bin/env bash
# The first result of a run, and of each resume, is committed at once whatever
# --checkpoint-interval says (issue 12): a job killed (SIGKILL) soon after every start still
# progresses. The kernel finishes only when the test lets it (a file go.<trial id>), so the test
# decides when each trial ends: no sleeps that assume a speed.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

cat > gated_kernel.sh << KERNEL
#!/usr/bin/env bash
# Waits (at most a minute) for $work/go.\$HPO_TRIAL_ID, then reports a FoM.
for _ in \$(seq 1 1200); do
    [[ -e $work/go.\$HPO_TRIAL_ID ]] && break
    sleep 0.05
done
echo "FoM: \$HPO_TRIAL_ID"
KERNEL
chmod +x gated_kernel.sh

# wait_for PATH WHAT: polls (at most a minute) until PATH exists.
wait_for() {
    for _ in $(seq 1 1200); do
        [[ -e $1 ]] && return 0
        kill -0 "$job" 2> /dev/null || { cat err.txt >&2; fail "hpo ended while waiting for $2"; }
        sleep 0.05
    done
    fail "timed out waiting for $2"
}

committed_trials() {
    "$HPO_BIN" export run.h5 --format csv -o trials.csv
    echo $(($(wc -l < trials.csv) - 1))
}

# kill_after_trial ID: lets trial ID finish, waits until the next trial has started (the result
# of ID was handled before it was dispatched), then kills hpo with SIGKILL.
kill_after_trial() {
    touch "go.$1"
    wait_for "runs/$(($1 + 1))" "trial $(($1 + 1)) to start"
    kill -KILL "$job"
    wait "$job" 2> /dev/null || true
}

args=(--param '--x [0.0,1.0]' --strategy random --evals 20 --parallel 1 --run-dir runs
      --checkpoint run.h5 --checkpoint-interval 3600 --no-progress -- ./gated_kernel.sh)

"$HPO_BIN" run "${args[@]}" > out.txt 2> err.txt &
job=$!
kill_after_trial 0
n=$(committed_trials)
((n == 1)) || fail "after the first trial and SIGKILL the checkpoint holds $n trials, expected 1"

# Each resume's first result is committed at once too: every restart keeps one more trial.
for id in 1 2; do
    "$HPO_BIN" resume run.h5 --no-progress > out.txt 2> err.txt &
    job=$!
    kill_after_trial "$id"
    n=$(committed_trials)
    ((n == id + 1)) || fail "after resume $id and SIGKILL the checkpoint holds $n trials, expected $((id + 1))"
done

# Let the orphaned kernel and the rest of the run finish.
touch $(seq -f 'go.%g' 0 19)
hpo_run resume run.h5 --no-progress
expect_rc 0 "the final resume"
expect_grep out.txt "trials: 20 (20 ok)" "every trial once"
echo "first commit: ok"
