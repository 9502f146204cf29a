# The coordinator's doorbell (src/dist/doorbell.hpp): under mpirun, rank 0 holds one TCP
# connection from each worker rank while the run goes on (it sleeps until one rings); with
# HPO_DOORBELL=0 it holds none and paces its looks instead. Both ways, the run is the same.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

workers=3

# The largest number of established TCP connections rank 0 holds on one local port: the bell's
# port has one per worker. Prints nothing until rank 0 is found.
bell_lines() {
  local pid inodes
  for pid in $(pgrep -f "^$HPO_BIN run" || true); do
    tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=0' || continue
    inodes=$(find "/proc/$pid/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null | tr -dc '0-9\n' | sort -u | tr '\n' ' ')
    # /proc/net/tcp: local address:port (hex) in field 2, state in 4 (01 = established), inode in 10.
    awk -v inodes=" $inodes" 'NR > 1 && $4 == "01" && index(inodes, " " $10 " ") { split($2, a, ":"); n[a[2]]++ }
      END { m = 0; for (p in n) if (n[p] > m) m = n[p]; print m }' /proc/net/tcp
    return
  done
}

# run NAME [ENV...]: a random search whose kernels sleep a second, so that rank 0 is found mid-run;
# prints the most bell lines seen.
run() {
  local name=$1 most=0 lines; shift
  env "$@" bash -c "$(declare -f mpi_hpo); MPIEXEC=$MPIEXEC HPO_BIN=$HPO_BIN mpi_hpo $(( workers + 1 )) $workers \
    run --strategy random --evals 6 --seed 3 --param '--x [0.0,1.0]' --param '--sleep {1}' \
    --run-dir runs-$name --checkpoint $name.h5 -- sh $KERNELS/placement_kernel.sh" > "$name.out" 2> "$name.err" &
  local job=$!
  for _ in $(seq 1 100); do
    kill -0 "$job" 2> /dev/null || break
    lines=$(bell_lines)
    [ -n "$lines" ] && [ "$lines" -gt "$most" ] && most=$lines
    [ "$most" -ge "$workers" ] && break
    sleep 0.1
  done
  wait "$job" || { cat "$name.err" >&2; fail "the $name run failed"; }
  grep -q 'trials: 6 (6 ok)' "$name.out" || { cat "$name.out" "$name.err" >&2; fail "the $name run did not finish its trials"; }
  echo "$most"
}

with=$(run bell)
[ "$with" -eq "$workers" ] || fail "rank 0 held $with bell lines on one port, expected one per worker ($workers)"
without=$(run paced HPO_DOORBELL=0)
[ "$without" -lt "$workers" ] || fail "HPO_DOORBELL=0 still opened $without bell lines"

# The same proposals either way (random with one seed): the bell changes when results are seen,
# not what is searched.
"$HPO_BIN" export bell.h5 --format csv -o bell.csv
"$HPO_BIN" export paced.h5 --format csv -o paced.csv
cut -d, -f1,2 bell.csv | sort > bell.cols
cut -d, -f1,2 paced.csv | sort > paced.cols
head -1 bell.cols
cmp -s bell.cols paced.cols || { diff bell.cols paced.cols >&2; fail "the runs with and without the bell differ"; }
echo "bell lines: $with with the bell, $without without"
