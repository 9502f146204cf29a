#!/usr/bin/env bash
# Issue 6, item 2: utilization at scale under real MPI.
#
# W workers (W + 1 ranks, oversubscribed; rank 0 coordinates) evaluate a compiled kernel
# (bench/kernels/sleep_kernel.c) that sleeps a log-normal time of mean 0.2 s (sigma 0.5), drawn
# from a seed hashed from the trial's hyperparameters, for
#   - genetic, generational  (pop-size W, E generations: W + (E-1)(W-1) evaluations, 1 elite)
#   - genetic, steady-state  (pop-size W, E generations: W x E evaluations)
#   - genetic, 4 demes       (generational, pop-size W/4 + 1 each, 1 elite (so that a generation
#                             has W new individuals), migration every 5 generations:
#                             W + 4 + (E-1) W evaluations; issue 16: between migrations a deme
#                             waits only for its own generation)
#   - bayes                  (W x E evaluations)
#   - random + asha          (W x E evaluations, --prune asha --max-steps 9: the kernel prints
#                             9 intermediate FoMs across its sleep; pruned trials end early, so
#                             results come faster and every stop is one more round trip; issue 14)
# From the trial records of the checkpoint (`hpo export`: start_time, end_time, worker) it
# computes the fraction of worker time spent in kernels, and from the run's log the coordinator's
# CPU time per evaluation. Medians over R repeats. Target: >= 97 % for steady-state and bayes.
#
# usage: bench/utilization.sh [--quick] [--hpo PATH] [--workers W] [--evals-per-worker E]
#                             [--repeats R] [--mean SECONDS] [--out FILE] [--run-root DIR]
#                             [--only STRATEGY]   (one of the five above: generational, steady-state,
#                                                  demes, bayes, random-asha)
#   --quick: W = 8, E = 10, R = 1 (about 15 s); default W = 64, E = 15, R = 3 (about 5 min).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
W=64
E=15
R=3
MEAN=0.2
MODE=full
OUT=""
RUN_ROOT=""
HPO="${HPO:-}"
ONLY=""
explicit_w=0 explicit_e=0 explicit_r=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick ;;
    --hpo) HPO="$2"; shift ;;
    --workers) W="$2"; explicit_w=1; shift ;;
    --evals-per-worker) E="$2"; explicit_e=1; shift ;;
    --repeats) R="$2"; explicit_r=1; shift ;;
    --mean) MEAN="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --run-root) RUN_ROOT="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    -h|--help) sed -n 2,21p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
if [[ $MODE == quick ]]; then
  ((explicit_w)) || W=8
  ((explicit_e)) || E=10
  ((explicit_r)) || R=1
fi
[[ $W =~ ^[0-9]+$ && $W -ge 2 && $E =~ ^[0-9]+$ && $E -ge 3 && $R =~ ^[0-9]+$ && $R -ge 1 ]] ||
  { echo "need --workers >= 2, --evals-per-worker >= 3, --repeats >= 1" >&2; exit 2; }

source "$here/lib/mpi_run.sh"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hpo-bench-util.XXXXXX")"
source "$here/lib/run_root.sh"
pick_run_root
runs="$(mktemp -d "$RUN_ROOT/hpo-bench-util-runs.XXXXXX")"
trap 'rm -rf "$tmp" "$runs"' EXIT
"${CC:-cc}" -O2 -o "$tmp/sleep_kernel" "$here/kernels/sleep_kernel.c" -lm

source "$here/lib/trial_stats.sh"

strategies=(generational steady-state demes bayes random-asha)
if [[ -n $ONLY ]]; then
  [[ " ${strategies[*]} " == *" $ONLY "* ]] || { echo "--only: one of ${strategies[*]}" >&2; exit 2; }
  strategies=("$ONLY")
fi
declare -A args evals
args[generational]="--strategy genetic --mode generational --pop-size $W --generations $E"
evals[generational]=$((W + (E - 1) * (W - 1)))
args[steady-state]="--strategy genetic --mode steady-state --pop-size $W --generations $E"
evals[steady-state]=$((W * E))
if (( W % 4 != 0 || W < 8 )); then  # 4 demes of at least 2 individuals
  [[ $ONLY == demes ]] && { echo "--only demes needs --workers a multiple of 4, at least 8" >&2; exit 2; }
  kept=(); for s in "${strategies[@]}"; do [[ $s == demes ]] || kept+=("$s"); done; strategies=("${kept[@]}")
fi
args[demes]="--strategy genetic --mode generational --demes 4 --pop-size $((W / 4 + 1)) --generations $E --migration-interval 5"
evals[demes]=$((W + 4 + (E - 1) * W))
args[bayes]="--strategy bayes --evals $((W * E))"
evals[bayes]=$((W * E))
args[random-asha]="--strategy random --evals $((W * E)) --prune asha --max-steps 9"
evals[random-asha]=$((W * E))
declare -A kernel_args
kernel_args[random-asha]="--steps=9"
space=(--param '--x [0.0,1.0]' --param '--y [0.0,1.0]')

# The machine's CPU counters (busy and total jiffies): with sleeping kernels hpo itself uses
# little CPU (bayes aside), so the share of the machine busy during a run says how much other
# jobs competed with the ranks for the CPUs, which delays every wake-up of a worker.
cpu_counters() { awk '/^cpu / {t = 0; for (i = 2; i <= NF; ++i) t += $i; print t - $5 - $6, t}' /proc/stat; }

# run_one STRATEGY REPEAT: one mpirun in a fresh directory; appends a line of figures to
# $tmp/figures.STRATEGY.
run_one() {
  local s=$1 r=$2 rd="$runs/run"
  rm -rf "$rd"; mkdir -p "$rd"
  local strategy_args; read -r -a strategy_args <<< "${args[$s]}"
  local cmd=("$MPIEXEC" --oversubscribe -n $((W + 1)) "$HPO" run "${strategy_args[@]}" --seed "$r" "${space[@]}"
             --checkpoint "$rd/ck.h5" --run-dir "$rd/runs" --log "$rd/run.log" --no-progress
             -- "$tmp/sleep_kernel" --mean="$MEAN" ${kernel_args[$s]:-})
  local t0 t1 c0 c1
  c0=$(cpu_counters)
  t0=$(date +%s.%N)
  if ! timeout 1800 "${cmd[@]}" > "$rd/out.txt" 2> "$rd/err.txt"; then
    echo "command failed: ${cmd[*]}" >&2; tail -20 "$rd/err.txt" >&2; exit 1
  fi
  t1=$(date +%s.%N)
  c1=$(cpu_counters)
  local busy; busy=$(awk -v a="$c0" -v b="$c1" 'BEGIN {split(a, x, " "); split(b, y, " "); print (y[1] - x[1]) / (y[2] - x[2])}')
  "$HPO" export "$rd/ck.h5" --format csv -o "$rd/trials.csv"
  local stats n workers bad util_steady util_full ramp mean_eval gap_mean gap_median
  stats=$(trial_stats "$rd/trials.csv")
  read -r n workers bad util_steady util_full ramp mean_eval gap_mean gap_median _ _ <<< "$stats"
  if [[ $n -ne ${evals[$s]} || $bad -ne 0 || $workers -ne $W ]]; then
    echo "$s: expected ${evals[$s]} ok trials on $W workers, got $n trials ($bad not ok) on $workers workers" >&2
    cat "$rd/out.txt" >&2; exit 1
  fi
  local cpu; cpu=$(sed -n 's/^coordinator CPU: \([0-9.e+-]*\) s.*/\1/p' "$rd/run.log")
  [[ -n $cpu ]] || { echo "no 'coordinator CPU:' line in the run's log (an hpo built before it was reported? rebuild)" >&2; cat "$rd/run.log" >&2; exit 1; }
  awk -v u="$util_steady" -v f="$util_full" -v ramp="$ramp" -v m="$mean_eval" -v gm="$gap_mean" -v gd="$gap_median" \
      -v cpu="$cpu" -v n="$n" -v w="$W" -v wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" -v busy="$busy" \
      'BEGIN { per = cpu / n; printf "%.5f %.5f %.4f %.4f %.3f %.3f %.4f %.5f %.3f %.2f %.3f\n",
               u, f, ramp, m, gm, gd, cpu, per * 1e3, per * w / m, wall, busy }' >> "$tmp/figures.$s"
  echo "$s repeat $r/$R: $n evaluations, utilization $(awk -v u="$util_steady" 'BEGIN {printf "%.1f", 100 * u}') % (steady), $(awk -v u="$util_full" 'BEGIN {printf "%.1f", 100 * u}') % (whole run), mean gap $gap_mean ms, coordinator CPU $cpu s, machine CPU busy $(awk -v b="$busy" 'BEGIN {printf "%.0f", 100 * b}') %, wall $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s" >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= R; ++r)); do   # interleaved, so drift hits all strategies alike
  for s in "${strategies[@]}"; do run_one "$s" "$r"; done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# med STRATEGY COLUMN: the median of one column of the figures over the repeats
med() { awk -v c="$2" '{print $c}' "$tmp/figures.$1" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
pct() { awk -v u="$1" 'BEGIN {printf "%.1f %%", 100 * u}'; }
fmt() { awk -v v="$1" -v d="$2" 'BEGIN {printf "%." d "f", v}'; }
met() { awk -v u="$1" 'BEGIN {exit !(u >= 0.97)}'; }

commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (working tree modified)' || true)"
model="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
mpi_version="$("$MPIEXEC" --version 2>/dev/null | head -1)"
budget_ms=$(awk -v m="$MEAN" -v w="$W" 'BEGIN {printf "%.2f", 1e3 * m / w}')

report() {
  echo "### Utilization at scale (issue 6, item 2) — $MODE mode"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) CPUs, ${model:-unknown model}, $(uname -sr); load average $load_before before, $load_after after (other jobs share this machine)"
  echo "- MPI: ${mpi_version:-unknown}; $((W + 1)) ranks oversubscribed on $(nproc) CPUs, rank 0 coordinates, $W workers"
  echo "- run directories (one per trial) on $RUN_ROOT ($RUN_FS); see bench/lib/run_root.sh"
  echo "- hpo: $HPO, git commit $commit$dirty; checkpoint every 1 s (the default)"
  echo "- kernel: bench/kernels/sleep_kernel.c, sleeps a log-normal time (mean $MEAN s, sigma 0.5) drawn from a hash of its hyperparameters (two float parameters), prints a FoM"
  echo "- $E evaluations per worker; R = $R repeats (seeds 1..$R), medians"
  echo
  echo "Utilization = sum over trials of the part of [start_time, end_time] inside the span / (W × span), from the"
  echo "checkpoint's trial records (\`hpo export\`). **Steady** span: from the moment every worker has started its first"
  echo "kernel (MPI start-up of $((W + 1)) ranks on $(nproc) CPUs is not the optimizer's doing) to the last kernel started"
  echo "(after it, workers idle because the budget is spent, whatever the optimizer does). This is the figure the"
  echo "target applies to. **Whole run**: from the first start to the last end, which includes the ramp and the tail"
  echo "(waiting for the longest of the last $W kernels: for log-normal times this alone costs several per cent at"
  echo "$E evaluations per worker, even for a perfect scheduler). Gap: a worker's idle time between the end of one"
  echo "kernel and the start of its next (inside the steady span). Coordinator CPU: the \`coordinator CPU:\` line of the"
  echo "run's log (CPU time of the coordinator's thread on rank 0). Coordinator load = CPU per evaluation × W / mean"
  echo "kernel time: the share of one core the coordinator needs to keep every worker busy (above 1 it cannot, and"
  echo "utilization is at most 1 / load). At W = $W and $MEAN s kernels the coordinator has $budget_ms ms per evaluation."
  echo "Machine CPU busy: the share of both CPUs in use during the run (/proc/stat), hpo's ranks included; with sleeping"
  echo "kernels hpo itself needs little (bayes aside), so a high figure means other jobs competed for the CPUs and"
  echo "delayed every wake-up of a worker or of the coordinator."
  echo
  echo "| strategy | evaluations | utilization (steady) | utilization (whole run) | start-up ramp (s) | mean kernel (s) | mean gap (ms) | median gap (ms) | coordinator CPU (s) | coordinator CPU per eval (ms) | coordinator load | machine CPU busy | wall incl. MPI start (s) | target ≥ 97 % |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  for s in "${strategies[@]}"; do
    local u; u=$(med "$s" 1)
    local verdict="(none)"
    if [[ $s != generational && $s != demes ]]; then met "$u" && verdict="met" || verdict="**MISSED**"; fi
    echo "| $s | ${evals[$s]} | $(pct "$u") | $(pct "$(med "$s" 2)") | $(fmt "$(med "$s" 3)" 3) | $(fmt "$(med "$s" 4)" 3) | $(fmt "$(med "$s" 5)" 2) | $(fmt "$(med "$s" 6)" 2) | $(fmt "$(med "$s" 7)" 2) | $(fmt "$(med "$s" 8)" 3) | $(fmt "$(med "$s" 9)" 3) | $(pct "$(med "$s" 11)") | $(fmt "$(med "$s" 10)" 1) | $verdict |"
  done
  echo
  for s in "${strategies[@]}"; do
    [[ $s == generational || $s == demes ]] && continue
    local u; u=$(med "$s" 1)
    if met "$u"; then
      echo "Target met for $s: $(pct "$u") ≥ 97 % of worker time in kernels (steady span, median of $R)."
    else
      echo "Target MISSED for $s: $(pct "$u") < 97 % of worker time in kernels (steady span, median of $R)."
    fi
  done
  echo
  echo "Each repeat (utilization steady / whole run, mean gap, machine CPU busy):"
  echo
  for s in "${strategies[@]}"; do
    echo "- $s: $(awk '{printf "%s%.1f %% / %.1f %%, %.1f ms, %.0f %%", (NR > 1 ? "; " : ""), 100 * $1, 100 * $2, $5, 100 * $11}' "$tmp/figures.$s")"
  done
  echo
  for s in "${strategies[@]}"; do
    local load; load=$(med "$s" 9)
    if awk -v l="$load" 'BEGIN {exit !(l >= 0.5)}'; then
      echo "- $s: the coordinator is the bottleneck: $(fmt "$(med "$s" 8)" 2) ms of CPU per evaluation against $budget_ms ms available (load $(fmt "$load" 2)); utilization can be at most about $(awk -v l="$load" 'BEGIN {printf "%.0f", (l > 1 ? 100 / l : 100)}') %."
    fi
  done
  echo
  echo "Commands (the kernel is compiled by bench/utilization.sh into a temporary directory \$TMP; \$RD is a fresh directory per run; seed = repeat number):"
  echo
  echo '```'
  echo "bench/utilization.sh $( [[ $MODE == quick ]] && echo '--quick ')--workers $W --evals-per-worker $E --repeats $R --mean $MEAN"
  echo "cc -O2 -o \$TMP/sleep_kernel bench/kernels/sleep_kernel.c -lm"
  for s in "${strategies[@]}"; do
    echo "OMPI_MCA_rmaps_base_oversubscribe=1 mpirun --oversubscribe -n $((W + 1)) $HPO run ${args[$s]} --seed 1 --param '--x [0.0,1.0]' --param '--y [0.0,1.0]' --checkpoint \$RD/ck.h5 --run-dir \$RD/runs --log \$RD/run.log --no-progress -- \$TMP/sleep_kernel --mean=$MEAN ${kernel_args[$s]:-}"
  done
  echo "$HPO export \$RD/ck.h5 --format csv -o \$RD/trials.csv   # then bench/lib/trial_stats.sh"
  echo '```'
}
if [[ -n "$OUT" ]]; then report | tee "$OUT"; else report; fi
