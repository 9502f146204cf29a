# Confirmation survives kill -9: a search with --confirm-top under mpirun (one worker, so that the
# uninterrupted run's trial table is a fixed reference) is killed with SIGKILL (the whole job) once
# repeats are in its checkpoint and others still owed, resumed, and ends with the same trial table
# (ids, repeat_of, repeat, values, FoMs) and the same confirmed best as the uninterrupted run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"

search=(--strategy random --evals 6 --seed 5 --confirm-top 3 --confirm-repeats 2 --param '--x [0.0,1.0]'
        --run-dir runs --checkpoint-interval 0 --no-progress
        -- python3 "$HPO_SOURCE_DIR/tests/kernels/noisy_kernel.py" --seed=@repeat --pause=0.4)

mpi_hpo 2 1 run --checkpoint reference.h5 "${search[@]}" > reference.out 2> reference.err \
  || { cat reference.err; fail "the uninterrupted run failed"; }
grep -q '^best FoM (mean of 3 runs)' reference.out || { cat reference.out; fail "the reference confirmed nothing"; }

# repeats FILE: how many repeats the checkpoint holds (0 while it does not exist).
repeats() {
  [[ -e $1 ]] || { echo 0; return; }
  "$HPO_BIN" export "$1" --format csv -o repeats.csv 2> /dev/null || { echo 0; return; }
  python3 -c 'import csv, sys; print(sum(1 for r in csv.DictReader(open("repeats.csv")) if r["repeat_of"]))'
}

kills=0
for attempt in 1 2 3 4 5 6; do
  # A session of its own: the kill takes mpirun, every rank and every kernel, by the group's id.
  setsid "$MPIEXEC" --oversubscribe -n 2 "$HPO_BIN" run --checkpoint killed.h5 --resume "${search[@]}" \
    > killed.out 2> killed.err &
  job=$!
  killed=0
  # Killed once some repeats are committed and some are still owed (6 in all).
  for _ in $(seq 1 400); do
    kill -0 $job 2> /dev/null || break
    n=$(repeats killed.h5)
    if ((n >= 1 + kills && n < 6)); then
      kill -KILL -- -$job 2> /dev/null || true
      kills=$((kills + 1))
      killed=1
      break
    fi
    sleep 0.1
  done
  if wait $job; then break; fi
  ((killed)) || { cat killed.err; fail "a run failed without being killed (attempt $attempt)"; }
  sleep 0.3
  "$HPO_BIN" show killed.h5 > /dev/null || fail "the checkpoint is unreadable after kill $kills"
done
((kills >= 1)) || fail "no kill landed mid-confirmation: the test proved nothing"
grep -q '^best FoM (mean of 3 runs)' killed.out || { cat killed.out killed.err; fail "the resumed run did not finish"; }

"$HPO_BIN" export reference.h5 --format json -o reference.json
"$HPO_BIN" export killed.h5 --format json -o killed.json
python3 "$here/lib/same_trials.py" reference.json killed.json
[ "$(grep '^best' reference.out)" = "$("$HPO_BIN" show killed.h5 | grep '^best')" ] \
  || fail "the best differs: $(grep '^best' reference.out) vs $("$HPO_BIN" show killed.h5 | grep '^best')"
echo "ok after $kills kills"
