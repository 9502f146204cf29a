#!/usr/bin/env bash
# Kernels die with the hpo that started them: after `kill -9` of hpo, every running kernel and a
# process the kernel itself started (a grandchild, as a shell script running python makes) are
# gone within a few seconds (SIGTERM, or SIGKILL after the grace for a kernel that ignores
# SIGTERM), ended by hpo's group sentinel; none is left reparented to init.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/processes.bash"

# One of the two ignores SIGTERM, it and its child: the sentinel's SIGKILL after the grace ends them.
cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
[[ $HPO_TRIAL_ID == 1 ]] && trap '' TERM
sleep 300 &
echo "$$ $!" > "$PIDS/$HPO_TRIAL_ID"
wait
KERNEL
chmod +x kernel.sh
mkdir pids
export PIDS=$PWD/pids

leftovers=()
cleanup_leftovers() { for p in "${leftovers[@]}"; do kill -KILL "$p" 2> /dev/null || true; done; }
trap 'cleanup_leftovers' ERR

"$HPO_BIN" run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 4 --parallel 2 --no-progress --timeout 600 \
    --run-dir runs -- ./kernel.sh > out.txt 2> err.txt &
hpo=$!
for _ in $(seq 600); do
    (($(ls pids | wc -l) >= 2)) && break
    sleep 0.05
done
(($(ls pids | wc -l) >= 2)) || { kill -KILL "$hpo"; show_output; fail "two kernels did not start in 30 s"; }
read -r -a leftovers <<< "$(cat pids/* | tr '\n' ' ')"
for p in "${leftovers[@]}"; do alive "$p" || fail "process $p of a kernel is not running before the kill"; done

kill -KILL "$hpo"
wait "$hpo" 2> /dev/null || true
# Generous: the sentinel sends SIGTERM at once and SIGKILL 5 s later (the default grace); the
# limit is only for a loaded machine.
deadline=$((SECONDS + 30))
while ((SECONDS < deadline)); do
    left=()
    for p in "${leftovers[@]}"; do alive "$p" && left+=("$p"); done
    ((${#left[@]} == 0)) && break
    sleep 0.1
done
if ((${#left[@]} > 0)); then
    ps -o pid,ppid,pgid,stat,cmd -p "$(IFS=,; echo "${left[*]}")" >&2 || true
    cleanup_leftovers
    fail "kernel processes outlived hpo by 30 s: ${left[*]}"
fi
echo "kernels die with hpo: ok (${#leftovers[@]} processes of 2 kernels gone)"
