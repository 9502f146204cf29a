"""One search-quality run: METHOD on PROBLEM with SEED and BUDGET evaluations, one at a time.

usage: run_one.py --hpo PATH --kernel-dir DIR --budget B --out DIR METHOD PROBLEM SEED
       run_one.py --print-command ...   (an hpo method: print the `hpo run` command, run nothing)
Writes OUT/METHOD.PROBLEM.SEED.json: {"method", "problem", "seed", "budget", "foms" (in
evaluation order), "seconds" (wall), "cpu_seconds" (this process, the tool
and the kernels; not the MLP server's training)}. Exits 255 if the run fails or makes too
few evaluations.
"""
import argparse
import json
import os
import resource
import shlex
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hpo_methods  # noqa: E402
import peers  # noqa: E402
import problems  # noqa: E402

METHODS = hpo_methods.METHODS + peers.METHODS


def fail(message):
    """Exit status 255 makes `xargs` (bench/search_quality.sh) stop at once: the harness failed."""
    print("run_one " + message, file=sys.stderr)
    sys.exit(255)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hpo", required=True)
    parser.add_argument("--kernel-dir", required=True)
    parser.add_argument("--budget", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--print-command", action="store_true")
    parser.add_argument("method", choices=METHODS)
    parser.add_argument("problem", choices=problems.ORDER)
    parser.add_argument("seed", type=int)
    a = parser.parse_args()

    if a.print_command:
        work = os.path.join(a.out, "RUN")
        print(shlex.join(hpo_methods.command(a.hpo, a.method, a.problem, a.seed, a.budget, a.kernel_dir, work)))
        return

    work = tempfile.mkdtemp(prefix="run.", dir=a.out)
    start = time.monotonic()
    try:
        if a.method in hpo_methods.METHODS:
            foms = hpo_methods.run(a.hpo, a.method, a.problem, a.seed, a.budget, a.kernel_dir, work)
        else:
            foms = peers.run(a.method, a.problem, a.seed, a.budget, a.kernel_dir, work)
    except Exception as e:
        fail("%s %s %d: %s" % (a.method, a.problem, a.seed, e))
    seconds = time.monotonic() - start
    cpu = sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))
    shutil.rmtree(work, ignore_errors=True)
    if len(foms) != a.budget:
        fail("%s %s %d: %d evaluations, expected %d" % (a.method, a.problem, a.seed, len(foms), a.budget))
    result = {"method": a.method, "problem": a.problem, "seed": a.seed, "budget": a.budget,
              "foms": foms, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3)}
    path = os.path.join(a.out, "%s.%s.%d.json" % (a.method, a.problem, a.seed))
    with open(path + ".tmp", "w") as f:
        json.dump(result, f)
    os.replace(path + ".tmp", path)
    print("%-13s %-11s seed %2d: best %.6g, %.1f s" % (a.method, a.problem, a.seed, min(foms), seconds),
          file=sys.stderr)


if __name__ == "__main__":
    main()
