#!/usr/bin/env bash
# Issue 6, item 4: search quality of hpo against Optuna and DEAP.
#
# Six problems -- Branin, Hartmann-6, Ackley-5, Rosenbrock-4, Levy-6 (a compiled C kernel,
# bench/quality/test_function_kernel.c) and a scikit-learn MLP on the digits set
# (bench/quality/mlp_digits_kernel.py, validation error) -- are each optimized by seven methods
# with the same budget, one evaluation at a time, every method running the same kernel program:
#   hpo bayes, hpo genetic, hpo random   (the real `hpo run` CLI, trials read with `hpo export`)
#   Optuna TPE, CMA-ES, random; DEAP's GA   (bench/quality/peers.py, kernel via subprocess)
# Best FoM after a quarter, half and all of the budget (50/100/200 in full mode), median and
# quartiles over seeds, and the issue's targets: hpo bayes better than Optuna TPE on >= 4 of 6
# problems at 100 evaluations; hpo genetic better than DEAP's GA at equal budget.
# One markdown section goes to stdout, progress to stderr. Exit 0 whether or not the targets
# are met; 1 if the harness fails (a run fails or makes too few evaluations), 2 bad usage or
# the peers missing.
#
# usage: bench/search_quality.sh [--quick] [--hpo PATH] [--seeds K] [--jobs J]
#                                [--budget B] [--epochs E] [--out FILE]
#   full (default): K = 10 seeds, B = 200 evaluations, MLP trained E = 20 epochs, J = 2 runs at
#                   once (about 4,000 CPU seconds: ~35 min on 2 idle cores)
#   --quick:        K = 2, B = 20, E = 3 (every method and problem, a couple of minutes)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
quality="$here/quality"
# shellcheck source=lib/servers.sh
source "$here/lib/servers.sh"
HPO="${HPO:-$repo/build/bin/hpo}"
PY="${HPO_PYTHON:-/usr/bin/python3}"   # Debian's python3-optuna/-deap/-sklearn live here, not in a pyenv python3
SEEDS=10 BUDGET=200 EPOCHS=20 JOBS=2 MODE=full OUT=""
user_seeds="" user_budget="" user_epochs=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick ;;
    --hpo) HPO="$2"; shift ;;
    --seeds) user_seeds="$2"; shift ;;
    --jobs) JOBS="$2"; shift ;;
    --budget) user_budget="$2"; shift ;;
    --epochs) user_epochs="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n "2,/^set /{/^#/p}" "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ $MODE == quick ]] && { SEEDS=2; BUDGET=20; EPOCHS=3; }
SEEDS="${user_seeds:-$SEEDS}" BUDGET="${user_budget:-$BUDGET}" EPOCHS="${user_epochs:-$EPOCHS}"
for v in SEEDS BUDGET EPOCHS JOBS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "--${v,,} must be a positive integer (got '${!v}')" >&2; exit 2; }
done
(( BUDGET >= 8 )) || { echo "--budget must be at least 8 (got $BUDGET)" >&2; exit 2; }
[[ -x "$HPO" ]] || { echo "hpo binary not found: $HPO (build: cmake --build build --target hpo_cli, or --hpo PATH)" >&2; exit 2; }
HPO="$(cd "$(dirname "$HPO")" && pwd)/$(basename "$HPO")"
if ! "$PY" -c 'import optuna, deap, sklearn, numpy' 2>/dev/null; then
  echo "$PY cannot import optuna, deap, sklearn and numpy;" \
       "install them: apt-get install -y python3-optuna python3-deap python3-sklearn (or set HPO_PYTHON)" >&2
  exit 2
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hpo-bench-quality.XXXXXX")"
server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
started=$(date +%s)
load_start="$(cut -d" " -f1-3 /proc/loadavg)"

# --- the kernels ---------------------------------------------------------------
"${CC:-cc}" -O2 -o "$tmp/test_function_kernel" "$quality/test_function_kernel.c" -lm
start_mlp_server "$PY" "$quality" "$tmp" "$EPOCHS"  # bench/lib/servers.sh
server_pid="$MLP_SERVER_PID"

# --- the runs: every (method, problem, seed), J at once, the slow MLP runs first --------
methods=(hpo-bayes hpo-genetic hpo-random optuna-tpe optuna-cmaes optuna-random deap-ga)
problem_list=(mlp_digits branin hartmann6 ackley5 rosenbrock4 levy6 poly7)
mkdir -p "$tmp/results"
for p in "${problem_list[@]}"; do
  for ((s = 1; s <= SEEDS; ++s)); do
    for m in "${methods[@]}"; do echo "$m $p $s"; done
  done
done > "$tmp/jobs"
total=$(wc -l < "$tmp/jobs")
echo "search quality: $total runs of $BUDGET evaluations, $JOBS at a time (hpo: $HPO)" >&2
run_failed=0
xargs -P "$JOBS" -L 1 "$PY" "$quality/run_one.py" --hpo "$HPO" --kernel-dir "$tmp" --budget "$BUDGET" \
  --out "$tmp/results" < "$tmp/jobs" || run_failed=1
# The MLP training runs in the server's children: their CPU time, for the estimate of the wall
# time on an idle machine (the runs' own CPU time is in each result).
server_cpu="$(awk -v tck="$(getconf CLK_TCK)" '{print ($14 + $15 + $16 + $17) / tck}' "/proc/$server_pid/stat")"
done_runs=$(find "$tmp/results" -maxdepth 1 -name '*.json' | wc -l)
if [[ $run_failed == 1 || $done_runs -ne $total ]]; then
  echo "search quality: $done_runs of $total runs completed; the harness failed" >&2
  exit 1
fi
elapsed=$(( $(date +%s) - started ))
load_end="$(cut -d" " -f1-3 /proc/loadavg)"

# --- the report --------------------------------------------------------------------
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (working tree modified)' || true)"
model="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
versions="$("$PY" -c 'import optuna, deap, sklearn, numpy, sys
print("optuna %s, deap %s, scikit-learn %s, numpy %s (python %s)" % (optuna.__version__, deap.__version__,
      sklearn.__version__, numpy.__version__, sys.version.split()[0]))')"
genetic="$("$PY" -c "import sys; sys.path.insert(0, '$quality'); import hpo_methods, peers
print(' '.join(hpo_methods.strategy_options('hpo-genetic', $BUDGET))); print('mu %d, lambda %d, %d generations' % peers.deap_shape($BUDGET)[:3])")"
summary="$("$PY" "$quality/summarize.py" --dir "$tmp/results" --seeds "$SEEDS" --budget "$BUDGET" \
  --server-cpu "$server_cpu" --jobs "$JOBS" --elapsed "$elapsed")" || {
  echo "search quality: summarize.py failed" >&2; exit 1; }
example() { "$PY" "$quality/run_one.py" --print-command --hpo "$HPO" --kernel-dir "$tmp" --budget "$BUDGET" --out "$tmp/results" "$@"; }

report() {
  echo "### Search quality (issue 6, item 4) — $MODE mode"
  echo
  if [[ $MODE == quick ]]; then
    echo "> Quick mode checks that the harness works: with $SEEDS seeds and $BUDGET evaluations the figures and the targets below mean nothing."
    echo
  fi
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); this run took $((elapsed / 60)) min $((elapsed % 60)) s"
  echo "- machine: $(nproc) CPUs, ${model:-unknown model}, $(uname -sr); $JOBS runs at a time"
  echo "- load average (1/5/15 min): $load_start at the start, $load_end at the end (other processes slow the wall times, not the FoMs)"
  echo "- hpo: $HPO, git commit $commit$dirty"
  echo "- peers ($PY): $versions"
  echo "- budget: $BUDGET evaluations per run, one at a time; $SEEDS seeds (1..$SEEDS) per method and problem; FoM lower is better"
  echo "- hpo: defaults of each strategy; \`hpo run --parallel 1 --seed S\`; genetic \`$(head -1 <<< "$genetic")\` (the defaults and the budget option); bayes \`--evals $BUDGET\` (initial design and acquisition at their defaults)"
  echo "- Optuna: \`TPESampler(seed=S)\`, \`CmaEsSampler(seed=S)\`, \`RandomSampler(seed=S)\` with their defaults; float, int and log parameters as \`suggest_float\`/\`suggest_int(log=...)\`"
  echo "- DEAP: (μ + λ) GA (\`eaMuPlusLambda\`), $(tail -1 <<< "$genetic"), on [0,1]^d mapped onto the domain (log-uniformly for log parameters, equal cells for integers), SBX crossover and polynomial mutation (η = 20, per-gene rate 1/d), crossover 0.6 / mutation 0.4, tournament of 3; \`random.seed(S)\`"
  echo "- MLP kernel: \`MLPClassifier\` (one hidden layer, adam, $EPOCHS epochs, random_state 0) on sklearn's digits, stratified half/half train/validation split; parameters \`--lr [1e-4,0.1] log\`, \`--alpha [1e-6,0.1] log\`, \`--hidden [8,128] log\` (integer), \`--batch [16,256] log\` (integer); scikit-learn is imported once by \`mlp_digits_server.py\`, each evaluation still runs the kernel program, which forwards its flags (checked: same FoM as training in-process)"
  echo "- test functions on their standard domains: Branin x0 ∈ [-5,10], x1 ∈ [0,15] (min 0.397887); Hartmann-6 [0,1]^6 (min -3.32237); Ackley [-32.768,32.768]^5 (min 0 at the centre of the domain, where CMA-ES centres its first samples); Rosenbrock [-5,10]^4 and Levy [-10,10]^6 (min 0 at (1,…,1))"
  echo "- cells: best FoM after n evaluations, \`median [q1, q3]\` over seeds; bold: the best median in its column"
  echo
  echo "$summary"
  echo
  echo "Commands (kernels compiled and the MLP server started by bench/search_quality.sh in a temporary directory \$TMP; each run_one.py call makes one run and writes its FoM sequence as JSON):"
  echo
  echo '```'
  echo "bench/search_quality.sh $( [[ $MODE == quick ]] && echo '--quick ')--seeds $SEEDS --budget $BUDGET --epochs $EPOCHS --jobs $JOBS --hpo $HPO"
  echo "# every run, e.g. seed 1 on Hartmann-6:"
  echo "$PY bench/quality/run_one.py --hpo $HPO --kernel-dir \$TMP --budget $BUDGET --out \$TMP/results METHOD hartmann6 1   # METHOD: ${methods[*]}"
  echo "# what run_one.py runs for the hpo methods (then: hpo export \$TMP/results/RUN/run.h5 --format json):"
  example hpo-bayes hartmann6 1
  example hpo-genetic hartmann6 1
  example hpo-random mlp_digits 1
  echo "# the MLP kernel command: $(tr '\n' ' ' < "$tmp/mlp_command")"
  echo "$PY bench/quality/summarize.py --dir \$TMP/results --seeds $SEEDS --budget $BUDGET --jobs $JOBS"
  echo '```'
}
if [[ -n "$OUT" ]]; then report | sed "s#$tmp#\$TMP#g" | tee "$OUT"; else report | sed "s#$tmp#\$TMP#g"; fi
