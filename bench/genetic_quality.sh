#!/usr/bin/env bash
# Issue 16: does hpo's genetic strategy win with its defaults at the budgets users can afford?
#
# Per problem (Branin, Hartmann-6, Ackley-5, Rosenbrock-4, Levy-6, the 7-D polynomial fit: the C
# kernel bench/quality/test_function_kernel.c; the scikit-learn MLP: bench/quality/mlp_digits_kernel.py)
# and budget (50/100/200): medians and quartiles over seeds of the best FoM of
#   hpo genetic, 1 deme     `hpo run --strategy genetic --evals B --parallel 1` (defaults + the budget)
#   hpo genetic, 4 demes    the same + `--demes 4`
#   (each genetic run is made with its budget B, not read off a longer run)
#   hpo random, DEAP GA, Optuna CMA-ES   (one 200-evaluation run each, read at 50, 100, 200)
# and a target line per problem; then, at --mpi-budget (100) on the C problems, steady-state with 16
# workers (`mpirun --oversubscribe -n 17 hpo run ... --mode steady-state`) and 4 demes under mpirun
# (`-n 5`) against generational at 1 worker. Markdown to stdout, progress to stderr; exit 0 whether
# or not the targets are met, 1 if a run fails, 2 bad usage.
#
# usage: bench/genetic_quality.sh [--quick] [--hpo PATH] [--seeds K] [--mpi-seeds K] [--mlp-seeds K]
#                                 [--epochs E] [--jobs J] [--no-mlp] [--no-mpi] [--out FILE] [--results DIR]
#   full: K = 10 seeds (C problems), 10 MPI seeds, 10 MLP seeds with E = 20 epochs, J = 2
#   --quick: 2 seeds, budgets 10/20/40, MPI at 20, MLP 3 epochs (the harness works; figures mean nothing)
#   --results DIR: keep each run's result file in DIR (else a temporary directory) and run only the
#     runs whose file is not there yet: a bench split over several calls (--no-mlp first, then
#     the MLP), or killed, goes on where it stopped; the tables cover every result in DIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
quality="$here/quality"
# shellcheck source=lib/servers.sh
source "$here/lib/servers.sh"
HPO="${HPO:-$repo/build/bin/hpo}"
PY="${HPO_PYTHON:-/usr/bin/python3}"
SEEDS=10 MPI_SEEDS=10 MLP_SEEDS=10 EPOCHS=20 JOBS=2 MODE=full OUT="" MLP=1 MPI=1 RESULTS=""
BUDGETS="50 100 200" MPI_BUDGET=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick; SEEDS=2; MPI_SEEDS=2; MLP_SEEDS=2; EPOCHS=3; BUDGETS="10 20 40"; MPI_BUDGET=20 ;;
    --hpo) HPO="$2"; shift ;;
    --seeds) SEEDS="$2"; shift ;;
    --mpi-seeds) MPI_SEEDS="$2"; shift ;;
    --mlp-seeds) MLP_SEEDS="$2"; shift ;;
    --epochs) EPOCHS="$2"; shift ;;
    --jobs) JOBS="$2"; shift ;;
    --no-mlp) MLP=0 ;;
    --no-mpi) MPI=0 ;;
    --out) OUT="$2"; shift ;;
    --results) RESULTS="$2"; shift ;;
    -h|--help) sed -n "2,/^set /{/^#/p}" "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
for v in SEEDS MPI_SEEDS MLP_SEEDS EPOCHS JOBS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "--${v,,} must be a positive integer (got '${!v}')" >&2; exit 2; }
done
[[ -x "$HPO" ]] || { echo "hpo binary not found: $HPO (or --hpo PATH)" >&2; exit 2; }
HPO="$(cd "$(dirname "$HPO")" && pwd)/$(basename "$HPO")"
"$PY" -c 'import optuna, deap, sklearn, numpy' 2>/dev/null || {
  echo "$PY cannot import optuna, deap, sklearn and numpy (apt-get install python3-optuna python3-deap python3-sklearn)" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT="${OMPI_ALLOW_RUN_AS_ROOT:-1}" OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hpo-bench-genetic.XXXXXX")"
server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
started=$(date +%s)
load_start="$(cut -d" " -f1-3 /proc/loadavg)"
"${CC:-cc}" -O2 -o "$tmp/test_function_kernel" "$quality/test_function_kernel.c" -lm
c_problems=(branin hartmann6 ackley5 rosenbrock4 levy6 poly7)
top="${BUDGETS##* }"
if [[ $MLP == 1 ]]; then
  start_mlp_server "$PY" "$quality" "$tmp" "$EPOCHS"  # bench/lib/servers.sh
  server_pid="$MLP_SERVER_PID"
fi

# --- the runs: lines of "BUDGET OUTDIR METHOD PROBLEM SEED" ----------------------------------------
jobs_for() {  # problem seeds
  local p="$1" k="$2" b s m
  for ((s = 1; s <= k; ++s)); do
    for b in $BUDGETS; do for m in hpo-genetic hpo-genetic-4demes; do echo "$b b$b $m $p $s"; done; done
    for m in hpo-random deap-ga optuna-cmaes; do echo "$top peers $m $p $s"; done
  done
}
{
  for p in "${c_problems[@]}"; do jobs_for "$p" "$SEEDS"; done
  if [[ $MPI == 1 ]]; then
    for p in "${c_problems[@]}"; do for ((s = 1; s <= MPI_SEEDS; ++s)); do
      echo "$MPI_BUDGET mpi hpo-genetic-ss16 $p $s"; echo "$MPI_BUDGET mpi hpo-genetic-4demes-mpi $p $s"
    done; done
  fi
  [[ $MLP == 1 ]] && jobs_for mlp_digits "$MLP_SEEDS"
} > "$tmp/jobs"
results="$tmp/results"
if [[ -n "$RESULTS" ]]; then mkdir -p "$RESULTS"; results="$(cd "$RESULTS" && pwd)"; fi
mkdir -p "$results"/{peers,mpi}; for b in $BUDGETS; do mkdir -p "$results/b$b"; done
# A run whose result is there already (--results) is not made again.
while read -r b dir m p s; do
  [[ -e "$results/$dir/$m.$p.$s.json" ]] || echo "$b $dir $m $p $s"
done < "$tmp/jobs" > "$tmp/jobs.todo"
echo "genetic quality: $(wc -l < "$tmp/jobs.todo") runs of $(wc -l < "$tmp/jobs"), $JOBS at a time (hpo: $HPO)" >&2
run_failed=0
awk -v py="$PY" -v q="$quality" -v hpo="$HPO" -v k="$tmp" -v r="$results" \
  '{print py, q "/run_one.py --hpo", hpo, "--kernel-dir", k, "--budget", $1, "--out", r "/" $2, $3, $4, $5}' \
  "$tmp/jobs.todo" | xargs -P "$JOBS" -I{} sh -c '{}' || run_failed=1
[[ $run_failed == 0 ]] || { echo "genetic quality: a run failed; the harness failed" >&2; exit 1; }
elapsed=$(( $(date +%s) - started ))

commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (working tree modified)' || true)"
summary_c="$("$PY" "$quality/genetic_summary.py" --dir "$results" --seeds "$SEEDS" --budgets "${BUDGETS// /,}" \
  --problems "$(IFS=,; echo "${c_problems[*]}")" $( [[ $MPI == 1 ]] && echo "--mpi-budget $MPI_BUDGET --mpi-seeds $MPI_SEEDS --mpi-problems $(IFS=,; echo "${c_problems[*]}")" ))"
summary_mlp=""
[[ $MLP == 1 ]] && summary_mlp="$("$PY" "$quality/genetic_summary.py" --dir "$results" --seeds "$MLP_SEEDS" \
  --budgets "${BUDGETS// /,}" --problems mlp_digits)"
report() {
  echo "### Genetic search quality (issue 16) — $MODE mode"
  echo
  [[ $MODE == quick ]] && { echo "> Quick mode checks the harness only: the figures and targets mean nothing."; echo; }
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); took $((elapsed / 60)) min $((elapsed % 60)) s; $(nproc) CPUs, $JOBS runs at a time; load average $load_start at the start, $(cut -d" " -f1-3 /proc/loadavg) at the end"
  echo "- hpo: git commit $commit$dirty; genetic \`hpo run --strategy genetic --evals B --parallel 1 --seed S\` (1 deme) and the same with \`--demes 4\`, every other option at its default"
  echo "- peers: hpo random \`--evals $top\`, DEAP (μ+λ) GA and Optuna \`CmaEsSampler(seed=S)\` as in bench/search_quality.sh, one $top-evaluation run each, read at each budget"
  echo "- C problems: $SEEDS seeds; MPI runs: $MPI_SEEDS seeds at $MPI_BUDGET evaluations; MLP: $MLP_SEEDS seeds, $EPOCHS epochs"
  echo "- cells: best FoM after n evaluations, \`median [q1, q3]\` over seeds; lower is better"
  echo
  echo "$summary_c"
  if [[ -n "$summary_mlp" ]]; then echo; echo "$summary_mlp"; fi
}
if [[ -n "$OUT" ]]; then report | tee "$OUT"; else report; fi
