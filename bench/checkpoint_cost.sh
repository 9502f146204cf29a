#!/usr/bin/env bash
# Issue 6, item 6: what the HDF5 checkpoint costs: coordinator time spent writing it per
# evaluation, file size per trial, and the time to resume (and show) a 100,000-trial checkpoint.
#
#   write:  bench/checkpoint_write_bench record writes a run's checkpoint the way hpo run's
#           CheckpointRecorder does (append every result; every B results save the strategy's
#           state and commit), with a real strategy asked and told, and times the appends and
#           the commits. B = 1 is what happens when kernels take longer than --checkpoint-interval
#           (default 1 s), B = 1,000 what happens at ~1,000 results per second.
#   yardstick: fork/exec/wait of a trivial compiled kernel (the cheapest possible evaluation),
#           measured in the same run (checkpoint_write_bench spawn).
#   resume: a 100,000-trial checkpoint of an unfinished random search (one evaluation left) and a
#           1-trial one (same configuration), both written by the real CheckpointWriter; then the
#           real CLI: `hpo resume FILE --quiet` (clean stop; after a kill -9; with the budget
#           extended) and `hpo show FILE`, each on a fresh copy.
# Each is repeated R times; the tables show medians. One markdown section on stdout, progress on
# stderr.
#
# usage: bench/checkpoint_cost.sh [--quick] [--build-dir DIR] [--repeats R] [--out FILE]
#   --build-dir: the CMake build directory with bench/checkpoint_write_bench and bin/hpo
#                (default: build; the two are built there with cmake --build if missing)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
BUILD="$repo/build"
MODE=full
R=5
OUT=""
BIG=100000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick; R=2 ;;
    --build-dir) BUILD="$2"; shift ;;
    --repeats) R="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n 2,22p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ "$BUILD" = /* ]] || BUILD="$PWD/$BUILD"
BENCH="$BUILD/bench/checkpoint_write_bench"
HPO="$BUILD/bin/hpo"
if [[ (! -x "$BENCH" || ! -x "$HPO") && -f "$BUILD/CMakeCache.txt" ]]; then
  echo "building checkpoint_write_bench and hpo_cli in $BUILD" >&2
  cmake --build "$BUILD" --target checkpoint_write_bench hpo_cli >&2
fi
for f in "$BENCH" "$HPO"; do
  [[ -x "$f" ]] || { echo "not found: $f (build: cmake --build $BUILD --target checkpoint_write_bench hpo_cli)" >&2; exit 2; }
done

# The write cases: label | strategy | trials | results per commit | extra flags
if [[ $MODE == quick ]]; then
  N1=2000; NB=300; NS=2000; SPAWNS=300
else
  N1=10000; NB=1000; NS=10000; SPAWNS=2000
fi
cases=(
  "every result (kernels longer than the 1 s --checkpoint-interval, or --checkpoint-interval 0)|random|$N1|1|"
  "every 10 results|random|$N1|10|"
  "every 100 results|random|$BIG|100|"
  "every 1,000 results (~1,000 results/s, 1 s interval)|random|$BIG|1000|"
  "every result, bayes state (all $NB results in it)|bayes|$NB|1|"
  "every 100 results + fsync (library option sync_to_disk; hpo run does not use it)|random|$NS|100|--sync"
)

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hpo-bench-checkpoint.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
CC="${CC:-cc}"
cat > "$tmp/kernel.c" <<'C'
#include <stdio.h>
int main(void) { puts("FoM: 0.5"); return 0; }
C
"$CC" -O2 -o "$tmp/kernel" "$tmp/kernel.c"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
# field NAME FILE: the value of column NAME in the 2-line CSV FILE
field() { awk -F, -v col="$1" 'NR == 1 {for (i = 1; i <= NF; ++i) if ($i == col) c = i; next} NR == 2 && c {print $c}' "$2"; }
run_bench() { "$BENCH" "$@" || { echo "checkpoint_write_bench $* failed" >&2; exit 1; }; }

# timed SECONDS-VAR CMD...: runs CMD (output discarded), stores its wall time in seconds
timed() {
  local -n _out=$1; shift
  local t0 t1
  t0=$(now)
  if ! "$@" > "$tmp/last.out" 2> "$tmp/last.err"; then
    echo "command failed: $*" >&2; cat "$tmp/last.err" >&2; exit 1
  fi
  t1=$(now)
  _out=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')
}
expect_trials() {  # expect_trials FILE N: the checkpoint holds N trials
  run_bench load "$1" > "$tmp/load.csv"
  local got; got=$(field trials "$tmp/load.csv")
  [[ "$got" == "$2" ]] || { echo "expected $2 trials in $1 after the resume, found $got" >&2; exit 1; }
}

# --- the checkpoints to resume (written once; each resume works on a fresh copy) ---------------
echo "writing the resumable checkpoints ($BIG trials and 1 trial; clean and crashed)" >&2
for size in "$BIG" 1; do
  run_bench record --trials "$size" --evals $((size + 1)) --commit-every 100 --kernel "$tmp/kernel" \
    --run-dir "$tmp/runs" --out "$tmp/clean-$size.h5" > /dev/null
  run_bench record --trials "$size" --evals $((size + 1)) --commit-every 100 --kernel "$tmp/kernel" \
    --run-dir "$tmp/runs" --out "$tmp/crash-$size.h5" --crash > /dev/null
done
big_bytes=$(stat -c %s "$tmp/clean-$BIG.h5")

declare -A t   # t[key.repeat] = value
for ((r = 1; r <= R; ++r)); do
  echo "repeat $r/$R: fork/exec yardstick ($SPAWNS execs)" >&2
  run_bench spawn --kernel "$tmp/kernel" --count "$SPAWNS" > "$tmp/spawn.csv"
  t[spawn.$r]=$(field spawn_us "$tmp/spawn.csv")
  for i in "${!cases[@]}"; do
    IFS='|' read -r label strategy trials every extra <<< "${cases[$i]}"
    echo "repeat $r/$R: write, $strategy, $trials trials, commit every $every ${extra}" >&2
    # shellcheck disable=SC2086
    run_bench record --strategy "$strategy" --trials "$trials" --commit-every "$every" $extra \
      --out "$tmp/write.h5" > "$tmp/write.$i.$r.csv"
  done
  for size in 1 "$BIG"; do
    echo "repeat $r/$R: hpo show / hpo resume, $size-trial checkpoint" >&2
    timed "t[show.$size.$r]" "$HPO" show "$tmp/clean-$size.h5"
    run_bench load "$tmp/clean-$size.h5" > "$tmp/load.csv"
    t[load.$size.$r]=$(awk -v ms="$(field load_ms "$tmp/load.csv")" 'BEGIN {printf "%.4f", ms / 1000}')
    for kind in clean crash extend; do
      src=clean; [[ $kind == crash ]] && src=crash
      cp "$tmp/$src-$size.h5" "$tmp/work.h5"; rm -f "$tmp/work.h5.lock"; rm -rf "$tmp/runs"
      if [[ $kind == extend ]]; then
        timed "t[$kind.$size.$r]" "$HPO" resume "$tmp/work.h5" --quiet --evals $((size + 2))
        expect_trials "$tmp/work.h5" $((size + 2))
      else
        timed "t[$kind.$size.$r]" "$HPO" resume "$tmp/work.h5" --quiet
        expect_trials "$tmp/work.h5" $((size + 1))
      fi
    done
  done
done

med_of() {  # med_of KEY: median over the repeats of t[KEY.r]
  local r; for ((r = 1; r <= R; ++r)); do echo "${t[$1.$r]}"; done | median
}
med_csv() {  # med_csv CASE COLUMN: median over the repeats of a write case's column
  local r; for ((r = 1; r <= R; ++r)); do field "$2" "$tmp/write.$1.$r.csv"; done | median
}
f1() { awk -v x="$1" 'BEGIN {printf "%.1f", x}'; }
f2() { awk -v x="$1" 'BEGIN {printf "%.2f", x}'; }
f3() { awk -v x="$1" 'BEGIN {printf "%.3f", x}'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f %%", 100 * a / b}'; }
int() { awk -v x="$1" 'BEGIN {printf "%.0f", x}'; }

spawn_us=$(med_of spawn)
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (working tree modified)' || true)"
model="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)"
fs_type="$(df -T "$tmp" 2>/dev/null | awk 'NR == 2 {print $2}')"
quick_flag="$([[ $MODE == quick ]] && echo ' --quick' || true)"
rel() { echo "${1#"$repo"/}"; }

report() {
  echo "### Checkpoint cost (issue 6, item 6)"
  echo
  echo "- mode: $MODE; date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) CPUs, ${model:-unknown model}, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo "- checkpoint directory: ${TMPDIR:-/tmp} (${fs_type:-unknown} file system)"
  echo "- hpo: $(rel "$HPO") and $(rel "$BENCH") (${build_type:-unknown} build), git commit $commit$dirty"
  echo "- R = $R repeats, medians over them; search space: 4 parameters (log float, float, int, 3-way choice);"
  echo "  each trial as a short run records it (host, rank, times; one in fifty failed with a stderr tail)"
  echo
  echo "**Writing.** hpo run's coordinator appends every result to the checkpoint as it arrives (staging in memory)"
  echo "and commits (the strategy's saved state, then an HDF5 flush, then a commit record) once --checkpoint-interval"
  echo "(default 1 s) has passed since the last commit, and at every generation's end: one commit per result when"
  echo "kernels take longer than the interval, one per ~1,000 results at 1,000 results per second. Checkpoint"
  echo "µs per evaluation = (appends + commits) / results: the coordinator's time on the checkpoint for each"
  echo "evaluation. The yardstick: fork/exec/wait of a trivial compiled kernel, measured in the same run:"
  echo "**$(int "$spawn_us") µs** per evaluation (median of $R × $SPAWNS)."
  echo
  echo "| commits | strategy, results | strategy state (bytes) | µs per commit, median (first 10 % → last 10 % of the run) | checkpoint µs per evaluation | in % of a trivial kernel's fork/exec | file bytes per trial |"
  echo "|---|---|---|---|---|---|---|"
  local i
  for i in "${!cases[@]}"; do
    IFS='|' read -r label strategy trials every extra <<< "${cases[$i]}"
    local per; per=$(med_csv "$i" checkpoint_us_per_trial)
    echo "| $label | $strategy, $trials | $(int "$(med_csv "$i" state_bytes)") | $(int "$(med_csv "$i" commit_median_us)") ($(int "$(med_csv "$i" commit_early_median_us)") → $(int "$(med_csv "$i" commit_late_median_us)")) | $(f1 "$per") | $(awk -v a="$per" -v b="$spawn_us" 'BEGIN {printf "%.2g %%", 100 * a / b}') | $(f1 "$(med_csv "$i" bytes_per_trial)") |"
  done
  echo
  local every1 bayes1
  every1=$(med_csv 0 checkpoint_us_per_trial); bayes1=$(med_csv 4 checkpoint_us_per_trial)
  echo "With kernels of 1 s or more (a commit per result), the checkpoint costs the coordinator $(int "$every1") µs"
  echo "per evaluation ($(pct "$every1" 1e6) of a 1 s kernel; $(int "$bayes1") µs with the Bayesian strategy, whose saved state"
  echo "holds every result: its commit grows with the run, first 10 % → last 10 % above). With fast kernels the"
  echo "1 s interval batches the commits and the cost per evaluation falls to the rows with more results per commit."
  echo "File size: $(f1 "$(med_csv 2 bytes_per_trial)") bytes per trial at $BIG trials ($(awk -v b="$big_bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB); more per trial in small files"
  echo "(chunks of 1,024 rows, and two slots for the strategy state)."
  echo
  echo "**Resuming.** Two checkpoints of the same unfinished random search (one evaluation left), written by the"
  echo "real CheckpointWriter: $BIG trials ($(awk -v b="$big_bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB) and 1 trial. Wall time of the real CLI on a fresh copy,"
  echo "process start included; the extra time per stored trial is (100k − 1-trial) / $BIG. Every resume is"
  echo "checked to have added its trials."
  echo
  echo "| operation | 1-trial checkpoint (s) | $BIG-trial checkpoint (s) | ratio | extra µs per stored trial |"
  echo "|---|---|---|---|---|"
  local key label small big
  for key in show clean crash extend load; do
    case $key in
      show) label="\`hpo show FILE\`" ;;
      clean) label="\`hpo resume FILE --quiet\` after a clean stop (signal, time limit): continued in place, runs the 1 evaluation left" ;;
      crash) label="\`hpo resume FILE --quiet\` after a kill -9 of the coordinator: the file is first rewritten from its last commit" ;;
      extend) label="\`hpo resume FILE --quiet --evals N+2\` (budget extended: the file is rewritten with the new configuration), 2 evaluations" ;;
      load) label="for reference: \`load_checkpoint\` in process (no CLI, no evaluation)" ;;
    esac
    small=$(med_of "$key.1"); big=$(med_of "$key.$BIG")
    echo "| $label | $(f3 "$small") | $(f3 "$big") | $(f1 "$(awk -v a="$big" -v b="$small" 'BEGIN {print a / b}')") | $(f2 "$(awk -v a="$big" -v b="$small" -v n="$BIG" 'BEGIN {print (a - b) / n * 1e6}')") |"
  done
  echo
  echo "Note: the stored configuration includes --quiet/--no-progress, so a resume that does not repeat the"
  echo "original run's --quiet (or --no-progress) counts as a changed configuration and rewrites the file once,"
  echo "like the budget extension above."
  echo
  echo "Commands (the kernel is a C program printing \`FoM: 0.5\`, compiled by the script into \$TMP):"
  echo
  echo '```'
  echo "bench/checkpoint_cost.sh$quick_flag --build-dir $(rel "$BUILD") --repeats $R"
  echo "$(rel "$BENCH") spawn --kernel \$TMP/kernel --count $SPAWNS"
  for i in "${!cases[@]}"; do
    IFS='|' read -r label strategy trials every extra <<< "${cases[$i]}"
    echo "$(rel "$BENCH") record --strategy $strategy --trials $trials --commit-every $every${extra:+ $extra} --out \$TMP/write.h5"
  done
  echo "# the checkpoints to resume, N = $BIG and N = 1 (--crash: exit after the last commit without closing):"
  echo "$(rel "$BENCH") record --trials N --evals N+1 --commit-every 100 --kernel \$TMP/kernel --run-dir \$TMP/runs --out \$TMP/clean-N.h5"
  echo "$(rel "$BENCH") record --trials N --evals N+1 --commit-every 100 --kernel \$TMP/kernel --run-dir \$TMP/runs --out \$TMP/crash-N.h5 --crash"
  echo "# each on a fresh copy work.h5 of clean-N.h5 (crash-N.h5 for the kill -9 row):"
  echo "$(rel "$HPO") show \$TMP/clean-N.h5"
  echo "$(rel "$HPO") resume \$TMP/work.h5 --quiet"
  echo "$(rel "$HPO") resume \$TMP/work.h5 --quiet --evals N+2"
  echo "$(rel "$BENCH") load \$TMP/clean-N.h5"
  echo '```'
}
if [[ -n "$OUT" ]]; then report | tee "$OUT"; else report; fi
