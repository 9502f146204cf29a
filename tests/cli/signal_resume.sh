#!/usr/bin/env bash
# SIGTERM (what Slurm sends before the time limit) stops a run with exit 3: the checkpoint holds
# every trial that finished, stderr says how to continue, and `hpo resume` completes the run:
# the planned number of trials, the same table as a run never interrupted.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
sleep 0.4
x=${1#--x=}
awk -v x="$x" 'BEGIN { printf "FoM: %.9e\n", (x - 0.3) ^ 2 }'
touch done
KERNEL
chmod +x kernel.sh
args=(--param '--x 0.9 [0.0,1.0]' --strategy random --evals 12 --seed 9 --parallel 2 --no-progress)

trial_rows() { "$HPO_BIN" export "$1" --format csv | cut -d, -f1,4,5,6; }
finished() { find runs -name done 2> /dev/null | wc -l; }

"$HPO_BIN" run "${args[@]}" --run-dir runs -- ./kernel.sh > out.txt 2> err.txt &
pid=$!
for _ in $(seq 600); do
    (($(finished) >= 3)) && break
    sleep 0.05
done
(($(finished) >= 3)) || { kill -KILL "$pid"; fail "the run did not finish 3 trials in 30 s"; }
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
expect_rc 3 "hpo run stopped by SIGTERM"
expect_grep out.txt ", interrupted" "the summary says interrupted"
expect_grep err.txt "SIGTERM" "stderr names the signals"
expect_grep err.txt "hpo resume hpo.h5" "stderr says how to continue"
done_before=$(sed -n 's/^trials: \([0-9]*\).*/\1/p' out.txt)
((done_before >= 3 && done_before < 12)) || { show_output; fail "interrupted after $done_before trials"; }

# Every trial the run reported is in the checkpoint, which says the run is not finished.
hpo_run show hpo.h5
expect_rc 0 "show of the interrupted run"
expect_grep out.txt "trials: $done_before (" "the checkpoint holds every finished trial"
expect_grep out.txt "run: not finished" "show says the run is not finished"
expect_grep out.txt "hpo resume hpo.h5" "show says how to continue"

hpo_run resume hpo.h5 --no-progress --log resumed.log
expect_rc 0 "hpo resume after SIGTERM"
# The log's utilization counts only the trials this session ran: the ones from before the
# signal ran before its clock started (counted, they gave more than 100 %).
utilization=$(sed -n 's/.*worker utilization: \([0-9.]*\) %.*/\1/p' resumed.log)
[[ -n $utilization ]] || { cat resumed.log >&2; fail "no worker utilization in the resumed run's log"; }
le "$utilization" 100 || { cat resumed.log >&2; fail "the resumed run's utilization is $utilization %"; }
expect_grep out.txt "trials: 12 (12 ok)" "the resumed run reaches the planned budget"
expect_grep out.txt "resumed with $done_before trials" "the resume started from the checkpoint"
hpo_run show hpo.h5
expect_grep out.txt "run: finished" "show says the run finished"
rows=$(trial_rows hpo.h5)
(($(wc -l <<< "$rows") == 13)) || fail "expected 12 exported trials, got: $rows"
[[ $(cut -d, -f1 <<< "$rows" | tail -n +2 | sort -n | tr '\n' ' ') == "0 1 2 3 4 5 6 7 8 9 10 11 " ]] ||
    fail "trial ids are not 0..11 once each: $rows"

# The same table as an uninterrupted run with the same seed.
hpo_run run "${args[@]}" --run-dir straight --checkpoint straight.h5 -- ./kernel.sh
expect_rc 0 "the uninterrupted run"
[[ $(trial_rows straight.h5) == "$rows" ]] || fail "the interrupted and resumed run differs from an uninterrupted one"

echo "signal and resume: ok (interrupted after $done_before trials)"
