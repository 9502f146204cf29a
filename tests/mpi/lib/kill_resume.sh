# Runs an hpo search under mpirun, killing the whole job (mpirun, every rank, every kernel) with
# SIGKILL at random moments and resuming it, until it finishes. Sourced after common.sh.
# Usage: kill_resume_until_done CHECKPOINT KERNEL_PATTERN hpo-run-args... -- kernel...
# Sets `kills` to the number of kills that landed. KILL_RESUME_RANKS (default 4, three workers)
# sets the job's size.
kill_resume_until_done() {
  local checkpoint=$1 kernel_pattern=$2; shift 2
  local attempt job delay finished=0 seen_checkpoint=0
  kills=0
  for attempt in $(seq 1 40); do
    mpi_hpo "${KILL_RESUME_RANKS:-4}" 3 run --checkpoint "$checkpoint" --resume "$@" > "$checkpoint.out" 2> "$checkpoint.err" &
    job=$!
    delay=$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%d", 12 + 32 * rand() }')  # 0.6 .. 2.2 s
    for _ in $(seq 1 "$delay"); do
      kill -0 $job 2> /dev/null || break
      sleep 0.05
    done
    if ! kill -0 $job 2> /dev/null; then
      wait $job || { cat "$checkpoint.err"; fail "a resumed run failed (attempt $attempt)"; }
      finished=1
      break
    fi
    pkill -KILL -f "mpirun.*--checkpoint $checkpoint" 2> /dev/null || true
    pkill -KILL -f "$HPO_BIN run --checkpoint $checkpoint" 2> /dev/null || true
    pkill -KILL -f "$kernel_pattern" 2> /dev/null || true
    wait $job 2> /dev/null || true
    sleep 0.2
    # A kill that lands before the run has created its checkpoint (a slow start: sanitizers, a
    # loaded machine) loses nothing and proves nothing; once the file exists it must stay readable.
    if [[ ! -e $checkpoint && $seen_checkpoint -eq 0 ]]; then continue; fi
    seen_checkpoint=1
    kills=$((kills + 1))
    "$HPO_BIN" show "$checkpoint" > /dev/null 2> show.err || { cat show.err; fail "checkpoint unreadable after kill $kills"; }
  done
  [ "$finished" -eq 1 ] || fail "the run did not finish within 40 attempts"
  [ "$kills" -ge 2 ] || fail "only $kills kills landed: the test proved nothing"
}
