# Runs an hpo search under mpirun, killing the whole job (mpirun, every rank, every kernel) with
# SIGKILL at random moments and resuming it, until it finishes. Sourced after common.sh.
# Usage: kill_resume_until_done CHECKPOINT KERNEL_PATTERN hpo-run-args... -- kernel...
# Sets `kills` to the number of kills that landed. KILL_RESUME_RANKS (default 4, three workers)
# sets the job's size.
#
# A search that finishes after fewer than 2 landed kills proved nothing: on a loaded machine a
# short one can start slowly (kills before its checkpoint exists do not count) and then run to its
# end before the next kill. It starts again from scratch (its checkpoint and --run-dir removed),
# killed twice as soon, up to 3 rounds in all.
kill_resume_until_done() {
  local checkpoint=$1 round run_dir="" arg previous=""
  for arg in "$@"; do
    [[ $previous == --run-dir ]] && run_dir=$arg
    [[ $arg == -- ]] && break
    previous=$arg
  done
  for round in 1 2 3; do
    kill_resume_round "$round" "$@"
    [ "$kills" -ge 2 ] && return 0
    echo "round $round: the run finished after $kills kills; again from scratch, killing sooner" >&2
    rm -rf "$checkpoint" "$checkpoint.out" "$checkpoint.err"
    [[ -n $run_dir ]] && rm -rf "$run_dir"
  done
  fail "only $kills kills landed in each of 3 rounds: the test proved nothing"
}

# One round: kills after 0.6 .. 2.2 s divided by 2^(round - 1), until the run finishes.
kill_resume_round() {
  local round=$1 checkpoint=$2 kernel_pattern=$3; shift 3
  local attempt job delay finished=0 seen_checkpoint=0
  kills=0
  for attempt in $(seq 1 40); do
    mpi_hpo "${KILL_RESUME_RANKS:-4}" 3 run --checkpoint "$checkpoint" --resume "$@" > "$checkpoint.out" 2> "$checkpoint.err" &
    job=$!
    delay=$(awk -v seed="$RANDOM" -v round="$round" \
      'BEGIN { srand(seed); printf "%d", (12 + 32 * rand()) / 2 ^ (round - 1) }')  # in 0.05 s
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
}
