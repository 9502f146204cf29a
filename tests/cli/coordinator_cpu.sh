#!/usr/bin/env bash
# The end of a run reports the coordinator's CPU time (`hpo: coordinator CPU: X s (Y ms per
# evaluation)` on stderr, `coordinator CPU: ...` in the log), alone and under mpirun: present,
# consistent, and the coordinator's own, not the kernels' (which here burn far more CPU than the
# coordinator could) nor that of the local worker threads.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

# Each evaluation burns about 0.15 s of CPU in awk.
cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
awk 'BEGIN { for (i = 0; i < 5000000; ++i) s += i; print "FoM: " (s % 7) }'
KERNEL
chmod +x kernel.sh
evals=8

# check_cpu_lines WALL_SECONDS LOG: the stderr line and the log line agree, are numbers, and are
# sensible: 0 <= X <= the run's wall time (one thread), X below the kernels' CPU, Y = X / evals.
check_cpu_lines() {
    local wall=$1 log=$2 line cpu per
    line=$(grep '^hpo: coordinator CPU: ' err.txt) || { show_output; fail "no 'hpo: coordinator CPU:' line on stderr"; }
    [[ $(grep -c 'coordinator CPU: ' err.txt) == 1 ]] || { show_output; fail "the coordinator CPU line is printed more than once"; }
    cpu=$(sed -n 's/^hpo: coordinator CPU: \([0-9.e+-]*\) s (\([0-9.e+-]*\) ms per evaluation)$/\1/p' err.txt)
    per=$(sed -n 's/^hpo: coordinator CPU: \([0-9.e+-]*\) s (\([0-9.e+-]*\) ms per evaluation)$/\2/p' err.txt)
    [[ -n $cpu && -n $per ]] || { show_output; fail "unexpected format: $line"; }
    grep -qxF "coordinator CPU: $cpu s ($per ms per evaluation)" "$log" || { cat "$log" >&2; fail "the log's line differs from stderr's: $line"; }
    le 0 "$cpu" || fail "negative coordinator CPU: $line"
    le "$cpu" "$wall" || fail "coordinator CPU $cpu s exceeds the run's wall time $wall s"
    # The kernels burned about $evals x 0.15 s; the coordinator only waited for them.
    le "$cpu" 0.5 || fail "coordinator CPU $cpu s: the kernels' CPU (or the worker threads') was counted"
    awk -v c="$cpu" -v p="$per" -v n="$evals" 'BEGIN { d = c / n * 1e3 - p; exit !(d < 0.01 * p + 0.001 && d > -0.01 * p - 0.001) }' ||
        fail "per evaluation $per ms is not $cpu s / $evals"
}

start=$(date +%s.%N)
hpo_run run --strategy random --evals "$evals" --parallel 2 --param '--x [0.0,1.0]' --seed 1 \
    --run-dir runs --checkpoint local.h5 --log local.log -- ./kernel.sh
wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
expect_rc 0 "a local run"
check_cpu_lines "$wall" local.log

# --no-progress leaves stderr clean; the log still has it.
hpo_run run --strategy random --evals "$evals" --parallel 2 --param '--x [0.0,1.0]' --seed 1 \
    --run-dir runs2 --checkpoint quiet.h5 --log quiet.log --no-progress -- ./kernel.sh
expect_rc 0 "a run without progress"
[[ ! -s err.txt ]] || { show_output; fail "--no-progress printed on stderr"; }
expect_grep quiet.log "coordinator CPU: " "the log without progress lines"

mpiexec=${MPIEXEC:-$(command -v mpirun || true)}
[[ -n $mpiexec ]] || fail "no MPIEXEC and no mpirun on PATH"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
start=$(date +%s.%N)
set +e
timeout 300 "$mpiexec" -n 3 "$HPO_BIN" run --strategy random --evals "$evals" --param '--x [0.0,1.0]' --seed 1 \
    --run-dir runs3 --checkpoint mpi.h5 --log mpi.log -- ./kernel.sh > out.txt 2> err.txt
rc=$?
set -e
wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
expect_rc 0 "mpirun -n 3 hpo run"
check_cpu_lines "$wall" mpi.log

echo "coordinator CPU: ok"
