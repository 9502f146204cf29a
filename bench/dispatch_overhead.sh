#!/usr/bin/env bash
# Issue 6, item 1: dispatch overhead of hpo against the fork/exec limit.
#
# A trivial compiled kernel (prints `FoM: <its --x argument>`) is evaluated N times
# with P = 1 and 2 concurrent evaluations by
#   - hpo run --strategy random (no checkpoint, no output),
#   - a bare C loop that fork/execs the same kernel N times, P at a time, each in its
#     own directory with stdout/stderr redirected to files, and parses the FoM
#     (the physical limit of this machine),
#   - Optuna (random sampler, subprocess), if `import optuna` works.
# Each measurement is repeated R times; medians and ratios (tool / bare) are printed
# as a markdown table. Target: hpo / bare <= 1.10.
#
# Run directories go to a tmpfs (/dev/shm) when there is one, for every tool alike
# (bench/lib/run_root.sh says why); --run-root chooses another place.
#
# usage: bench/dispatch_overhead.sh [--quick] [--evals N] [--repeats R] [--build-dir DIR]
#                                   [--hpo PATH] [--run-root DIR]
#                                   [--out FILE]   (also write the report to FILE)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
N=2000
R=5
HPO="${HPO:-}"
BUILD="$repo/build"
RUN_ROOT=""
OUT=""
MODE=full
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) N=200; R=2; MODE=quick ;;
    --evals) N="$2"; shift ;;
    --repeats) R="$2"; shift ;;
    --hpo) HPO="$2"; shift ;;
    --build-dir) BUILD="$2"; shift ;;
    --run-root) RUN_ROOT="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n 2,21p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
HPO="${HPO:-$BUILD/bin/hpo}"
[[ -x "$HPO" ]] || { echo "hpo binary not found: $HPO (build: cmake --build ${BUILD#$repo/} --target hpo_cli)" >&2; exit 2; }
HPO="$(cd "$(dirname "$HPO")" && pwd)/$(basename "$HPO")"

source "$here/lib/run_root.sh"
pick_run_root
tmp="$(mktemp -d "${TMPDIR:-/tmp}/hpo-bench-dispatch.XXXXXX")"
runs="$(mktemp -d "$RUN_ROOT/hpo-bench-dispatch-runs.XXXXXX")"
trap 'rm -rf "$tmp" "$runs"' EXIT
CC="${CC:-cc}"

# --- the kernel --------------------------------------------------------------
cat > "$tmp/kernel.c" <<'C'
#include <stdio.h>
#include <string.h>
/* prints `FoM: <value of --x>`; accepts --x=V or --x V */
int main(int argc, char **argv) {
    const char *v = "0";
    for (int i = 1; i < argc; ++i) {
        if (strncmp(argv[i], "--x=", 4) == 0) v = argv[i] + 4;
        else if (strcmp(argv[i], "--x") == 0 && i + 1 < argc) v = argv[++i];
    }
    printf("FoM: %s\n", v);
    return 0;
}
C
"$CC" -O2 -o "$tmp/kernel" "$tmp/kernel.c"

# --- the bare loop: fork/exec N times, P at a time, parse the FoM -------------
cat > "$tmp/bare.c" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <spawn.h>
#include <unistd.h>
extern char **environ;
/* usage: bare KERNEL N P DIR [spawn] -- evaluates KERNEL --x=<uniform [0,1]> N times,
   P at a time, each in DIR/<i>/ with stdout/stderr in files; parses `FoM: `. */
static char dirs[1 << 16][4096];
static pid_t pids[1 << 16];
static unsigned long long rng = 88172645463325252ULL;
static double next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (rng >> 11) * 0x1.0p-53; }
static int parse(const char *dir, double *fom) {
    char path[4200], line[4096]; snprintf(path, sizeof path, "%s/stdout", dir);
    FILE *f = fopen(path, "r"); if (!f) return -1;
    int ok = -1;
    while (fgets(line, sizeof line, f)) { char *p = strstr(line, "FoM: "); if (p) { *fom = strtod(p + 5, NULL); ok = 0; } }
    fclose(f); return ok;
}
/* posix_spawn (vfork-style) instead of fork: what hpo itself uses, the cheaper way to start. */
static pid_t start_spawn(const char *kernel, const char *dir, const char *arg) {
    posix_spawn_file_actions_t fa; posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addchdir_np(&fa, dir);
    posix_spawn_file_actions_addopen(&fa, 1, "stdout", O_WRONLY | O_CREAT | O_TRUNC, 0666);
    posix_spawn_file_actions_addopen(&fa, 2, "stderr", O_WRONLY | O_CREAT | O_TRUNC, 0666);
    char *args[] = {(char *)kernel, (char *)arg, NULL};
    pid_t pid = -1; int e = posix_spawn(&pid, kernel, &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    return e == 0 ? pid : -1;
}
int main(int argc, char **argv) {
    int use_spawn = argc == 6 && strcmp(argv[5], "spawn") == 0;
    if (argc != 5 && !use_spawn) { fprintf(stderr, "usage: bare KERNEL N P DIR [spawn]\n"); return 2; }
    const char *kernel = argv[1]; long n = atol(argv[2]); int p = atoi(argv[3]); const char *root = argv[4];
    if (p < 1 || p > (1 << 16)) return 2;
    long started = 0, done = 0, failed = 0; int running = 0; double best = 1e300;
    while (done < n) {
        while (running < p && started < n) {
            int slot = -1; for (int s = 0; s < p; ++s) if (pids[s] == 0) { slot = s; break; }
            snprintf(dirs[slot], sizeof dirs[slot], "%s/%ld", root, started);
            if (mkdir(dirs[slot], 0777) != 0) { perror("mkdir"); return 1; }
            char arg[64]; snprintf(arg, sizeof arg, "--x=%.17g", next());
            pid_t pid = use_spawn ? start_spawn(kernel, dirs[slot], arg) : fork();
            if (pid < 0) { perror("fork"); return 1; }
            if (pid == 0 && !use_spawn) {
                if (chdir(dirs[slot]) != 0) _exit(127);
                int o = open("stdout", O_WRONLY | O_CREAT | O_TRUNC, 0666);
                int e = open("stderr", O_WRONLY | O_CREAT | O_TRUNC, 0666);
                if (o < 0 || e < 0) _exit(127);
                dup2(o, 1); dup2(e, 2); close(o); close(e);
                execl(kernel, kernel, arg, (char *)NULL);
                _exit(127);
            }
            pids[slot] = pid; ++started; ++running;
        }
        int status; pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) { if (errno == EINTR) continue; perror("waitpid"); return 1; }
        for (int s = 0; s < p; ++s) if (pids[s] == pid) {
            double fom;
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && parse(dirs[s], &fom) == 0) { if (fom < best) best = fom; }
            else ++failed;
            pids[s] = 0; --running; ++done; break;
        }
    }
    printf("evaluations %ld failed %ld best %.17g\n", done, failed, best);
    return failed == n;
}
C
"$CC" -O2 -o "$tmp/bare" "$tmp/bare.c"

# --- Optuna driver (only used if optuna imports) ------------------------------
cat > "$tmp/optuna_driver.py" <<'PY'
import os, subprocess, sys
import optuna
kernel, n, p, root = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
optuna.logging.set_verbosity(optuna.logging.WARNING)
def objective(trial):
    x = trial.suggest_float("x", 0.0, 1.0)
    d = os.path.join(root, str(trial.number))
    os.mkdir(d)
    with open(os.path.join(d, "stdout"), "wb") as o, open(os.path.join(d, "stderr"), "wb") as e:
        subprocess.run([kernel, "--x=%r" % x], cwd=d, stdout=o, stderr=e, check=True)
    fom = None
    with open(os.path.join(d, "stdout")) as f:
        for line in f:
            if "FoM: " in line:
                fom = float(line.split("FoM: ", 1)[1])
    return fom
study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0), direction="minimize")
study.optimize(objective, n_trials=n, n_jobs=p)
print("best", study.best_value)
PY
# Debian's python3-optuna lives under /usr/bin/python3, which may not be the first
# python3 on PATH (pyenv); $PYTHON overrides.
have_optuna=0
optuna_version="not available"
PY=""
for cand in ${PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import optuna' >/dev/null 2>&1; then PY="$cand"; break; fi
done
if [[ -n "$PY" ]]; then
  have_optuna=1
  optuna_version="$("$PY" -c 'import optuna; print(optuna.__version__)') ($PY)"
fi

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# time_one NAME P CMD... : runs CMD in a fresh run directory ($rd), prints seconds
time_one() {
  local rd="$runs/run"; rm -rf "$rd"; mkdir -p "$rd"
  local cmd=("$@"); cmd=("${cmd[@]//@RD@/$rd}")
  local t0 t1
  t0=$(now)
  if ! "${cmd[@]}" > "$tmp/last.out" 2> "$tmp/last.err"; then
    echo "command failed: ${cmd[*]}" >&2; cat "$tmp/last.err" >&2; exit 1
  fi
  t1=$(now)
  local cnt; cnt=$(find "$rd" -mindepth 1 -maxdepth 1 -type d | wc -l)
  if [[ "$cnt" -ne "$N" ]]; then echo "expected $N trial directories, found $cnt: ${cmd[*]}" >&2; exit 1; fi
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f\n", b - a}'
}


declare -A med
rows=()
commands=()
for P in 1 2; do
  bare=(); spawn=(); hpo=(); opt=()
  bare_cmd=("$tmp/bare" "$tmp/kernel" "$N" "$P" @RD@)
  spawn_cmd=("$tmp/bare" "$tmp/kernel" "$N" "$P" @RD@ spawn)
  hcmd=("$HPO" run --strategy random --evals "$N" --parallel "$P" --seed 1
        --param "--x [0,1]" --no-checkpoint --no-progress --quiet --run-dir @RD@ -- "$tmp/kernel")
  ocmd=("${PY:-python3}" "$tmp/optuna_driver.py" "$tmp/kernel" "$N" "$P" @RD@)
  for ((r = 0; r < R; ++r)); do   # interleaved, so drift hits all tools alike
    bare+=("$(time_one "${bare_cmd[@]}")")
    spawn+=("$(time_one "${spawn_cmd[@]}")")
    hpo+=("$(time_one "${hcmd[@]}")")
    if [[ $have_optuna == 1 ]]; then opt+=("$(time_one "${ocmd[@]}")"); fi
    echo "P=$P repeat $((r + 1))/$R: bare ${bare[-1]} s, bare spawn ${spawn[-1]} s, hpo ${hpo[-1]} s${opt:+, optuna ${opt[-1]} s}" >&2
  done
  med[bare$P]=$(printf '%s\n' "${bare[@]}" | median)
  med[spawn$P]=$(printf '%s\n' "${spawn[@]}" | median)
  med[hpo$P]=$(printf '%s\n' "${hpo[@]}" | median)
  [[ $have_optuna == 1 ]] && med[opt$P]=$(printf '%s\n' "${opt[@]}" | median)
  commands+=("bare (P=$P):   ${bare_cmd[*]}")
  commands+=("bare spawn (P=$P): ${spawn_cmd[*]}")
  commands+=("hpo (P=$P):    $(printf '%q ' "${hcmd[@]}")")
  [[ $have_optuna == 1 ]] && commands+=("optuna (P=$P): ${ocmd[*]}")
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
us() { awk -v t="$1" -v n="$N" 'BEGIN {printf "%.0f", t / n * 1e6}'; }
verdict() { awk -v r="$1" 'BEGIN {print (r <= 1.10) ? "met" : "**missed**"}'; }

commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (working tree modified)' || true)"
model="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"

report() {
  echo "### Dispatch overhead (issue 6, item 1) — $MODE mode"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) CPUs, ${model:-unknown model}, $(uname -sr)"
  echo "- hpo: $HPO, git commit $commit$dirty"
  echo "- optuna: $optuna_version"
  echo "- N = $N evaluations, R = $R repeats (medians), kernel: compiled C program printing \`FoM: <--x>\`"
  echo "- run directories on $RUN_ROOT ($RUN_FS), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "bare = a C loop that fork/execs the kernel (the issue's limit); bare spawn = the same loop starting"
  echo "the kernel with posix_spawn, as hpo does (vfork-style: no copy of the parent's page tables), the"
  echo "cheapest way this machine offers; hpo can come in under the fork loop."
  echo
  local opt_head="" opt_rule=""
  [[ $have_optuna == 1 ]] && opt_head=" optuna (s) | optuna / bare |" && opt_rule="---|---|"
  echo "| P | bare (s) | bare spawn (s) | hpo (s) | hpo / bare | hpo / bare spawn | hpo µs/eval over bare spawn |$opt_head target hpo/bare ≤ 1.10 |"
  echo "|---|---|---|---|---|---|---|$opt_rule---|"
  for P in 1 2; do
    local b=${med[bare$P]} sp=${med[spawn$P]} h=${med[hpo$P]} rh; rh=$(ratio "$h" "$b")
    local extra; extra=$(us "$(awk -v a="$h" -v b="$sp" 'BEGIN {print a - b}')")
    local opt_cells=""
    [[ $have_optuna == 1 ]] && opt_cells=" ${med[opt$P]} | $(ratio "${med[opt$P]}" "$b") |"
    echo "| $P | $b | $sp | $h | $rh | $(ratio "$h" "$sp") | $extra |$opt_cells $(verdict "$rh") |"
  done
  echo
  for P in 1 2; do
    local rh; rh=$(ratio "${med[hpo$P]}" "${med[bare$P]}")
    if [[ $(verdict "$rh") == met ]]; then
      echo "Target met for P = $P: hpo / bare = $rh ≤ 1.10."
    else
      echo "Target MISSED for P = $P: hpo / bare = $rh > 1.10."
    fi
  done
  [[ $have_optuna == 1 ]] || echo "Optuna: not available (\`import optuna\` fails in python3 and /usr/bin/python3), not measured."
  echo
  echo "Commands (the kernel, the bare loop and the Optuna driver are compiled/written by bench/dispatch_overhead.sh into a temporary directory; @RD@ is a fresh run directory per measurement):"
  echo
  echo '```'
  echo "bench/dispatch_overhead.sh $( [[ $MODE == quick ]] && echo --quick) --evals $N --repeats $R"
  printf '%s\n' "${commands[@]}" | sed "s#$tmp#\$TMP#g"
  echo '```'
}
if [[ -n "$OUT" ]]; then report | tee "$OUT"; else report; fi
