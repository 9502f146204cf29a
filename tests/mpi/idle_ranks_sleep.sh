# No busy-waiting: with 16 ranks on this machine's cores and every kernel sleeping, the hpo ranks
# together use almost no CPU. Busy-polling ranks would use every core for the whole window.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

mpi_hpo 16 4 run --strategy random --evals 15 --seed 1 --param '--x [0.0,1.0]' --param '--sleep {6}' \
  --run-dir runs -- sh "$KERNELS/placement_kernel.sh" > out.txt 2> err.txt &
job=$!

cpu_ticks() {  # user + system ticks of every hpo rank
  local total=0 pid
  for pid in $(pgrep -f "^$HPO_BIN run" || true); do
    [ -r "/proc/$pid/stat" ] || continue
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

# Wait until every kernel is sleeping (15 placement-less trial dirs exist), then measure.
for _ in $(seq 1 300); do
  [ "$(find runs -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)" -ge 15 ] && break
  sleep 0.1
done
sleep 0.5
before=$(cpu_ticks)
sleep 3
after=$(cpu_ticks)
wait $job || { cat err.txt; fail "hpo failed"; }
used=$(( after - before ))
hz=$(getconf CLK_TCK)
echo "CPU used by 16 ranks in 3 s of sleeping kernels: $used ticks (${hz}/s)"
# Busy-waiting ranks would use ~2 cores x 3 s = 6 s; allow 0.3 s in total.
[ "$used" -le $(( hz * 3 / 10 )) ] || fail "idle ranks used $used ticks in 3 s"
[ "$(find runs -name placement | wc -l)" -eq 15 ] || fail "not every evaluation finished"
