#!/usr/bin/env bash
# Kernels die with the job: `kill -9` of mpirun (Open MPI leaves its ranks running then) ends
# every rank, and with them every kernel and what the kernels started, within a few seconds.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/../lib/processes.bash"

cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
sleep 300 &
echo "$$ $! $PPID" > "$PIDS/$HPO_TRIAL_ID"
wait
KERNEL
chmod +x kernel.sh
mkdir pids
export PIDS=$PWD/pids

procs=()
cleanup() { for p in "${procs[@]}"; do kill -KILL "$p" 2> /dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$MPIEXEC" --oversubscribe -n 3 "$HPO_BIN" run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 4 \
  --no-progress --timeout 600 --run-dir runs -- "$PWD/kernel.sh" > out.txt 2> err.txt &
job=$!
for _ in $(seq 600); do
  (($(ls pids | wc -l) >= 2)) && break
  sleep 0.05
done
(($(ls pids | wc -l) >= 2)) || { kill -KILL "$job"; cat err.txt; fail "two kernels did not start in 30 s"; }
# Each kernel, its grandchild and the worker rank that started it.
read -r -a procs <<< "$(cat pids/* | tr '\n' ' ')"
for p in "${procs[@]}"; do alive "$p" || fail "process $p is not running before the kill"; done

kill -KILL "$job"
wait "$job" 2> /dev/null || true
deadline=$((SECONDS + 30))
while ((SECONDS < deadline)); do
  left=()
  for p in "${procs[@]}"; do alive "$p" && left+=("$p"); done
  ((${#left[@]} == 0)) && break
  sleep 0.1
done
if ((${#left[@]} > 0)); then
  ps -o pid,ppid,pgid,stat,cmd -p "$(IFS=,; echo "${left[*]}")" >&2 || true
  fail "processes outlived mpirun by 30 s: ${left[*]}"
fi
echo "ok: ${#procs[@]} processes (kernels, their children, worker ranks) gone"
