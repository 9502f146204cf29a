#!/usr/bin/env bash
# Issue 17: how long `hpo report` takes on a 100,000-trial checkpoint (target: under 30 s), from
# reading the file to the page and the PNGs written.
#
#   The checkpoint: bench/checkpoint_write_bench record (built with the project) writes a random
#   search's 100,000 trials over 4 parameters (log float, float, int, 3-way choice) the way hpo
#   run's recorder does: 64 workers, 16 hosts, times, one trial in fifty failed with a stderr tail.
#   Then `hpo report FILE -o FILE.html --png DIR -v` runs R times; the table shows the medians of
#   its wall time and of its CPU time (user + sys: what it costs on a machine of its own, when the
#   machine is shared), and the last run's time per figure (-v).
# Prints one markdown section on stdout, progress on stderr.
#
# usage: bench/report_speed.sh [--quick] [--build-dir DIR] [--trials N] [--repeats R] [--out FILE]
#   --quick: 10,000 trials, one repeat (checks the harness). --build-dir: the CMake build directory
#   (default: build; hpo, the Python package and checkpoint_write_bench are built there if missing).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
BUILD="$repo/build"
MODE=full
N=100000
R=3
OUT=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick; N=10000; R=1 ;;
    --build-dir) BUILD="$2"; shift ;;
    --trials) N="$2"; shift ;;
    --repeats) R="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ "$BUILD" = /* ]] || BUILD="$PWD/$BUILD"
HPO="$BUILD/bin/hpo"
WRITER="$BUILD/bench/checkpoint_write_bench"
if [[ (! -x "$HPO" || ! -x "$WRITER" || ! -f "$BUILD/python/hpo/report/__main__.py") && -f "$BUILD/CMakeCache.txt" ]]; then
  echo "building hpo, the Python package and checkpoint_write_bench in $BUILD" >&2
  cmake --build "$BUILD" --target hpo_cli hpo_python checkpoint_write_bench >&2
fi
for f in "$HPO" "$WRITER"; do [[ -x "$f" ]] || { echo "not found: $f" >&2; exit 2; }; done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hpo-bench-report.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "writing a checkpoint of $N trials" >&2
"$WRITER" record --trials "$N" --commit-every 1000 --out "$tmp/run.h5" > /dev/null
file_mb=$(awk -v b="$(stat -c %s "$tmp/run.h5")" 'BEGIN { printf "%.1f", b / 1048576 }')

walls=() cpus=()
for ((i = 1; i <= R; i++)); do
  echo "hpo report, run $i of $R" >&2
  rm -rf "$tmp/png" "$tmp/run.html"
  TIMEFORMAT='%R %U %S'
  { time "$HPO" report "$tmp/run.h5" -o "$tmp/run.html" --png "$tmp/png" -v > "$tmp/out.txt" 2> "$tmp/verbose.txt"; } 2> "$tmp/time.txt"
  read -r wall user sys < "$tmp/time.txt"
  walls+=("$wall")
  cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
wall=$(median "${walls[@]}")
cpu=$(median "${cpus[@]}")
figures=$(find "$tmp/png" -name '*.png' | wc -l)
page_kb=$(( $(stat -c %s "$tmp/run.html") / 1024 ))
load=$(cut -d' ' -f1-3 /proc/loadavg)
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"

section() {
  echo "### Report speed (issue 17)"
  echo
  echo "- mode: $MODE; date: $(date -u '+%Y-%m-%d %H:%M UTC'); git commit $commit"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load average $load at the end"
  echo "- checkpoint: \`checkpoint_write_bench record --trials $N --commit-every 1000\` ($file_mb MiB: a random search, 4 parameters, 64 workers, one trial in fifty failed)"
  echo "- command: \`hpo report run.h5 -o run.html --png png -v\`, $R runs; wall and CPU (user + sys) seconds, medians"
  echo
  echo "| trials | wall s | CPU s | figures | page (KiB, figures embedded) |"
  echo "|---|---|---|---|---|"
  echo "| $N | $wall | $cpu | $figures | $page_kb |"
  echo
  echo "The last run, step by step (\`-v\`: wall, and CPU of the report's own process):"
  echo
  echo "| step | wall s | CPU s |"
  echo "|---|---|---|"
  sed -n 's/^hpo report: \(.*\): \([0-9.]*\) s (CPU \([0-9.]*\) s)$/| \1 | \2 | \3 |/p' "$tmp/verbose.txt"
  echo
  if awk -v w="$wall" 'BEGIN { exit !(w < 30) }'; then
    verdict="met"
  else
    verdict="MISSED"
  fi
  if [[ $N -ge 100000 ]]; then
    echo "Target (issue 17): a report of a 100,000-trial checkpoint in under 30 s: $verdict (median wall $wall s, CPU $cpu s)."
  else
    echo "(quick mode: $N trials; the target is for 100,000.)"
  fi
  if awk -v l="${load%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n) }'; then
    echo "The machine was shared (load above its CPUs): the CPU time is what the report costs on a machine of its own."
  fi
}
if [[ -n "$OUT" ]]; then section | tee "$OUT"; else section; fi
