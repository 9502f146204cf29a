"""One run of the PBT bench: METHOD of PART with SEED, through the real `hpo run` CLI.

usage: run_one.py --hpo PATH --python PY --kernel-dir DIR --out DIR [--quick] [--rounds R] [--steps K] [--budget-from METHOD]
                  [--print-command] PART METHOD SEED
Writes OUT/PART.METHOD.SEED.json: {"part", "method", "seed", "budget" (kernel-seconds, or null),
"seconds" (wall), "command", "trials": [{"id", "start", "end" (s from the run's first start),
"fom", "status", "steps", "params" {flag: value}, "generation", "member", "parent"}]}.
With --budget-from M the run is stopped (SIGTERM, exit 3 as meant) once its trials' kernel-seconds
reach those of OUT/PART.M.SEED.json (bench (b): random search and asha get what PBT used).
Exits 255 when the run fails (xargs then stops: the harness failed).
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import settings  # noqa: E402
import run_hpo  # noqa: E402  (bench/pruning/run_hpo.py: hpo export, kernel-seconds)

FIELDS = ("id", "deme", "fom", "steps", "status", "exit_code", "signal", "start_time", "end_time", "host",
          "worker", "message", "generation", "member", "parent")


def fail(message):
    print("bench/pbt/run_one: " + message, file=sys.stderr)
    sys.exit(255)


def result_path(out, part, method, seed):
    return os.path.join(out, "%s.%s.%d.json" % (part, method, seed))


def run(argv, work, budget):
    """Runs hpo to its end, or until its trials' kernel-seconds reach the budget."""
    trials = run_hpo.run_until(argv, work, budget)
    if not trials:
        raise RuntimeError("hpo recorded no trial")
    t0 = min(t["start_time"] for t in trials)
    out = []
    for t in sorted(trials, key=lambda t: t["id"]):
        row = {"id": t["id"], "start": t["start_time"] - t0, "end": t["end_time"] - t0, "fom": t["fom"],
               "status": t["status"], "steps": t.get("steps"), "generation": t.get("generation"),
               "member": t.get("member"), "parent": t.get("parent")}
        row["params"] = {k: v for k, v in t.items() if k not in FIELDS}
        out.append(row)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hpo", required=True)
    p.add_argument("--python", required=True)
    p.add_argument("--kernel-dir", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--budget-from")
    p.add_argument("--rounds", type=int, help="R, if not settings.py's")
    p.add_argument("--steps", type=int, help="K or E (steps or epochs a round), if not settings.py's")
    p.add_argument("--print-command", action="store_true")
    p.add_argument("part", choices=sorted(settings.PARTS))
    p.add_argument("method")
    p.add_argument("seed", type=int)
    a = p.parse_args()
    if a.method not in settings.PARTS[a.part]:
        fail("part %s has no method %s (%s)" % (a.part, a.method, ", ".join(settings.PARTS[a.part])))
    sizes = settings.sizes(a.part, a.quick, a.rounds, a.steps)
    if a.print_command:
        work = os.path.join(a.out, "RUN")
        print(shlex.join(settings.command(a.hpo, a.part, a.method, sizes, a.seed, a.python, a.kernel_dir, work)))
        return
    budget = None
    if a.budget_from:
        try:
            with open(result_path(a.out, a.part, a.budget_from, a.seed)) as f:
                budget = sum(t["end"] - t["start"] for t in json.load(f)["trials"])
        except (OSError, ValueError, KeyError) as e:
            fail("%s %s %d: no budget from %s: %s" % (a.part, a.method, a.seed, a.budget_from, e))
    work = tempfile.mkdtemp(prefix="run.", dir=os.path.abspath(a.out))
    argv = settings.command(a.hpo, a.part, a.method, sizes, a.seed, a.python, a.kernel_dir, work)
    start = time.monotonic()
    try:
        trials = run(argv, work, budget)
    except Exception as e:
        fail("%s %s %d: %s" % (a.part, a.method, a.seed, e))
    seconds = time.monotonic() - start
    subprocess.run(["rm", "-rf", work])
    spent = sum(t["end"] - t["start"] for t in trials)
    if budget is not None and spent < budget:
        fail("%s %s %d: the kernels ran %.1f s, less than the budget %.1f s" % (a.part, a.method, a.seed, spent, budget))
    result = {"part": a.part, "method": a.method, "seed": a.seed, "budget": budget, "seconds": round(seconds, 3),
              "command": shlex.join(argv), "trials": trials}
    path = result_path(a.out, a.part, a.method, a.seed)
    with open(path + ".tmp", "w") as f:
        json.dump(result, f)
    os.replace(path + ".tmp", path)
    done = [t["fom"] for t in trials if t["status"] == "ok" and t["fom"] is not None]
    print("%-5s %-6s seed %d: %d trials, best %s, %.1f kernel-s, %.0f s" % (
        a.part, a.method, a.seed, len(trials), "%.4g" % min(done) if done else "-", spent, seconds), file=sys.stderr)


if __name__ == "__main__":
    main()
