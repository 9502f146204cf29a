"""Tables of bench/genetic_quality.sh (issue 16): per problem, the best FoM after 50, 100 and 200
evaluations as `median [q1, q3]` over seeds for hpo genetic (1 deme, 4 demes; each run made with
that budget as `--evals B`), hpo random, DEAP's GA and Optuna CMA-ES (their 200-evaluation runs read
at 50 and 100), a target line per problem, the targets over all problems, and the MPI runs
(steady-state at 16 workers, 4 demes under mpirun) against generational at 1 worker.

usage: genetic_summary.py --dir RESULTS --seeds K --budgets 50,100,200 [--problems a,b] [--mpi-budget B]
RESULTS/b<B>/METHOD.PROBLEM.SEED.json for the genetic methods at each budget B, RESULTS/peers/ for
hpo random, DEAP and CMA-ES at the largest budget. Exits 1 if a run is missing.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import problems  # noqa: E402
from summarize import TITLE, read_foms  # noqa: E402

GENETIC = ("hpo-genetic", "hpo-genetic-4demes")
PEERS = ("hpo-random", "deap-ga", "optuna-cmaes")
LABEL = {"hpo-genetic": "hpo genetic, 1 deme", "hpo-genetic-4demes": "hpo genetic, 4 demes",
         "hpo-random": "hpo random", "deap-ga": "DEAP GA", "optuna-cmaes": "Optuna CMA-ES",
         "hpo-genetic-ss16": "hpo genetic steady-state, 16 workers (mpirun -n 17)",
         "hpo-genetic-4demes-mpi": "hpo genetic 4 demes, 4 workers (mpirun -n 5)"}
missing = []


def best(directory, method, problem, seeds, n):
    values = []
    for seed in range(1, seeds + 1):
        foms = read_foms(directory, method, problem, seed, n, missing)
        if foms is not None:
            values.append(min(foms))
    return np.array(values)


def cell(v):
    if len(v) == 0:
        return "–"
    q1, m, q3 = np.percentile(v, [25, 50, 75])
    return "%.5g [%.4g, %.4g]" % (m, q1, q3)


def median(v):
    return float(np.median(v)) if len(v) else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--seeds", type=int, required=True)
    ap.add_argument("--budgets", default="50,100,200")
    ap.add_argument("--problems", default=",".join(problems.ORDER))
    ap.add_argument("--mpi-budget", type=int, default=0)
    ap.add_argument("--mpi-problems", default="")
    ap.add_argument("--mpi-seeds", type=int, default=0)
    a = ap.parse_args()
    budgets = [int(b) for b in a.budgets.split(",")]
    plist = a.problems.split(",")
    top = max(budgets)
    # med[problem][method][budget]
    med, data = {}, {}
    for p in plist:
        med[p], data[p] = {}, {}
        for m in GENETIC:
            data[p][m] = {n: best(os.path.join(a.dir, "b%d" % n), m, p, a.seeds, n) for n in budgets}
        for m in PEERS:
            data[p][m] = {n: best(os.path.join(a.dir, "peers"), m, p, a.seeds, n) for n in budgets}
        for m in data[p]:
            med[p][m] = {n: median(data[p][m][n]) for n in budgets}
    if missing:
        sys.exit("genetic_summary: %d runs missing or short, e.g. %s" % (len(missing), ", ".join(missing[:3])))

    cma_wins = {(g, n): [] for g in GENETIC for n in budgets}
    all_ok = {g: {"random": True, "deap": True} for g in GENETIC}
    for p in plist:
        print("#### %s\n" % TITLE.get(p, p))
        print("| method | " + " | ".join("best after %d" % n for n in budgets) + " |")
        print("|---|" + "---|" * len(budgets))
        for m in GENETIC + PEERS:
            print("| %s | %s |" % (LABEL[m], " | ".join(cell(data[p][m][n]) for n in budgets)))
        print()
        for g in GENETIC:
            words = []
            for n in budgets:
                r = med[p][g][n] < med[p]["hpo-random"][n]
                d = med[p][g][n] < med[p]["deap-ga"][n]
                c = med[p][g][n] < med[p]["optuna-cmaes"][n]
                all_ok[g]["random"] &= r
                all_ok[g]["deap"] &= d
                if c:
                    cma_wins[(g, n)].append(p)
                words.append("@%d: random %s, DEAP %s, CMA-ES %s" % (
                    n, "met" if r else "**MISSED**", "met" if d else "**MISSED**", "better" if c else "not better"))
            print("- target, %s: %s" % (LABEL[g], "; ".join(words)))
        print()
    print("#### Targets over all problems (medians over %d seeds; lower is better; a tie is not better)\n" % a.seeds)
    for g in GENETIC:
        print("- **Target (issue 16): %s better than hpo random on every problem at every budget: %s**" % (
            LABEL[g], "met" if all_ok[g]["random"] else "MISSED"))
        print("- **Target (issue 16): %s better than DEAP's GA on every problem at every budget: %s**" % (
            LABEL[g], "met" if all_ok[g]["deap"] else "MISSED"))
        for n in budgets:
            if n < 100:
                continue
            w = cma_wins[(g, n)]
            print("- **Target (issue 16): %s better than Optuna CMA-ES on at least half at %d: %s** — better on %d of %d (%s)" % (
                LABEL[g], n, "met" if 2 * len(w) >= len(plist) else "MISSED", len(w), len(plist),
                ", ".join(w) or "none"))
    if a.mpi_budget:
        n = a.mpi_budget
        k = a.mpi_seeds or a.seeds
        print("\n#### Under mpirun, %d evaluations (%d seeds; the 1-worker columns over the same seeds)\n" % (n, k))
        print("| problem | %s | %s | %s | %s | steady-state 16 no worse than generational 1 |" % (
            LABEL["hpo-genetic"], LABEL["hpo-genetic-ss16"], LABEL["hpo-genetic-4demes"], LABEL["hpo-genetic-4demes-mpi"]))
        print("|---|---|---|---|---|---|")
        ok = 0
        same = True  # 4 demes under mpirun: seed for seed, the runs of 1 worker
        mp = a.mpi_problems.split(",")
        for p in mp:
            g1 = best(os.path.join(a.dir, "b%d" % n), "hpo-genetic", p, k, n)
            ss = best(os.path.join(a.dir, "mpi"), "hpo-genetic-ss16", p, k, n)
            g4 = best(os.path.join(a.dir, "b%d" % n), "hpo-genetic-4demes", p, k, n)
            m4 = best(os.path.join(a.dir, "mpi"), "hpo-genetic-4demes-mpi", p, k, n)
            good = median(ss) <= median(g1)
            ok += good
            same = same and len(g4) == len(m4) and bool(np.array_equal(g4, m4))
            print("| %s | %s | %s | %s | %s | %s |" % (TITLE.get(p, p), cell(g1), cell(ss), cell(g4), cell(m4),
                                                      "met" if good else "**MISSED**"))
        print("\n- **Target (issue 16): steady-state at 16 workers no worse than generational at 1 (median, %d evaluations): %s** (no worse on %d of %d)" % (
            n, "met" if ok == len(mp) else "MISSED", ok, len(mp)))
        print("- **Target (issue 16): 4 demes under mpirun (`mpirun -n 5`, 4 workers) the same runs as with 1 worker: %s** "
              "(each seed's best, every problem)" % ("met" if same else "MISSED"))
        if missing:
            sys.exit("genetic_summary: %d MPI runs missing, e.g. %s" % (len(missing), ", ".join(missing[:3])))


if __name__ == "__main__":
    main()
