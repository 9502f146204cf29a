"""Runs hpo's strategies (bayes, genetic, random) on a problem through the real `hpo run` CLI,
one evaluation at a time, and returns the FoMs in evaluation order (trial ids, read back with
`hpo export`)."""
import json
import os
import subprocess

import problems

METHODS = ("hpo-bayes", "hpo-genetic", "hpo-random")


def genetic_shape(budget):
    """(pop_size, elites, generations) with exactly `budget` evaluations in one deme:
    pop + (generations - 1) * (pop - elites) == budget, pop near budget / 10 (20 at 200)."""
    target = max(4, round(budget / 10))
    for pop in sorted(range(3, budget + 1), key=lambda p: (abs(p - target), p)):
        for elites in (2, 1):
            if elites < pop and (budget - pop) % (pop - elites) == 0:
                return pop, elites, 1 + (budget - pop) // (pop - elites)
    raise ValueError("no genetic shape for budget %d" % budget)


def strategy_options(method, budget):
    if method == "hpo-bayes":
        return ["--strategy", "bayes", "--evals", str(budget)]
    if method == "hpo-random":
        return ["--strategy", "random", "--evals", str(budget)]
    if method == "hpo-genetic":
        pop, elites, generations = genetic_shape(budget)
        return ["--strategy", "genetic", "--demes", "1", "--pop-size", str(pop), "--elites", str(elites),
                "--generations", str(generations)]
    raise ValueError("unknown hpo method " + method)


def command(hpo, method, problem, seed, budget, kernel_dir, work, extra=()):
    argv = [hpo, "run"] + strategy_options(method, budget) + list(extra)
    argv += ["--seed", str(seed), "--parallel", "1", "--no-progress", "--quiet",
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
