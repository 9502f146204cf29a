#!/usr/bin/env bash
# SIGHUP (a closed terminal or ssh session) stops a run as SIGTERM does: exit 3, the checkpoint
# holds every finished trial, and `hpo resume` completes the budget. Under nohup it is ignored.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
sleep 0.3
x=${1#--x=}
awk -v x="$x" 'BEGIN { printf "FoM: %.9e\n", (x - 0.3) ^ 2 }'
touch done
KERNEL
chmod +x kernel.sh
args=(--param '--x 0.9 [0.0,1.0]' --strategy random --evals 10 --seed 3 --parallel 2 --no-progress)
finished() { find "$1" -name done 2> /dev/null | wc -l; }

# hup_after_three RUN_DIR CHECKPOINT PREFIX...: starts the run through PREFIX (a command that
# execs hpo), sends SIGHUP after 3 trials.
hup_after_three() {
    local dir=$1 checkpoint=$2
    shift 2
    "$@" "$HPO_BIN" run "${args[@]}" --run-dir "$dir" --checkpoint "$checkpoint" -- ./kernel.sh > out.txt 2> err.txt &
    pid=$!
    for _ in $(seq 600); do
        (($(finished "$dir") >= 3)) && break
        sleep 0.05
    done
    (($(finished "$dir") >= 3)) || { kill -KILL "$pid"; fail "the run did not finish 3 trials in 30 s"; }
    kill -HUP "$pid"
    set +e
    wait "$pid"
    rc=$?
    set -e
}

# env --default-signal: even if this test itself was started with SIGHUP ignored (nohup ctest).
hup_after_three runs hpo.h5 env --default-signal=HUP
expect_rc 3 "hpo run stopped by SIGHUP"
expect_grep err.txt "interrupted by SIGHUP" "stderr names the signal"
expect_grep err.txt "hpo resume hpo.h5" "stderr says how to continue"
done_before=$(sed -n 's/^trials: \([0-9]*\).*/\1/p' out.txt)
((done_before >= 3 && done_before < 10)) || { show_output; fail "stopped after $done_before trials"; }
hpo_run show hpo.h5
expect_grep out.txt "trials: $done_before (" "the checkpoint holds every finished trial"
hpo_run resume hpo.h5 --no-progress
expect_rc 0 "hpo resume after SIGHUP"
expect_grep out.txt "trials: 10 (10 ok)" "the resumed run reaches the planned budget"

# Started under nohup, the hang-up is not hpo's to act on: the run goes on to its end.
hup_after_three nohup-runs nohup.h5 nohup
expect_rc 0 "a run under nohup after SIGHUP"
hpo_run show nohup.h5
expect_grep out.txt "trials: 10 (10 ok)" "the nohup run finished its budget"
echo "SIGHUP stops like SIGTERM: ok (stopped after $done_before trials)"
