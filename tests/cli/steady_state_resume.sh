#!/usr/bin/env bash
# Steady-state, 2 demes, one worker: a run stopped and resumed makes the proposals of the run
# that was never stopped (issue 12: the resumed run swapped the demes of the next two trials,
# because the worker's turn among its demes started again from deme 0). The kernel itself stops
# hpo (SIGTERM to its parent) at chosen trials, once each, so the stops land at fixed points.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

cat > kernel.sh << KERNEL
#!/usr/bin/env bash
x=0 y=0
for arg in "\$@"; do
    case \$arg in
        --x=*) x=\${arg#--x=} ;;
        --y=*) y=\${arg#--y=} ;;
    esac
done
# Stop hpo at the trials listed in \$STOP_AT, once each; hpo stops this kernel in turn.
for stop in \${STOP_AT:-}; do
    if [[ \$HPO_TRIAL_ID == "\$stop" && ! -e $work/stopped.\$stop ]]; then
        touch "$work/stopped.\$stop"
        kill -TERM "\$PPID"
        sleep 60
    fi
done
awk -v x="\$x" -v y="\$y" 'BEGIN { printf "FoM: %.17g\n", (x - 0.3) ^ 2 + (y - 2) ^ 2 }'
KERNEL
chmod +x kernel.sh

args=(--strategy genetic --mode steady-state --demes 2 --pop-size 3 --generations 5 --seed 11 --parallel 1
      --param '--x 0.9 [0.0,1.0]' --param '--y 7 [0,10]' --no-progress)

hpo_run run "${args[@]}" --checkpoint straight.h5 --run-dir straight -- "$work/kernel.sh"
expect_rc 0 "the uninterrupted run"

# Stopped while trials 4 and 10 run: both of deme 0 (one worker serves deme 0, 1, 0, 1...), so a
# resume that restarted the turn at deme 0 would give deme 0 two trials in a row.
export STOP_AT="4 10"
hpo_run run "${args[@]}" --checkpoint stopped.h5 --run-dir stopped -- "$work/kernel.sh"
expect_rc 3 "stopped by the kernel at trial 4"
for attempt in 1 2; do
    hpo_run resume stopped.h5
    [[ $rc == 0 || $rc == 3 ]] || { show_output; fail "resume $attempt: exit status $rc"; }
done
expect_rc 0 "the last resume finishes the run"
[[ -e stopped.4 && -e stopped.10 ]] || fail "the run was not stopped at trials 4 and 10"

"$HPO_BIN" export straight.h5 --format json -o straight.json
"$HPO_BIN" export stopped.h5 --format json -o stopped.json
python3 - straight.json stopped.json << 'PY'
import json, sys
def table(path):
    rows = sorted(json.load(open(path)), key=lambda r: r["id"])
    return [(r["id"], r["deme"], r["generation"], r["--x"], r["--y"], r["fom"], r["status"]) for r in rows]
straight, stopped = table(sys.argv[1]), table(sys.argv[2])
assert len(straight) == 2 * 3 * 5, f"{len(straight)} trials in the uninterrupted run"
for a, b in zip(straight, stopped):
    assert a == b, f"the stopped and resumed run differs at trial {a[0]}:\n  uninterrupted {a}\n  resumed       {b}"
assert len(stopped) == len(straight), f"{len(stopped)} trials after the resumes, {len(straight)} uninterrupted"
print(f"{len(straight)} trials, the same with and without stops")
PY
echo "steady-state resume: ok"
