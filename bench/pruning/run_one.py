"""One run of the pruning bench: METHOD on KERNEL with SEED until the kernels' wall seconds reach
BUDGET, one kernel at a time.

usage: run_one.py --hpo PATH --kernel-dir DIR --budget SECONDS --max-steps R --out DIR METHOD KERNEL SEED
       run_one.py --print-command ...   (an hpo method: print the `hpo run` command, run nothing)
Writes OUT/METHOD.KERNEL.SEED.json: {"method", "kernel", "seed", "budget", "max_steps",
"trials": [{"start", "end" (s from the run's start), "fom" (the last value), "status" (ok,
pruned, failed...), "steps"}], "seconds" (wall)}. Exits 255 if the run fails or its kernels
used less than the budget.
"""
import argparse
import json
import os
import shlex
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kernels  # noqa: E402
import methods  # noqa: E402
import run_hpo  # noqa: E402
import run_optuna  # noqa: E402


def fail(message):
    print("run_one " + message, file=sys.stderr)
    sys.exit(255)  # makes xargs stop at once: the harness failed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hpo", required=True)
    parser.add_argument("--kernel-dir", required=True)
    parser.add_argument("--budget", type=float, required=True)
    parser.add_argument("--max-steps", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--print-command", action="store_true")
    parser.add_argument("method", choices=sorted(methods.METHODS))
    parser.add_argument("kernel", choices=sorted(kernels.SPACES))
    parser.add_argument("seed", type=int)
    a = parser.parse_args()
    method = methods.METHODS[a.method]

    if a.print_command:
        work = os.path.join(a.out, "RUN")
        print(shlex.join(run_hpo.command(a.hpo, method, a.kernel, a.seed, a.max_steps, a.kernel_dir, work)))
        return

    work = tempfile.mkdtemp(prefix="run.", dir=os.path.abspath(a.out))
    start = time.monotonic()
    try:
        if method.tool == "hpo":
            trials = run_hpo.run(a.hpo, method, a.kernel, a.seed, a.budget, a.max_steps, a.kernel_dir, work)
        else:
            trials = run_optuna.run(method, a.kernel, a.seed, a.budget, a.max_steps, a.kernel_dir, work)
    except Exception as e:
        fail("%s %s %d: %s" % (a.method, a.kernel, a.seed, e))
    seconds = time.monotonic() - start
    shutil.rmtree(work, ignore_errors=True)
    spent = sum(t["end"] - t["start"] for t in trials)
    if spent < a.budget:
        fail("%s %s %d: the kernels ran %.1f s, less than the budget %.1f s" % (a.method, a.kernel, a.seed, spent, a.budget))
    result = {"method": a.method, "kernel": a.kernel, "seed": a.seed, "budget": a.budget,
              "max_steps": a.max_steps, "trials": trials, "seconds": round(seconds, 3)}
    path = os.path.join(a.out, "%s.%s.%d.json" % (a.method, a.kernel, a.seed))
    with open(path + ".tmp", "w") as f:
        json.dump(result, f)
    os.replace(path + ".tmp", path)
    done = [t["fom"] for t in trials if t["status"] == "ok"]
    print("%-22s %-5s seed %d: %d trials (%d pruned), best %s, %.0f s" % (
        a.method, a.kernel, a.seed, len(trials), sum(t["status"] == "pruned" for t in trials),
        "%.4f" % min(done) if done else "-", seconds), file=sys.stderr)


if __name__ == "__main__":
    main()
