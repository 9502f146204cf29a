#!/usr/bin/env bash
# Issue 14: pruning. Best validation error against kernel-seconds on two kernels with real
# learning curves (bench/pruning/mlp_kernel.py: scikit-learn MLPClassifier by partial_fit;
# bench/pruning/lenet_kernel.py: LeNet-5 in PyTorch; both on the digits, one FoM line per epoch)
# for hpo random / bayes / genetic, each without pruning, with asha and with hyperband (bayes
# also with median), and Optuna 3.1's TPE with SuccessiveHalvingPruner, HyperbandPruner and
# MedianPruner driving the same kernel program through subprocess. Every run has the same budget
# of kernel-seconds (the kernels' wall time), one kernel at a time; J runs go at once.
# The issue's targets: (i) hpo + asha reaches the no-pruning run's final best error in at most a
# third of the kernel-seconds; (ii) hpo bayes + asha reaches Optuna TPE + Hyperband's final best
# error in less kernel time; (iii) bayes + asha better than random + asha.
# One markdown section goes to stdout, progress to stderr. Exit 0 whether or not the targets are
# met; 1 if the harness fails; 2 bad usage or packages missing.
#
# usage: bench/pruning/run.sh [--quick] [--hpo PATH] [--seeds K] [--budget S] [--epochs R]
#                             [--kernels mlp,lenet] [--methods M1,M2] [--jobs J] [--keep DIR] [--out FILE]
#   full (default): K = 5 seeds, S = 30 kernel-seconds per run, R = 27 epochs, J = 2, both
#                   kernels, every method (130 runs: ~40 min on 2 idle cores)
#   --quick:        K = 1, S = 8, R = 9, MLP only, six methods (one per rule and tool; under a
#                   minute: checks the harness)
#   --keep DIR:     results stay in DIR, and a run whose result is there is not run again (to
#                   add seeds or methods to a run, or to go on after an interruption)
# hpo's pruning methods are left out (and the report says so) when `hpo run --help` has no --prune.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=../lib/servers.sh
source "$repo/bench/lib/servers.sh"
HPO="${HPO:-$repo/build/bin/hpo}"
PY="${HPO_PYTHON:-/usr/bin/python3}"   # Debian's python3-optuna/-sklearn/-torch live here, not in a pyenv python3
SEEDS=5 BUDGET=30 EPOCHS=27 JOBS=2 KERNELS=mlp,lenet MODE=full OUT="" KEEP="" METHODS=""
user_seeds="" user_budget="" user_epochs="" user_kernels=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick ;;
    --hpo) HPO="$2"; shift ;;
    --build-dir) HPO="$2/bin/hpo"; shift ;;
    --seeds) user_seeds="$2"; shift ;;
    --budget) user_budget="$2"; shift ;;
    --epochs) user_epochs="$2"; shift ;;
    --kernels) user_kernels="$2"; shift ;;
    --methods) METHODS="$2"; shift ;;
    --jobs) JOBS="$2"; shift ;;
    --keep) KEEP="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n "2,/^set /{/^#/p}" "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ $MODE == quick ]] && { SEEDS=1; BUDGET=8; EPOCHS=9; KERNELS=mlp; }
SEEDS="${user_seeds:-$SEEDS}" BUDGET="${user_budget:-$BUDGET}" EPOCHS="${user_epochs:-$EPOCHS}" KERNELS="${user_kernels:-$KERNELS}"
for v in SEEDS BUDGET EPOCHS JOBS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "--${v,,} must be a positive integer (got '${!v}')" >&2; exit 2; }
done
(( EPOCHS >= 2 )) || { echo "--epochs must be at least 2 (pruning needs a step before the last)" >&2; exit 2; }
[[ -x "$HPO" ]] || { echo "hpo binary not found: $HPO (build: cmake --build build --target hpo_cli, or --hpo PATH)" >&2; exit 2; }
HPO="$(cd "$(dirname "$HPO")" && pwd)/$(basename "$HPO")"
modules="optuna, sklearn, numpy"
[[ $KERNELS == *lenet* ]] && modules="$modules, torch"
if ! "$PY" -c "import $modules" 2>/dev/null; then
  echo "$PY cannot import $modules;" \
       "install them: bash bench/setup.sh --torch (apt-get install -y python3-optuna python3-sklearn python3-torch; or set HPO_PYTHON)" >&2
  exit 2
fi
IFS=, read -r -a kernel_list <<< "$KERNELS"
for k in "${kernel_list[@]}"; do
  [[ $k == mlp || $k == lenet ]] || { echo "--kernels: unknown kernel '$k' (mlp, lenet)" >&2; exit 2; }
done

all_methods="$("$PY" -c "import sys; sys.path.insert(0, '$here'); import methods; print(','.join(methods.METHODS))")"
# Quick (scripts/test.sh's bench.quick): one method per rule and tool, enough to check the harness.
quick_methods=hpo-random-none,hpo-random-asha,hpo-bayes-asha,hpo-genetic-hyperband,hpo-bayes-median,optuna-tpe-hyperband
[[ $MODE == quick ]] && all_methods="$quick_methods"
METHODS="${METHODS:-$all_methods}"
IFS=, read -r -a method_list <<< "$METHODS"
for m in "${method_list[@]}"; do
  [[ ",$all_methods," == *",$m,"* ]] || { echo "--methods: unknown method '$m' ($all_methods)" >&2; exit 2; }
done
# An hpo without --prune (before issue 14's wiring) runs the methods without pruning only.
left_out=()
if ! "$HPO" run --help 2>&1 | grep -q -- '--prune'; then
  kept=()
  for m in "${method_list[@]}"; do
    if [[ $m == hpo-* && $m != *-none ]]; then left_out+=("$m"); else kept+=("$m"); fi
  done
  method_list=("${kept[@]}")
  echo "pruning bench: $HPO has no --prune: left out ${left_out[*]:-nothing}" >&2
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hpo-bench-pruning.XXXXXX")"
results="${KEEP:-$tmp/results}"
mkdir -p "$results"
results="$(cd "$results" && pwd)"
server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
started=$(date +%s)
load_start="$(cut -d" " -f1-3 /proc/loadavg)"

# --- the kernels: a server with scikit-learn (and PyTorch) imported once, forking per request,
# so that a kernel's seconds are its training, not the imports (several seconds on this machine).
modules=()
for k in "${kernel_list[@]}"; do modules+=("${k}_kernel"); done
"$PY" "$here/stream_server.py" "$tmp/kernels.sock" "${modules[@]}" 2> "$tmp/server.err" &
server_pid=$!
wait_for_socket "$server_pid" "$tmp/kernels.sock" "$tmp/server.err" 120 "the kernel server"  # bench/lib/servers.sh
declare -A probe=([mlp]="--lr=0.003 --alpha=0.0001 --hidden=32 --batch=64"
                  [lenet]="--lr=0.05 --momentum=0.9 --weight-decay=0.0001 --batch=32")
for k in "${kernel_list[@]}"; do
  printf '%s\n' "$PY" "$here/${k}_kernel.py" "--server=$tmp/kernels.sock" > "$tmp/${k}_command"
  # The server must stream exactly what the kernel computes on its own.
  # shellcheck disable=SC2086
  direct="$("$PY" "$here/${k}_kernel.py" --epochs=3 ${probe[$k]})"
  # shellcheck disable=SC2086
  served="$("$PY" "$here/${k}_kernel.py" --server="$tmp/kernels.sock" --epochs=3 ${probe[$k]})"
  [[ "$direct" == "$served" && $(grep -c '^FoM: ' <<< "$direct") == 3 ]] || {
    echo "$k kernel: the server streams '$served', in-process '$direct'" >&2; exit 1; }
done

# --- the runs: every (kernel, seed, method), J at once --------------------------------------
for k in "${kernel_list[@]}"; do
  for ((s = 1; s <= SEEDS; ++s)); do
    for m in "${method_list[@]}"; do
      [[ -f "$results/$m.$k.$s.json" ]] || echo "$m $k $s"
    done
  done
done > "$tmp/jobs"
total=$(wc -l < "$tmp/jobs")
echo "pruning bench: $total runs of $BUDGET kernel-seconds, $JOBS at a time (hpo: $HPO, results: $results)" >&2
run_failed=0
xargs -P "$JOBS" -L 1 "$PY" "$here/run_one.py" --hpo "$HPO" --kernel-dir "$tmp" --budget "$BUDGET" \
  --max-steps "$EPOCHS" --out "$results" < "$tmp/jobs" || run_failed=1
[[ $run_failed == 0 ]] || { echo "pruning bench: a run failed; the harness failed" >&2; exit 1; }
elapsed=$(( $(date +%s) - started ))
load_end="$(cut -d" " -f1-3 /proc/loadavg)"

# --- the report -----------------------------------------------------------------------------
methods_csv="$(IFS=,; echo "${method_list[*]}")"
summary="$("$PY" "$here/summarize.py" --dir "$results" --kernels "$KERNELS" --methods "$methods_csv" \
  --seeds "$SEEDS" --budget "$BUDGET")" || { echo "pruning bench: summarize.py failed" >&2; exit 1; }
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (working tree modified)' || true)"
model="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
versions="$("$PY" -c 'import optuna, sklearn, numpy, sys
try:
    import torch; t = ", torch %s" % torch.__version__
except ImportError:
    t = ""
print("optuna %s, scikit-learn %s, numpy %s%s (python %s)" % (optuna.__version__, sklearn.__version__, numpy.__version__, t, sys.version.split()[0]))')"
example() { "$PY" "$here/run_one.py" --print-command --hpo "$HPO" --kernel-dir "$tmp" --budget "$BUDGET" --max-steps "$EPOCHS" --out "$results" "$@"; }

report() {
  echo "### Pruning: time to accuracy (issue 14) — $MODE mode"
  echo
  if [[ $MODE == quick ]]; then
    echo "> Quick mode checks that the harness works: with $SEEDS seed and $BUDGET kernel-seconds the figures and the targets below mean nothing."
    echo
  fi
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); this run took $((elapsed / 60)) min $((elapsed % 60)) s ($total runs$( [[ -n $KEEP ]] && echo "; the others were kept in $KEEP from earlier runs"))"
  echo "- machine: $(nproc) CPUs, ${model:-unknown model}, $(uname -sr); $JOBS runs at a time, one kernel at a time in each"
  echo "- load average (1/5/15 min): $load_start at the start, $load_end at the end (kernel-seconds are wall seconds: other processes inflate them for every method alike)"
  echo "- hpo: $HPO, git commit $commit$dirty"
  [[ ${#left_out[@]} -gt 0 ]] && echo "- **left out: ${left_out[*]}** (this hpo has no \`--prune\`)"
  echo "- peers ($PY): $versions"
  echo "- budget: $BUDGET kernel-seconds per run (the kernels' wall time, summed; hpo is stopped with SIGTERM once its checkpoint's trials reach it, Optuna's study once its trials do; each curve is cut at the budget); $SEEDS seeds (1..$SEEDS) per method and kernel"
  echo "- kernels: $EPOCHS epochs, one \`FoM: <validation error>\` line per epoch (the n-th line is step n); digits (scikit-learn's 1,797 8x8 images), 1,000 for training (MLP: with their four one-pixel shifts, 5,000 images), 797 for validation; \`--seed=0\` (weights and batch order), one thread"
  echo "- MLP: \`MLPClassifier\` (one hidden layer, adam) trained by \`partial_fit\`, one epoch per call; \`--lr [1e-4,0.3] log\`, \`--alpha [1e-6,0.1] log\`, \`--hidden [8,128] log\` (integer), \`--batch [16,256] log\` (integer)"
  echo "- LeNet-5: conv 5x5x6 (padded), pool, conv 5x5x16, pool, 120, 84, 10 (tanh) on the digits upsampled to 16x16, SGD; \`--lr [0.001,1] log\`, \`--momentum [0,0.95]\`, \`--weight-decay [1e-6,0.01] log\`, \`--batch [16,128] log\` (integer)"
  echo "- pruning: r = 1, eta = 3, R = $EPOCHS (hpo \`--prune asha|hyperband --max-steps $EPOCHS --min-steps 1 --reduction-factor 3\`; Optuna \`SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)\`, \`HyperbandPruner(min_resource=1, max_resource=$EPOCHS, reduction_factor=3)\`); median: 5 completed trials first, no warm-up (hpo \`--prune median --median-min-trials 5\`, Optuna \`MedianPruner()\`)"
  echo "- hpo: strategy defaults, \`--parallel 1 --seed S\`; Optuna: \`TPESampler(seed=S)\`, a pruned kernel gets SIGTERM to its process group (SIGKILL 5 s later)"
  echo
  echo "$summary"
  echo
  echo "Commands (the kernel server started by bench/pruning/run.sh in a temporary directory \$TMP; each run_one.py call makes one run and writes its trials as JSON):"
  echo
  echo '```'
  echo "bench/pruning/run.sh $( [[ $MODE == quick ]] && echo '--quick ')--seeds $SEEDS --budget $BUDGET --epochs $EPOCHS --kernels $KERNELS --jobs $JOBS --hpo $HPO"
  echo "$PY bench/pruning/run_one.py --hpo $HPO --kernel-dir \$TMP --budget $BUDGET --max-steps $EPOCHS --out \$RESULTS METHOD KERNEL SEED"
  echo "# what run_one.py runs for hpo bayes + asha, seed 1 (stopped by SIGTERM at the budget; then hpo export RUN/run.h5 --format json):"
  example hpo-bayes-asha "${kernel_list[0]}" 1
  echo "$PY bench/pruning/summarize.py --dir \$RESULTS --kernels $KERNELS --seeds $SEEDS --budget $BUDGET --methods $methods_csv"
  echo '```'
}
if [[ -n "$OUT" ]]; then report | sed "s#$tmp#\$TMP#g; s#$results#\$RESULTS#g" | tee "$OUT"; else report | sed "s#$tmp#\$TMP#g; s#$results#\$RESULTS#g"; fi
