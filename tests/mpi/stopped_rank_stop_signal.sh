# A worker rank is stopped (SIGSTOP) mid-trial, then the job is told to stop: SIGUSR1 to mpirun
# still ends it (exit 3) once the stopped rank has had the kill grace and a margin to answer, with
# the checkpoint readable; `hpo resume` then completes the budget with every trial exactly once.
# Then SIGTERM to mpirun with a rank stopped: mpirun ends the job itself; the checkpoint survives.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/stopped_rank.sh"

search=(--strategy random --evals 16 --seed 6 --param '--x 0.9 [0.0,1.0]' --param '--sleep {1}'
        --run-dir runs --no-progress --checkpoint stop.h5)
status=0
mpi_hpo 4 3 run "${search[@]}" -- sh "$KERNELS/placement_kernel.sh" > out.txt 2> err.txt &
job=$!
stop_busy_rank 1 "$HPO_BIN run .*stop.h5"
sleep 1
pkill -USR1 -P "$job" || fail "no mpirun to signal"  # the background subshell's child is mpirun
for _ in $(seq 1 1200); do kill -0 $job 2> /dev/null || break; sleep 0.1; done
kill -0 $job 2> /dev/null && fail "the job did not end within 120 s of SIGUSR1 with rank 1 stopped"
wait $job || status=$?
[ "$status" -eq 3 ] || { cat out.txt err.txt; fail "exit status $status after SIGUSR1, expected 3"; }
grep -q "hpo resume" err.txt || fail "no resume hint: $(cat err.txt)"
grep -q "^lost workers: rank 1 (node [^)]*), trial [0-9]* pending$" out.txt || { cat out.txt; fail "the summary does not name rank 1"; }
"$HPO_BIN" show stop.h5 > /dev/null || fail "checkpoint unreadable after the stop"
before=$("$HPO_BIN" export stop.h5 --format csv | tail -n +2 | wc -l)
[ "$before" -lt 16 ] || fail "all 16 trials done before the stop: it proved nothing"

kill -CONT "$stopped_pid" 2> /dev/null || true
kill -KILL "$stopped_pid" 2> /dev/null || true
mpi_hpo 4 3 resume stop.h5 --no-progress > resume.txt 2> resume.err || { cat resume.err; fail "resume failed"; }
all_trials_once stop.h5 16

# SIGTERM: mpirun kills every rank itself (the stopped one too); what was committed stays.
mpi_hpo 4 3 resume stop.h5 --evals 40 --no-progress > out2.txt 2> err2.txt &
job=$!
stop_busy_rank 2 "$HPO_BIN resume stop.h5"
sleep 1
pkill -TERM -P "$job" || fail "no mpirun to signal"
for _ in $(seq 1 1200); do kill -0 $job 2> /dev/null || break; sleep 0.1; done
kill -0 $job 2> /dev/null && fail "the job did not end within 120 s of SIGTERM with rank 2 stopped"
wait $job || true
"$HPO_BIN" show stop.h5 > /dev/null || fail "checkpoint unreadable after SIGTERM"
kill -CONT "$stopped_pid" 2> /dev/null || true
kill -KILL "$stopped_pid" 2> /dev/null || true
for _ in $(seq 1 100); do  # ranks may outlive mpirun for a moment
  pgrep -f "$HPO_BIN resume stop.h5" > /dev/null || break
  sleep 0.1
done
mpi_hpo 4 3 resume stop.h5 --no-progress > resume2.txt 2> resume2.err || { cat resume2.err; fail "resume after SIGTERM failed"; }
all_trials_once stop.h5 40
echo "ok: $before trials before SIGUSR1; 16, then 40 after the resumes"
