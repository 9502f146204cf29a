#!/usr/bin/env bash
# Issue 6, item 5: seconds per proposal of hpo's Bayesian strategy against the number of
# observations (100, 250, 500, 1,000) for 6 parameters, and Optuna's TPE on the same problem.
#
#   hpo:    bench/bayes_proposal_bench.cpp (built with the project): a BayesStrategy over 6 float
#           parameters is given N results (Hartmann-6 values of its own initial design), then K
#           proposals are timed one by one (ask(1), tell, ask(1), ...).
#   Optuna: bench/optuna_tpe_cost.py: a study with the default TPESampler is given N completed
#           trials (study.add_trials), then K proposals are timed (study.ask() + 6 suggest_float).
# Each is repeated R times (seeds 1..R, interleaved); the table shows medians over the repeats.
# Prints one markdown section on stdout, progress on stderr.
#
# usage: bench/bayes_cost.sh [--quick] [--build-dir DIR] [--repeats R] [--observations LIST]
#                            [--out FILE]   (also write the section to FILE)
#   --build-dir: the CMake build directory holding bench/bayes_proposal_bench (default: build;
#                built there with cmake --build if missing). $HPO_PYTHON: the Python with optuna
#                (default: the first of /usr/bin/python3, python3 that imports it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
BUILD="$repo/build"
MODE=full
R=5
OBS="100,250,500,1000"
K_HPO=20       # proposals timed per repeat and observation count (the first is a refit)
K_TPE=10
OUT=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick; R=2; K_HPO=6; K_TPE=4 ;;
    --build-dir) BUILD="$2"; shift ;;
    --repeats) R="$2"; shift ;;
    --observations) OBS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n 2,19p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ "$BUILD" = /* ]] || BUILD="$PWD/$BUILD"
BENCH="$BUILD/bench/bayes_proposal_bench"
if [[ ! -x "$BENCH" && -f "$BUILD/CMakeCache.txt" ]]; then
  echo "building bayes_proposal_bench in $BUILD" >&2
  cmake --build "$BUILD" --target bayes_proposal_bench >&2
fi
[[ -x "$BENCH" ]] || { echo "not found: $BENCH (build: cmake --build $BUILD --target bayes_proposal_bench)" >&2; exit 2; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hpo-bench-bayes.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# Debian's python3-optuna lives under /usr/bin/python3; `python3` may be a pyenv shim without it.
PY=""
for cand in ${HPO_PYTHON:-} /usr/bin/python3 python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import optuna' >/dev/null 2>&1; then PY="$cand"; break; fi
done
optuna_version="not available"
[[ -n "$PY" ]] && optuna_version="$("$PY" -c 'import optuna; print(optuna.__version__)') ($PY)"

# --- the repeats, interleaved -------------------------------------------------
for ((r = 1; r <= R; ++r)); do
  echo "repeat $r/$R: hpo bayes ($OBS observations, $K_HPO proposals each)" >&2
  "$BENCH" --csv --observations "$OBS" --proposals "$K_HPO" --seed "$r" > "$tmp/hpo.$r.csv" \
    || { echo "bayes_proposal_bench failed" >&2; exit 1; }
  if [[ -n "$PY" ]]; then
    echo "repeat $r/$R: optuna TPE ($OBS observations, $K_TPE proposals each)" >&2
    "$PY" "$here/optuna_tpe_cost.py" --csv --observations "$OBS" --proposals "$K_TPE" --seed "$r" \
      > "$tmp/tpe.$r.csv" || { echo "optuna_tpe_cost.py failed" >&2; exit 1; }
  fi
done

# median over the repeats of column COL (by header name) of FILES, for the row with observations N
med() {  # med PREFIX N COLUMN
  local prefix=$1 n=$2 col=$3
  for f in "$tmp/$prefix".*.csv; do
    awk -F, -v n="$n" -v col="$col" 'NR == 1 {for (i = 1; i <= NF; ++i) if ($i == col) c = i; next}
                                     $1 == n && c {print $c}' "$f"
  done | grep -v -i nan | sort -g | awk '{a[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
fmt() { awk -v x="$1" 'BEGIN {if (x == "nan") print "–"; else if (x < 0.01) printf "%.4f", x; else if (x < 1) printf "%.3f", x; else printf "%.2f", x}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "nan" || b == "nan" || b == 0) print "–"; else printf "%.2f", a / b}'; }

commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (working tree modified)' || true)"
model="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)"
quick_flag="$([[ $MODE == quick ]] && echo ' --quick' || true)"

report() {
  echo "### Bayes cost (issue 6, item 5)"
  echo
  echo "- mode: $MODE; date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) CPUs, ${model:-unknown model}, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo "- hpo: $BENCH (${build_type:-unknown} build), git commit $commit$dirty"
  echo "- optuna: $optuna_version, default \`TPESampler(seed=r)\` (independent, 10 startup trials)"
  echo "- problem: 6 float parameters in [0,1], Hartmann-6 values; one thread; R = $R repeats (seeds 1..$R), medians over them;"
  echo "  per repeat and observation count, hpo times $K_HPO proposals and TPE $K_TPE (each proposal is told its value before the next)"
  echo
  echo "What is timed: for hpo, \`BayesStrategy::ask(1)\` with N results told (from its own Sobol design, so the first"
  echo "model proposal starts from no fit); for Optuna, \`study.ask()\` plus the 6 \`suggest_float\` calls (TPE samples"
  echo "inside them) on a study holding N completed trials. A **refit** is a proposal that first fits the Gaussian"
  echo "process's hyperparameters again by maximum likelihood (on at most 256 of the results) and rebuilds its"
  echo "Cholesky factor from scratch; hpo refits on its first model proposal and then each time the results have grown"
  echo "by 1/8 since the last fit. Every other proposal appends one row to the factor (O(N²)) and maximizes the"
  echo "acquisition. *Amortized* = mean + refit / (N/8), the cost per proposal over a stretch of a run at N results."
  echo
  echo "| observations N | hpo mean s/proposal (no refit) | hpo refit proposal s | hpo amortized s/proposal | Optuna TPE s/proposal | hpo / TPE (mean) | hpo / TPE (amortized) |"
  echo "|---|---|---|---|---|---|---|"
  local n
  for n in ${OBS//,/ }; do
    local plain first amort tpe
    plain=$(med hpo "$n" plain_mean_s)
    first=$(med hpo "$n" first_s)
    amort=$(awk -v p="$plain" -v f="$first" -v n="$n" 'BEGIN {if (p == "nan") print "nan"; else { k = n / 8; if (k < 1) k = 1; printf "%.6g", p + f / k }}')
    tpe=nan
    [[ -n "$PY" ]] && tpe=$(med tpe "$n" median_s)
    echo "| $n | $(fmt "$plain") | $(fmt "$first") | $(fmt "$amort") | $(fmt "$tpe") | $(ratio "$plain" "$tpe") | $(ratio "$amort" "$tpe") |"
  done
  echo
  [[ -n "$PY" ]] || echo "Optuna: not available (\`import optuna\` fails in \$HPO_PYTHON, /usr/bin/python3 and python3), not measured."
  echo "Ratios above 1 mean hpo's proposal costs more than TPE's: a GP-based proposal does more work per"
  echo "proposal than TPE's per-parameter density estimates; what it buys is measured by item 4 (search quality)."
  echo
  echo "Commands:"
  echo
  echo '```'
  echo "bench/bayes_cost.sh$quick_flag --build-dir ${BUILD#"$repo"/} --repeats $R --observations $OBS"
  echo "# per repeat r = 1..$R:"
  echo "${BENCH#"$repo"/} --csv --observations $OBS --proposals $K_HPO --seed \$r"
  [[ -n "$PY" ]] && echo "$PY bench/optuna_tpe_cost.py --csv --observations $OBS --proposals $K_TPE --seed \$r"
  echo '```'
}
if [[ -n "$OUT" ]]; then report | tee "$OUT"; else report; fi
