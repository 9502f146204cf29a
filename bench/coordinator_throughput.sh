#!/usr/bin/env bash
# Issue 6, item 3: coordinator throughput under real MPI.
#
# Instant kernels (bench/kernels/sleep_kernel.c with --mean=0: prints a FoM and exits) on
# W = 4, 8, 16, 32, 64 workers (W + 1 ranks, oversubscribed; rank 0 coordinates), for the random
# strategy and steady-state genetic (pop-size W). For each: the evaluations per second the run
# sustains (from the checkpoint's trial records), their scaling against 4 workers, and the
# coordinator's CPU time per evaluation (the `coordinator CPU:` line of the run's log), whose
# inverse is the rate the coordinator alone could sustain. For reference, a bare C loop that
# fork/execs the same kernel N times, W at a time (no MPI, no hpo): what this machine can do at
# all. Medians over R repeats.
#
# usage: bench/coordinator_throughput.sh [--quick] [--hpo PATH] [--workers "4 8 16 32 64"]
#                                        [--evals N] [--repeats R] [--out FILE] [--run-root DIR]
#   --quick: W = 4 8, N = 300, R = 1 (well under a minute); default N = 2000 (rounded up to a
#   multiple of W), R = 3.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
WORKERS="4 8 16 32 64"
N=2000
R=3
MODE=full
OUT=""
RUN_ROOT=""
HPO="${HPO:-}"
explicit_w=0 explicit_n=0 explicit_r=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick ;;
    --hpo) HPO="$2"; shift ;;
    --workers) WORKERS="$2"; explicit_w=1; shift ;;
    --evals) N="$2"; explicit_n=1; shift ;;
    --repeats) R="$2"; explicit_r=1; shift ;;
    --out) OUT="$2"; shift ;;
    --run-root) RUN_ROOT="$2"; shift ;;
    -h|--help) sed -n 2,17p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
if [[ $MODE == quick ]]; then
  ((explicit_w)) || WORKERS="4 8"
  ((explicit_n)) || N=300
  ((explicit_r)) || R=1
fi
read -r -a worker_counts <<< "$WORKERS"
for w in "${worker_counts[@]}"; do
  [[ $w =~ ^[0-9]+$ && $w -ge 1 ]] || { echo "bad worker count: $w" >&2; exit 2; }
done
[[ $N =~ ^[0-9]+$ && $N -ge 10 && $R =~ ^[0-9]+$ && $R -ge 1 ]] || { echo "need --evals >= 10 and --repeats >= 1" >&2; exit 2; }

source "$here/lib/mpi_run.sh"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hpo-bench-throughput.XXXXXX")"
source "$here/lib/run_root.sh"
pick_run_root
runs="$(mktemp -d "$RUN_ROOT/hpo-bench-throughput-runs.XXXXXX")"
trap 'rm -rf "$tmp" "$runs"' EXIT
CC="${CC:-cc}"
"$CC" -O2 -o "$tmp/sleep_kernel" "$here/kernels/sleep_kernel.c" -lm

# The machine's limit: fork/exec the kernel N times, P at a time, each in its own directory with
# stdout/stderr in files, and parse the FoM (as hpo's workers do, without anything else).
cat > "$tmp/bare.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
/* usage: bare KERNEL N P DIR */
int main(int argc, char **argv) {
    if (argc != 5) return 2;
    const char *kernel = argv[1]; long n = atol(argv[2]); int p = atoi(argv[3]); const char *root = argv[4];
    pid_t *pids = calloc((size_t)p, sizeof *pids); long *ids = calloc((size_t)p, sizeof *ids);
    long started = 0, done = 0, failed = 0; int running = 0;
    while (done < n) {
        while (running < p && started < n) {
            int slot = 0; while (pids[slot]) ++slot;
            char dir[4096], arg[64]; snprintf(dir, sizeof dir, "%s/%ld", root, started);
            snprintf(arg, sizeof arg, "--x=%.17g", (double)started / (double)n);
            if (mkdir(dir, 0777) != 0) { perror("mkdir"); return 1; }
            pid_t pid = fork();
            if (pid < 0) { perror("fork"); return 1; }
            if (pid == 0) {
                if (chdir(dir) != 0) _exit(127);
                int o = open("stdout", O_WRONLY | O_CREAT | O_TRUNC, 0666), e = open("stderr", O_WRONLY | O_CREAT | O_TRUNC, 0666);
                if (o < 0 || e < 0) _exit(127);
                dup2(o, 1); dup2(e, 2); close(o); close(e);
                execl(kernel, kernel, "--mean=0", arg, (char *)NULL);
                _exit(127);
            }
            pids[slot] = pid; ids[slot] = started++; ++running;
        }
        int status; pid_t pid = wait(&status);
        if (pid < 0) { perror("wait"); return 1; }
        for (int s = 0; s < p; ++s) if (pids[s] == pid) {
            char path[4200], line[256]; int ok = 0;
            snprintf(path, sizeof path, "%s/%ld/stdout", root, ids[s]);
            FILE *f = fopen(path, "r");
            while (f && fgets(line, sizeof line, f)) if (strstr(line, "FoM: ")) ok = 1;
            if (f) fclose(f);
            if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
            pids[s] = 0; --running; ++done; break;
        }
    }
    return failed != 0;
}
C
"$CC" -O2 -o "$tmp/bare" "$tmp/bare.c"

source "$here/lib/trial_stats.sh"

strategies=(random steady-state)
# evals_for W: N rounded up to a multiple of W (steady-state breeds pop-size W per generation)
evals_for() { echo $(( (N + $1 - 1) / $1 * $1 )); }
args_for() {  # STRATEGY W
  local n; n=$(evals_for "$2")
  case $1 in
    random) echo "--strategy random --evals $n" ;;
    steady-state) echo "--strategy genetic --mode steady-state --pop-size $2 --generations $((n / $2))" ;;
  esac
}
space=(--param '--x [0.0,1.0]' --param '--y [0.0,1.0]')

run_bare() {  # W: appends evals/s of one bare run, W at a time, to $tmp/figures.bare.W
  local w=$1 rd="$runs/run" n; n=$(evals_for "$1")
  rm -rf "$rd"; mkdir -p "$rd"
  local t0 t1; t0=$(date +%s.%N)
  "$tmp/bare" "$tmp/sleep_kernel" "$n" "$w" "$rd" || { echo "the bare loop failed" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN {printf "%.2f\n", n / (b - a)}' >> "$tmp/figures.bare.$w"
  echo "bare fork/exec loop W=$w: $(tail -1 "$tmp/figures.bare.$w") evaluations/s" >&2
}

# run_one STRATEGY W REPEAT: one mpirun in a fresh directory; appends a line of figures to
# $tmp/figures.STRATEGY.W
run_one() {
  local s=$1 w=$2 r=$3 rd="$runs/run" n
  n=$(evals_for "$w")
  rm -rf "$rd"; mkdir -p "$rd"
  local strategy_args; read -r -a strategy_args <<< "$(args_for "$s" "$w")"
  local cmd=("$MPIEXEC" --oversubscribe -n $((w + 1)) "$HPO" run "${strategy_args[@]}" --seed "$r" "${space[@]}"
             --checkpoint "$rd/ck.h5" --run-dir "$rd/runs" --log "$rd/run.log" --no-progress
             -- "$tmp/sleep_kernel" --mean=0)
  local t0 t1
  t0=$(date +%s.%N)
  if ! timeout 900 "${cmd[@]}" > "$rd/out.txt" 2> "$rd/err.txt"; then
    echo "command failed: ${cmd[*]}" >&2; tail -20 "$rd/err.txt" >&2; exit 1
  fi
  t1=$(date +%s.%N)
  "$HPO" export "$rd/ck.h5" --format csv -o "$rd/trials.csv"
  local got bad util_steady mean_kernel gap_mean rate_whole rate_steady
  read -r got _ bad util_steady _ _ mean_kernel gap_mean _ rate_whole rate_steady \
    <<< "$(trial_stats "$rd/trials.csv")"
  if [[ $got -ne $n || $bad -ne 0 ]]; then
    echo "$s W=$w: expected $n ok trials, got $got ($bad not ok)" >&2; cat "$rd/out.txt" >&2; exit 1
  fi
  local cpu; cpu=$(sed -n 's/^coordinator CPU: \([0-9.e+-]*\) s.*/\1/p' "$rd/run.log")
  [[ -n $cpu ]] || { echo "no 'coordinator CPU:' line in the run's log (an hpo built before it was reported? rebuild)" >&2; cat "$rd/run.log" >&2; exit 1; }
  local per_ms; per_ms=$(sed -n 's/^coordinator CPU: .*(\([0-9.e+-]*\) ms per evaluation).*/\1/p' "$rd/run.log")
  awk -v rs="$rate_steady" -v rw="$rate_whole" -v per="$per_ms" -v cpu="$cpu" -v k="$mean_kernel" -v g="$gap_mean" \
      -v u="$util_steady" -v wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" \
      'BEGIN {printf "%.2f %.2f %.5f %.4f %.4f %.4f %.5f %.2f\n", rs, rw, per, cpu, 1e3 * k, g, u, wall}' >> "$tmp/figures.$s.$w"
  echo "$s W=$w repeat $r/$R: $n evaluations, $(printf '%.0f' "$rate_steady") evaluations/s (steady), coordinator CPU $per_ms ms per evaluation, wall $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s" >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= R; ++r)); do   # interleaved, so drift hits every configuration alike
  for w in "${worker_counts[@]}"; do
    run_bare "$w"
    for s in "${strategies[@]}"; do run_one "$s" "$w" "$r"; done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

median_of() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
med() { awk -v c="$3" '{print $c}' "$tmp/figures.$1.$2" | median_of; }
fmt() { awk -v v="$1" -v d="$2" 'BEGIN {printf "%." d "f", v}'; }
bare_rate() { median_of < "$tmp/figures.bare.$1"; }
first_w=${worker_counts[0]}

commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (working tree modified)' || true)"
model="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
mpi_version="$("$MPIEXEC" --version 2>/dev/null | head -1)"

report() {
  echo "### Coordinator throughput (issue 6, item 3) — $MODE mode"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) CPUs, ${model:-unknown model}, $(uname -sr); load average $load_before before, $load_after after (other jobs share this machine)"
  echo "- MPI: ${mpi_version:-unknown}; W + 1 ranks oversubscribed on $(nproc) CPUs, rank 0 coordinates"
  echo "- run directories (one per trial, for hpo and the bare loop alike) on $RUN_ROOT ($RUN_FS); see bench/lib/run_root.sh"
  echo "- hpo: $HPO, git commit $commit$dirty; checkpoint every 1 s (the default)"
  echo "- kernel: bench/kernels/sleep_kernel.c --mean=0 (prints a FoM, no sleep); two float parameters"
  echo "- N = $N evaluations per run (rounded up to a multiple of W); R = $R repeats (seeds 1..$R), medians"
  echo
  echo "Evaluations/s (steady): trials started between the moment every worker has started its first kernel and the"
  echo "last start, divided by that span, from the checkpoint's trial records; whole run: N / (last end − first start)."
  echo "Coordinator CPU per evaluation: the \`coordinator CPU:\` line of the run's log (CPU time of the coordinator's"
  echo "thread on rank 0, divided by N); its inverse is the rate the coordinator alone could sustain if the workers had"
  echo "cores of their own; coordinator busy = evaluations/s × CPU per evaluation, the share of one core it used."
  echo "Kernel: a trial's end − start on its worker (fork, exec, run, reap); gap: a worker's idle time between two kernels."
  echo "Bare loop: a C program that fork/execs the same kernel N times, W at a time, each in its own directory with its"
  echo "output in files, and parses the FoM (no MPI, no hpo): what this machine can do at all; whole-run rate."
  echo
  echo "| workers | strategy | evaluations | evaluations/s (steady) | vs $first_w workers | evaluations/s (whole run) | bare loop, W at a time (evals/s) | hpo (whole run) / bare | coordinator CPU per eval (µs) | coordinator alone could sustain (evals/s) | coordinator busy | mean kernel (ms) | mean gap (ms) | wall incl. MPI start (s) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  for s in "${strategies[@]}"; do
    local base; base=$(med "$s" "$first_w" 1)
    for w in "${worker_counts[@]}"; do
      local rate per whole bare; rate=$(med "$s" "$w" 1); per=$(med "$s" "$w" 3); whole=$(med "$s" "$w" 2); bare=$(bare_rate "$w")
      echo "| $w | $s | $(evals_for "$w") | $(fmt "$rate" 0) | $(awk -v a="$rate" -v b="$base" 'BEGIN {printf "%.2f×", a / b}') | $(fmt "$whole" 0) | $(fmt "$bare" 0) | $(awk -v a="$whole" -v b="$bare" 'BEGIN {printf "%.2f", a / b}') | $(fmt "$(awk -v p="$per" 'BEGIN {print p * 1e3}')" 1) | $(awk -v p="$per" 'BEGIN {if (p > 0) printf "%.0f", 1e3 / p; else print "∞"}') | $(awk -v r="$rate" -v p="$per" 'BEGIN {printf "%.1f %%", r * p / 10}') | $(fmt "$(med "$s" "$w" 5)" 2) | $(fmt "$(med "$s" "$w" 6)" 2) | $(fmt "$(med "$s" "$w" 8)" 1) |"
    done
  done
  echo
  local last_w=${worker_counts[-1]} s_rate s_whole s_per
  for s in "${strategies[@]}"; do
    s_rate=$(med "$s" "$last_w" 1); s_whole=$(med "$s" "$last_w" 2); s_per=$(med "$s" "$last_w" 3)
    echo "- $s at $last_w workers: **$(fmt "$s_rate" 0) evaluations/s** end to end ($(awk -v a="$s_rate" -v b="$(med "$s" "$first_w" 1)" 'BEGIN {printf "%.2f", a / b}') × the rate at $first_w workers; whole run $(awk -v a="$s_whole" -v b="$(bare_rate "$last_w")" 'BEGIN {printf "%.2f", a / b}') × the bare fork/exec loop), while the coordinator used **$(fmt "$(awk -v p="$s_per" 'BEGIN {print p * 1e3}')" 1) µs of CPU per evaluation**: alone it could sustain about $(awk -v p="$s_per" 'BEGIN {if (p > 0) printf "%.0f", 1e3 / p; else print "∞"}') evaluations/s."
  done
  echo
  echo "On $(nproc) CPUs the end-to-end rate is bounded by forking and exec'ing the kernels (and by $((last_w + 1)) ranks sharing"
  echo "those CPUs), not by rank 0: the workers, their kernels and the coordinator all compete for the same cores. The"
  echo "coordinator's figure is the one that carries over to a cluster, where each worker has a core of its own."
  echo
  echo "Commands (the kernel and the bare loop are compiled by bench/coordinator_throughput.sh into a temporary directory \$TMP; \$RD is a fresh directory per run; seed = repeat number):"
  echo
  echo '```'
  echo "bench/coordinator_throughput.sh $( [[ $MODE == quick ]] && echo '--quick ')--workers \"$WORKERS\" --evals $N --repeats $R"
  echo "cc -O2 -o \$TMP/sleep_kernel bench/kernels/sleep_kernel.c -lm"
  for w in "${worker_counts[@]}"; do echo "\$TMP/bare \$TMP/sleep_kernel $(evals_for "$w") $w \$RD"; done
  for s in "${strategies[@]}"; do
    for w in "${worker_counts[@]}"; do
      echo "OMPI_MCA_rmaps_base_oversubscribe=1 mpirun --oversubscribe -n $((w + 1)) $HPO run $(args_for "$s" "$w") --seed 1 --param '--x [0.0,1.0]' --param '--y [0.0,1.0]' --checkpoint \$RD/ck.h5 --run-dir \$RD/runs --log \$RD/run.log --no-progress -- \$TMP/sleep_kernel --mean=0"
    done
  done
  echo "$HPO export \$RD/ck.h5 --format csv -o \$RD/trials.csv   # then bench/lib/trial_stats.sh"
  echo '```'
}
if [[ -n "$OUT" ]]; then report | tee "$OUT"; else report; fi
