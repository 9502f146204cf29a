#!/usr/bin/env bash
# Regenerates bench/RESULTS.md: every benchmark of issue 6, one run per table, with the machine,
# the versions and the commands printed next to the tables.
#
#   bash bench/run_all.sh                 # full mode: every section, then bench/RESULTS.md (~2 h)
#   bash bench/run_all.sh --only search_quality     # one section again, RESULTS.md reassembled
#   bash bench/run_all.sh --only genetic_quality    # issue 16's section: never measured by default
#   bash bench/run_all.sh --quick --out /tmp/q.md   # small N, few seeds (a few minutes)
#
# Each section is a script of its own (bench/<section>.sh, or bench/<section>/run.sh) printing one markdown section, with
# its own date, load and commands; in full mode it is kept in bench/results/<section>.md, and
# RESULTS.md is assembled from those files, so that one section can be measured again alone.
# Sections run one after another, never at the same time, so that none disturbs another's
# timings. Options: --build-dir DIR (default build/, built with scripts/setup.sh when bin/hpo is
# missing), --out FILE (default bench/RESULTS.md; stdout in quick mode), --only LIST
# (comma-separated sections), --assemble (measure nothing: RESULTS.md from bench/results/),
# --no-setup (do not install the peers).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# Measured by default (full mode, and the quick mode of scripts/test.sh's bench.quick).
default_sections=(dispatch_overhead utilization coordinator_throughput search_quality bayes_cost checkpoint_cost pruning pbt report_speed)
# In RESULTS.md: those, and the sections measured only when asked (--only): genetic_quality (issue
# 16, bench/genetic_quality.sh: about an hour at its 10 seeds; the fragment kept holds 40-seed runs
# made with its --seeds and --results, each section saying how).
all_sections=("${default_sections[@]}" genetic_quality)
sections=("${default_sections[@]}")
quick=0
build="$repo/build"
out=""
only=""
setup=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --build-dir) build="$(cd "$2" 2>/dev/null && pwd || echo "$2")"; shift ;;
    --out) out="$2"; shift ;;
    --only) only="$2"; shift ;;
    --no-setup) setup=0 ;;
    --assemble) only=none ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    *) echo "bench/run_all.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
if [[ $only == none ]]; then
  sections=()   # --assemble: RESULTS.md from the kept sections, nothing measured
elif [[ -n "$only" ]]; then
  IFS=, read -r -a sections <<< "$only"
fi
# A section is bench/<section>.sh, or bench/<section>/run.sh when it has a folder of its own.
section_script() { if [[ -f "$here/$1.sh" ]]; then echo "$here/$1.sh"; else echo "$here/$1/run.sh"; fi; }
for s in "${sections[@]}"; do
  [[ -f "$(section_script "$s")" ]] || { echo "bench/run_all.sh: no section '$s' (bench/$s.sh or bench/$s/run.sh)" >&2; exit 2; }
done
if [[ -z "$out" && $quick == 0 ]]; then out="$here/RESULTS.md"; fi
fragments="$here/results"   # full mode only: one file per section, RESULTS.md is made of them

# Configured already: brought up to date (quick when it is); else set up from scratch.
if [[ -f "$build/CMakeCache.txt" ]]; then cmake --build "$build" >&2; else bash "$repo/scripts/setup.sh" "$build" >&2; fi
# PyTorch (large) only for the full pruning and pbt sections: the quick mode (scripts/test.sh's bench.quick) runs
# pruning's MLP kernel and pbt's pure-Python one alone.
if [[ $setup == 1 ]]; then
  torch=()
  [[ $quick == 0 && (" ${sections[*]} " == *" pruning "* || " ${sections[*]} " == *" pbt "*) ]] && torch=(--torch)
  bash "$here/setup.sh" "${torch[@]}" >&2
fi

mode_flag=()
[[ $quick == 1 ]] && mode_flag=(--quick)
# The arguments every section understands: where hpo and the micro-benchmarks are.
section_args() {
  case "$1" in
    dispatch_overhead|bayes_cost|checkpoint_cost|report_speed) echo "--build-dir $build" ;;
    *) echo "--hpo $build/bin/hpo" ;;
  esac
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[[ $quick == 1 ]] && fragments="$work/fragments"
mkdir -p "$fragments"
started=$(date -u '+%Y-%m-%d %H:%M UTC')
t0=$(date +%s)
for s in "${sections[@]}"; do
  echo "bench/run_all.sh: $s ..." >&2
  part="$work/$s.md"
  # shellcheck disable=SC2046
  if ! bash "$(section_script "$s")" "${mode_flag[@]}" $(section_args "$s") > "$part"; then
    echo "bench/run_all.sh: section $s failed" >&2
    exit 1
  fi
  # A section that ran but printed no heading or no table is a broken harness, not a result.
  if ! grep -q '^### ' "$part" || ! grep -q '^|.*|$' "$part"; then
    echo "bench/run_all.sh: section $s printed no '### ' heading or no table:" >&2
    cat "$part" >&2
    exit 1
  fi
  mv "$part" "$fragments/$s.md"
done
minutes=$(( ($(date +%s) - t0 + 59) / 60 ))

commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (working tree modified)' || true)"
report() {
  echo "# Benchmark results (issue 6)"
  echo
  echo "Generated by \`bash bench/run_all.sh${mode_flag:+ --quick}\` (last: $( [[ $only == none ]] && echo "reassembled from bench/results/" || echo "${only:-all sections}"), $started, about $minutes min, git commit $commit$dirty)."
  echo "Every table comes from one run of its section script (each section shows its own date, load and"
  echo "commands); figures are medians over repeats (or seeds),"
  echo "and comparisons are ratios measured in the same run. Where a target is missed, the section says so."
  [[ $quick == 1 ]] && echo && echo "**Quick mode**: small N and few seeds, to check the harness; the figures mean little."
  echo
  echo "## Machine"
  echo
  echo "- CPU: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "- memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "- hpo build: $build"
  echo
  echo "## Versions"
  echo
  bash "$here/peer_versions.sh" --build-dir "$build" 2>/dev/null || echo "- (bench/peer_versions.sh failed)"
  echo
  echo "## Targets"
  echo
  echo "| section | verdict |"
  echo "|---|---|"
  local current="" s
  local verdict_line='^(- [*][*])?Target '   # "Target met ..." or "- **Target 1, ...: met**"
  for s in "${all_sections[@]}"; do
    [[ -f "$fragments/$s.md" ]] || continue
    while IFS= read -r line; do
      if [[ $line =~ ^###\ (.*) ]]; then current="${BASH_REMATCH[1]}"; fi
      if [[ $line =~ $verdict_line && $line =~ (met|MISSED) ]]; then line="${line#- }"; echo "| ${current%% (issue*} | ${line//|/\\|} |"; fi
    done < "$fragments/$s.md"
  done
  for s in "${all_sections[@]}"; do
    echo
    if [[ -f "$fragments/$s.md" ]]; then cat "$fragments/$s.md"; else echo "### $s: not measured yet (bash bench/run_all.sh --only $s)"; fi
  done
}
if [[ -n "$out" ]]; then
  report > "$out.tmp" && mv "$out.tmp" "$out"
  echo "bench/run_all.sh: wrote $out" >&2
else
  report
fi
