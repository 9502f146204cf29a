#!/usr/bin/env bash
# A resume never shares a trial directory with a live process left from an earlier run: a
# process holding the directory's lock (as an orphaned kernel does, through its standard input)
# is ended before the trial runs there again, and the trial's message says so.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/processes.bash"

cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
# A kernel that finds the leftover process still alive beside it says so.
if [[ -s $TESTDIR/orphan.pid ]] && kill -0 "$(cat "$TESTDIR/orphan.pid")" 2> /dev/null; then
    echo "$HPO_TRIAL_ID" >> "$TESTDIR/shared"
fi
[[ -e $TESTDIR/first && $HPO_TRIAL_ID == 2 ]] && sleep 300
echo "FoM: ${1#--x=}"
KERNEL
chmod +x kernel.sh
export TESTDIR=$PWD
args=(--param '--x 0.5 [0.0,1.0]' --strategy random --evals 4 --parallel 1 --no-progress --run-dir runs)

# A run stopped (SIGTERM) while trial 2 runs: trial 2 is pending, its directory exists.
touch first
"$HPO_BIN" run "${args[@]}" -- ./kernel.sh > out.txt 2> err.txt &
pid=$!
for _ in $(seq 600); do [[ -e runs/2/.hpo-lock ]] && break; sleep 0.05; done
[[ -e runs/2/.hpo-lock ]] || { kill -KILL "$pid"; show_output; fail "trial 2 did not start with a lock file"; }
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
rm first
expect_rc 3 "the run stopped by SIGTERM"
pending=2

# The leftover: a process of its own session holding the lock of a pending trial's directory.
setsid flock "runs/$pending/.hpo-lock" sleep 300 < /dev/null > /dev/null 2>&1 &
orphan=$!
echo "$orphan" > orphan.pid
for _ in $(seq 100); do flock -n "runs/$pending/.hpo-lock" true || break; sleep 0.05; done
flock -n "runs/$pending/.hpo-lock" true && fail "the stand-in orphan did not take the lock"
kill -0 "$orphan" || fail "the stand-in orphan is not the process whose pid the kernel checks"

hpo_run resume hpo.h5 --no-progress
live_in_group "$orphan" && leftover=1 || leftover=0
# Its whole process group (flock and its sleep, which holds the lock too), ended here if still alive.
kill -KILL -- -"$orphan" 2> /dev/null || true
expect_rc 0 "the resume"
[[ -e shared ]] && fail "trial $(cat shared) ran beside the live leftover process"
((leftover == 0)) || fail "the leftover process was still alive after the resume"
expect_grep out.txt "trials: 4 (4 ok)" "the resume completes the budget"
"$HPO_BIN" export hpo.h5 --format csv > trials.csv
grep -q "^$pending,.*left from an earlier run" trials.csv || { cat trials.csv >&2; fail "trial $pending's message does not say what was done"; }
echo "orphan in a trial directory: ok (trial $pending)"
