"""Runs hpo's strategies (bayes, genetic, random) on a problem through the real `hpo run` CLI,
one evaluation at a time, and returns the FoMs in evaluation order (trial ids, read back with
`hpo export`)."""
import json
import os
import subprocess

import problems

# hpo-genetic: the defaults and the budget option only (`--evals B`, one deme); -4demes adds
# `--demes 4`; the -mpi variants run under `mpirun --oversubscribe` instead of `--parallel 1`:
# -ss16 steady-state with 16 workers (17 ranks), -4demes-mpi generational with 4 workers (5 ranks).
METHODS = ("hpo-bayes", "hpo-genetic", "hpo-random", "hpo-genetic-4demes", "hpo-genetic-ss16",
           "hpo-genetic-4demes-mpi")
MPI_RANKS = {"hpo-genetic-ss16": 17, "hpo-genetic-4demes-mpi": 5}


def strategy_options(method, budget):
    if method == "hpo-bayes":
        return ["--strategy", "bayes", "--evals", str(budget)]
    if method == "hpo-random":
        return ["--strategy", "random", "--evals", str(budget)]
    if method == "hpo-genetic":
        return ["--strategy", "genetic", "--evals", str(budget)]
    if method in ("hpo-genetic-4demes", "hpo-genetic-4demes-mpi"):
        return ["--strategy", "genetic", "--evals", str(budget), "--demes", "4"]
    if method == "hpo-genetic-ss16":
        return ["--strategy", "genetic", "--evals", str(budget), "--mode", "steady-state"]
    raise ValueError("unknown hpo method " + method)


def command(hpo, method, problem, seed, budget, kernel_dir, work, extra=()):
    argv = [hpo, "run"] + strategy_options(method, budget) + list(extra)
    if method in MPI_RANKS:
        argv = ["mpirun", "--oversubscribe", "-n", str(MPI_RANKS[method])] + argv
    else:
        argv += ["--parallel", "1"]
    argv += ["--seed", str(seed), "--no-progress", "--quiet",
             "--checkpoint", os.path.join(work, "run.h5"), "--run-dir", os.path.join(work, "trials")]
    for p in problems.params(problem):
        argv += ["--param", p.hpo_spec()]
    return argv + ["--"] + problems.kernel_command(problem, kernel_dir)


def run(hpo, method, problem, seed, budget, kernel_dir, work, extra=()):
    argv = command(hpo, method, problem, seed, budget, kernel_dir, work, extra)
    done = subprocess.run(argv, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError("hpo run failed (exit %d): %s\n%s" % (done.returncode, " ".join(argv), done.stderr))
    exported = subprocess.run([hpo, "export", os.path.join(work, "run.h5"), "--format", "json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if exported.returncode != 0:
        raise RuntimeError("hpo export failed: " + exported.stderr)
    trials = sorted(json.loads(exported.stdout), key=lambda t: t["id"])
    bad = [t for t in trials if t["status"] != "ok"]
    if bad:
        raise RuntimeError("%d trials not ok, e.g. %s" % (len(bad), bad[0]))
    return [t["fom"] for t in trials]
