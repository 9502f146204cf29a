#!/usr/bin/env bash
# Issue 15: population-based training. (a) A noisy quadratic whose best learning rate decays
# as training goes (bench/pbt/quadratic_kernel.py, pure Python): hpo pbt against random search
# with the same kernel steps and against the best of a grid of fixed rates (each trained in
# full: an oracle for fixed rates). (b) LeNet-5 in PyTorch on the digits
# (bench/pbt/lenet_pbt_kernel.py, E epochs a round, checkpoint in @checkpoint): hpo pbt against
# random search and random + asha given PBT's kernel-seconds. Every run is the real `hpo run`
# CLI, one kernel at a time; J runs go at once; medians over seeds (bench/pbt/summarize.py).
# One markdown section goes to stdout, progress to stderr. Exit 0 whether or not the targets are
# met; 1 if the harness fails; 2 bad usage, no pbt strategy in this hpo, or packages missing.
#
# usage: bench/pbt/run.sh [--quick] [--hpo PATH | --build-dir DIR] [--seeds K] [--parts toy,lenet]
#                         [--lenet-rounds R] [--lenet-epochs E] [--jobs J] [--keep DIR] [--out FILE]
#   full (default): K = 5 seeds, both parts: (a) N = 8 members x R = 20 rounds x 50 steps, grid of
#                   25 rates; (b) N = 8 x R = 8 rounds x 2 epochs; every run --parallel N
#   --quick:        K = 2, (a) only, N = 4 x R = 8, grid of 9 (no PyTorch; checks the harness)
#   --lenet-rounds, --lenet-epochs: (b)'s R and E, its budget: PBT's kernel-seconds grow with R x E
#   --keep DIR:     results stay in DIR, and a run whose result is there is not run again
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=../lib/servers.sh
source "$repo/bench/lib/servers.sh"
HPO="${HPO:-$repo/build/bin/hpo}"
PY="${HPO_PYTHON:-/usr/bin/python3}"   # Debian's python3-torch lives here, not in a pyenv python3
SEEDS=5 PARTS=toy,lenet JOBS=2 MODE=full OUT="" KEEP="" LENET_ROUNDS="" LENET_EPOCHS=""
user_seeds="" user_parts=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick ;;
    --hpo) HPO="$2"; shift ;;
    --build-dir) HPO="$2/bin/hpo"; shift ;;
    --seeds) user_seeds="$2"; shift ;;
    --parts) user_parts="$2"; shift ;;
    --lenet-rounds) LENET_ROUNDS="$2"; shift ;;
    --lenet-epochs) LENET_EPOCHS="$2"; shift ;;
    --jobs) JOBS="$2"; shift ;;
    --keep) KEEP="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n "2,/^set /{/^#/p}" "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ $MODE == quick ]] && { SEEDS=2; PARTS=toy; }
SEEDS="${user_seeds:-$SEEDS}" PARTS="${user_parts:-$PARTS}"
for v in SEEDS JOBS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "--${v,,} must be a positive integer (got '${!v}')" >&2; exit 2; }
done
[[ -z $LENET_ROUNDS || $LENET_ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "--lenet-rounds must be a positive integer" >&2; exit 2; }
[[ -z $LENET_EPOCHS || $LENET_EPOCHS =~ ^[1-9][0-9]*$ ]] || { echo "--lenet-epochs must be a positive integer" >&2; exit 2; }
IFS=, read -r -a part_list <<< "$PARTS"
for p in "${part_list[@]}"; do
  [[ $p == toy || ($p == lenet && $MODE == full) ]] || { echo "--parts: unknown part '$p' (toy, lenet; lenet not in --quick)" >&2; exit 2; }
done
[[ -x "$HPO" ]] || { echo "hpo binary not found: $HPO (build: cmake --build build --target hpo_cli, or --hpo PATH)" >&2; exit 2; }
HPO="$(cd "$(dirname "$HPO")" && pwd)/$(basename "$HPO")"
help_text="$("$HPO" run --help 2>&1 || true)"   # whole, not piped into grep -q (pipefail would see hpo's SIGPIPE)
[[ $help_text == *--population* ]] || { echo "$HPO has no --strategy pbt (issue 15)" >&2; exit 2; }
modules="numpy, sklearn"
[[ " ${part_list[*]} " == *" lenet "* ]] && modules="$modules, torch"
if ! "$PY" -c "import $modules" 2>/dev/null; then
  echo "$PY cannot import $modules; install them: bash bench/setup.sh --torch (or set HPO_PYTHON)" >&2
  exit 2
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hpo-bench-pbt.XXXXXX")"
results="${KEEP:-$tmp/results}"
mkdir -p "$results"
results="$(cd "$results" && pwd)"
server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
started=$(date +%s)
load_start="$(cut -d" " -f1-3 /proc/loadavg)"
one=("$PY" "$here/run_one.py" --hpo "$HPO" --python "$PY" --kernel-dir "$tmp" --out "$results")
[[ $MODE == quick ]] && one+=(--quick)
lenet_opt=()
[[ -n $LENET_ROUNDS ]] && lenet_opt+=(--rounds "$LENET_ROUNDS")
[[ -n $LENET_EPOCHS ]] && lenet_opt+=(--steps "$LENET_EPOCHS")

# (a)'s kernel must resume exactly: two one-round trials chained through a directory print what
# one two-round trial prints (else PBT's members would not continue their training).
mkdir "$tmp/probe.toy"
k="$here/quadratic_kernel.py"
chained="$("$PY" "$k" --lr=0.3 --seed=1 --checkpoint-dir="$tmp/probe.toy"; HPO_CHECKPOINT_DIR="$tmp/probe.toy" "$PY" "$k" --lr=0.3 --seed=1)"
whole="$("$PY" "$k" --lr=0.3 --seed=1 --rounds=2)"
[[ "$chained" == "$whole" && $(grep -c '^FoM: ' <<< "$whole") == 2 ]] || {
  echo "quadratic kernel: two chained rounds print '$chained', one two-round run '$whole'" >&2; exit 1; }

# (b)'s kernel: a server with PyTorch imported once, forking per request (bench/pruning's), so
# that a kernel's seconds are its training, not the import.
if [[ " ${part_list[*]} " == *" lenet "* ]]; then
  PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" "$PY" "$repo/bench/pruning/stream_server.py" "$tmp/kernels.sock" lenet_pbt_kernel 2> "$tmp/server.err" &
  server_pid=$!
  wait_for_socket "$server_pid" "$tmp/kernels.sock" "$tmp/server.err" 120 "the kernel server"  # bench/lib/servers.sh
  # The server must compute what the kernel computes on its own, from a checkpoint too.
  probe=(--lr=0.05 --momentum=0.9 --weight-decay=0.0001 --batch=32 --epochs=1)
  mkdir -p "$tmp/probe.direct" "$tmp/probe.served"
  k="$here/lenet_pbt_kernel.py"
  direct="$("$PY" "$k" "${probe[@]}" --checkpoint-dir="$tmp/probe.direct"; "$PY" "$k" "${probe[@]}" --checkpoint-dir="$tmp/probe.direct")"
  served="$("$PY" "$k" --server="$tmp/kernels.sock" "${probe[@]}" --checkpoint-dir="$tmp/probe.served"
            "$PY" "$k" --server="$tmp/kernels.sock" "${probe[@]}" --checkpoint-dir="$tmp/probe.served")"
  [[ "$direct" == "$served" && $(grep -c '^FoM: ' <<< "$direct") == 2 ]] || {
    echo "lenet kernel: the server streams '$served', in-process '$direct'" >&2; exit 1; }
fi

# --- the runs: J at once; (b)'s random and asha after PBT, whose kernel-seconds they get ---------
pending() {  # part methods...: the runs not kept yet
  local part="$1" m s; shift
  for ((s = 1; s <= SEEDS; ++s)); do
    for m in "$@"; do [[ -f "$results/$part.$m.$s.json" ]] || echo "$part $m $s"; done
  done
}
total=0
batch() {  # extra run_one options, then the jobs on stdin
  local list; list="$(cat)"
  [[ -n $list ]] || return 0
  total=$((total + $(wc -l <<< "$list")))
  xargs -P "$parallel_runs" -L 1 nice -n 10 "${one[@]}" "$@" <<< "$list" || { echo "pbt bench: a run failed; the harness failed" >&2; exit 1; }
}
echo "pbt bench: parts $PARTS, $SEEDS seeds, (a) $JOBS runs at a time, (b) one (hpo: $HPO, results: $results)" >&2
for p in "${part_list[@]}"; do
  if [[ $p == toy ]]; then
    parallel_runs=$JOBS
    batch < <(pending toy pbt random grid)
  else
    parallel_runs=1   # each run trains N networks at once already: one run at a time, 2 would skew kernel-seconds
    batch "${lenet_opt[@]}" < <(pending lenet pbt)
    batch "${lenet_opt[@]}" --budget-from pbt < <(pending lenet random asha)
  fi
done
elapsed=$(( $(date +%s) - started ))
load_end="$(cut -d" " -f1-3 /proc/loadavg)"

# --- the report -----------------------------------------------------------------------------
summary="$("$PY" "$here/summarize.py" --dir "$results" --parts "$PARTS" --seeds "$SEEDS" \
  $( [[ $MODE == quick ]] && echo --quick ) ${LENET_ROUNDS:+--lenet-rounds $LENET_ROUNDS} ${LENET_EPOCHS:+--lenet-epochs $LENET_EPOCHS})" \
  || { echo "pbt bench: summarize.py failed" >&2; exit 1; }
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (working tree modified)' || true)"
model="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
torch_version="$("$PY" -c 'import torch; print("torch " + torch.__version__)' 2>/dev/null || echo "no torch")"
example() { "${one[@]}" --print-command "$@" | sed "s#$repo/##g"; }

report() {
  echo "### Population-based training (issue 15) — $MODE mode"
  echo
  if [[ $MODE == quick ]]; then
    echo "> Quick mode checks that the harness works: with $SEEDS seeds and a small population the figures and the targets below mean little."
    echo
  fi
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); this run took $((elapsed / 60)) min $((elapsed % 60)) s ($total runs$( [[ -n $KEEP ]] && echo "; the others were kept in $KEEP from earlier runs"))"
  echo "- machine: $(nproc) CPUs, ${model:-unknown model}, $(uname -sr); every run has N kernels at once (\`--parallel N\`, N the population: PBT's members side by side, and the same concurrency for every method); (a): $JOBS runs at a time, (b): one (nice 10)"
  echo "- load average (1/5/15 min): $load_start at the start, $load_end at the end"
  echo "- hpo: $HPO, git commit $commit$dirty; python: $PY ($("$PY" -c 'import sys; print(sys.version.split()[0])'), $torch_version)"
  echo "- seeds 1..$SEEDS: hpo's \`--seed\`, and in (a) the kernel's noise (\`--seed=S\`: every method of a seed sees the same noise at the same step)"
  echo "- PBT: hpo's defaults (\`--exploit-fraction 0.25 --resample-probability 0.25\`); a member's checkpoint directory is \`@checkpoint\` (\`--checkpoint-dir=@checkpoint\`)"
  echo "- (a) kernel: SGD on 1/2 sum h_i x_i^2, 10 dimensions, h log-spaced in [0.01, 1], x = 1 at the start, gradient noise sigma 0.05; FoM = the exact loss after the trial's last round; space \`--lr [0.001,1.0] log\`"
  if [[ " ${part_list[*]} " == *" lenet "* ]]; then
    echo "- (b) kernel: the pruning bench's LeNet-5 (digits, 1,000 training and 797 validation images upsampled to 16x16, one thread, weights and batch order from \`--seed=0\`), SGD with momentum; model and momentum saved with torch.save in \`@checkpoint/model.pt\`; FoM = validation error after each epoch (the last is the trial's); the pruning bench's space (\`--lr [0.001,1] log\`, \`--momentum [0,0.95]\`, \`--weight-decay [1e-6,0.01] log\`, \`--batch [16,128] log\` integer)"
    echo "- (b) budget: each seed's PBT run goes to its end; its kernel-seconds (sum of its trials' durations) are the budget of random search and asha for that seed: they are stopped (SIGTERM) once their trials reach it, and only trials that ended within it count"
  fi
  echo
  echo "$summary"
  echo
  echo "Commands (each run_one.py call makes one run and writes its trials as JSON; \$TMP is the harness's temporary directory):"
  echo
  echo '```'
  echo "bench/pbt/run.sh $( [[ $MODE == quick ]] && echo '--quick ')--seeds $SEEDS --parts $PARTS --jobs $JOBS${LENET_ROUNDS:+ --lenet-rounds $LENET_ROUNDS}${LENET_EPOCHS:+ --lenet-epochs $LENET_EPOCHS}"
  echo "# what run_one.py runs, seed 1 (then hpo export RUN/run.h5 --format json):"
  for p in "${part_list[@]}"; do
    if [[ $p == toy ]]; then
      for m in pbt random grid; do example toy "$m" 1; done
    else
      for m in pbt random asha; do example "${lenet_opt[@]}" lenet "$m" 1; done
    fi
  done
  echo "$PY bench/pbt/summarize.py --dir \$RESULTS --parts $PARTS --seeds $SEEDS$( [[ $MODE == quick ]] && echo ' --quick')${LENET_ROUNDS:+ --lenet-rounds $LENET_ROUNDS}${LENET_EPOCHS:+ --lenet-epochs $LENET_EPOCHS}"
  echo '```'
}
if [[ -n "$OUT" ]]; then report | sed "s#$tmp#\$TMP#g; s#$results#\$RESULTS#g" | tee "$OUT"; else report | sed "s#$tmp#\$TMP#g; s#$results#\$RESULTS#g"; fi
