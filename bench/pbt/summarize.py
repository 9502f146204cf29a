"""Tables of the PBT bench and the issue's targets, stated plainly.

usage: summarize.py --dir RESULTS --parts toy[,lenet] --seeds K [--quick]
Reads RESULTS/PART.METHOD.SEED.json (run_one.py); exits 1 if one is missing.

A run's best: the lowest FoM of its trials that ran to their end (status ok). For PBT the final
round's trials are counted (the members as they end: the models the run leaves), next to the
best of any round; random search trains each trial all the way, so its best is final too.
(b): random search and asha are cut at PBT's kernel-seconds (bench/pruning/summarize.py's curve:
a trial counts once it has ended within the budget).
"""
import argparse
import importlib.util
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import settings  # noqa: E402

_spec = importlib.util.spec_from_file_location("pruning_summarize", os.path.join(HERE, "..", "pruning", "summarize.py"))
pruning_summarize = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pruning_summarize)

LABELS = {"pbt": "hpo pbt", "random": "hpo random", "grid": "best fixed rate (hpo grid)", "asha": "hpo random + asha"}


def load(directory, part, seeds):
    runs, missing = {}, []
    for method in settings.PARTS[part]:
        for seed in range(1, seeds + 1):
            path = os.path.join(directory, "%s.%s.%d.json" % (part, method, seed))
            try:
                with open(path) as f:
                    runs.setdefault(method, []).append(json.load(f))
            except (OSError, ValueError):
                missing.append(os.path.basename(path))
    if missing:
        sys.exit("summarize: %d runs missing, e.g. %s" % (len(missing), ", ".join(missing[:5])))
    return runs


def ok(trials):
    return [t for t in trials if t["status"] == "ok" and t["fom"] is not None and math.isfinite(t["fom"])]


def final_round(trials):
    rounds = [t["generation"] for t in trials if t.get("generation") is not None]
    last = max(rounds) if rounds else None
    return [t for t in trials if t.get("generation") == last] if last is not None else trials


def best(run, final=True):
    """The run's best FoM (within its budget, if it has one)."""
    if run["budget"] is not None:
        return pruning_summarize.best_at(pruning_summarize.curve(run), run["budget"])
    trials = ok(run["trials"])
    if run["method"] == "pbt" and final:
        trials = final_round(trials)
    return min((t["fom"] for t in trials), default=math.inf)


def kernel_seconds(run):
    spent = sum(t["end"] - t["start"] for t in run["trials"])
    return min(spent, run["budget"]) if run["budget"] is not None else spent


def cell(values, digits=4):
    v = np.array(values, dtype=float)
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    return "%.*g [%.*g, %.*g]" % (digits, med, digits, q1, digits, q3)


def median(values):
    return float(np.median(np.array(values, dtype=float)))


def schedule(run):
    """The lineage of the final round's best PBT trial: (round, lr) from its first round on."""
    trials = {t["id"]: t for t in run["trials"]}
    done = final_round(ok(run["trials"]))
    if not done or all(t.get("parent") is None for t in run["trials"]):
        return []
    t = min(done, key=lambda t: t["fom"])
    chain = []
    while t is not None:
        chain.append(t)
        t = trials.get(t.get("parent"))
    return [(t["generation"], t["params"].get("--lr")) for t in reversed(chain)]


def verdict(name, met, detail):
    return "- **%s: %s** (%s)" % (name, "met" if met else "MISSED", detail)


def toy(runs, seeds, sizes):
    pbt, rnd, grid = (runs[m] for m in ("pbt", "random", "grid"))
    steps = lambda run: sum((t["steps"] or 0) for t in run["trials"]) * sizes.steps  # noqa: E731 (a FoM line a round)
    print("| method | trials | kernel SGD steps | best loss, median [q1, q3] over %d seeds |" % seeds)
    print("|---|---|---|---|")
    for m, rs in (("pbt", pbt), ("random", rnd), ("grid", grid)):
        print("| %s | %d | %d | %s |" % (LABELS[m], median([len(r["trials"]) for r in rs]),
                                         median([steps(r) for r in rs]), cell([best(r) for r in rs])))
    print()
    print("| seed | PBT (final round) | PBT (any round) | random | best fixed rate | that rate |")
    print("|---|---|---|---|---|---|")
    for p, r, g in zip(pbt, rnd, grid):
        gt = min(ok(g["trials"]), key=lambda t: t["fom"])
        print("| %d | %.4g | %.4g | %.4g | %.4g | %.3g |" % (p["seed"], best(p), best(p, final=False), best(r),
                                                          best(g), gt["params"].get("--lr", float("nan"))))
    print()
    sched = schedule(pbt[0])
    if sched:
        lrs = [lr for _, lr in sched]
        print("The learning rate of seed 1's best PBT member, round by round (its lineage: each round's trial "
              "and the trials it inherited its checkpoint from): " + ", ".join("%.3g" % lr for lr in lrs) + ".")
        print()
    p_med, r_med, g_med = median([best(r) for r in pbt]), median([best(r) for r in rnd]), median([best(r) for r in grid])
    wins = sum(best(p) < best(g) for p, g in zip(pbt, grid))
    print(verdict("Target (a), PBT's best loss below the best fixed rate's", p_med < g_med,
                  "median %.4g against %.4g, %.2fx; lower in %d of %d seeds; the fixed rates had %.1fx PBT's compute"
                  % (p_med, g_med, g_med / p_med, wins, seeds, median([steps(g) / steps(p) for p, g in zip(pbt, grid)]))))
    wins = sum(best(p) < best(r) for p, r in zip(pbt, rnd))
    print(verdict("Target (a), PBT better than random search at the same compute", p_med < r_med,
                  "median %.4g against %.4g, %.2fx; lower in %d of %d seeds" % (p_med, r_med, r_med / p_med, wins, seeds)))


def lenet(runs, seeds):
    pbt, rnd, asha = (runs[m] for m in ("pbt", "random", "asha"))
    print("| method | trials (ended within the budget) | kernel-seconds | best validation error, median [q1, q3] over %d seeds |" % seeds)
    print("|---|---|---|---|")
    for m, rs in (("pbt", pbt), ("random", rnd), ("asha", asha)):
        ended = [sum(1 for t in r["trials"] if r["budget"] is None or t["end"] <= r["budget"] + 1e-9) for r in rs]
        print("| %s | %d | %.1f | %s |" % (LABELS[m], median(ended), median([kernel_seconds(r) for r in rs]),
                                          cell([best(r) for r in rs])))
    print()
    print("| seed | PBT kernel-s | PBT (final round) | PBT (any round) | random | random + asha |")
    print("|---|---|---|---|---|---|")
    for p, r, a in zip(pbt, rnd, asha):
        print("| %d | %.1f | %.4f | %.4f | %.4f | %.4f |" % (p["seed"], kernel_seconds(p), best(p), best(p, final=False),
                                                          best(r), best(a)))
    print()
    p_med = median([best(r) for r in pbt])
    for m, rs in (("random", rnd), ("asha", asha)):
        o_med = median([best(r) for r in rs])
        wins = sum(best(p) < best(o) for p, o in zip(pbt, rs))
        print(verdict("Target (b), PBT better than %s at equal kernel-seconds" % LABELS[m], p_med < o_med,
                      "median best validation error %.4f against %.4f; lower in %d of %d seeds, tied in %d"
                      % (p_med, o_med, wins, seeds, sum(best(p) == best(o) for p, o in zip(pbt, rs)))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--parts", default="toy")
    ap.add_argument("--seeds", type=int, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--lenet-rounds", type=int, help="(b)'s R, if not settings.FULL's")
    ap.add_argument("--lenet-epochs", type=int, help="(b)'s E, if not settings.FULL's")
    a = ap.parse_args()
    for part in a.parts.split(","):
        runs = load(a.dir, part, a.seeds)
        if part == "toy":
            s = settings.sizes("toy", a.quick)
            print("#### (a) Noisy quadratic: N = %d members x R = %d rounds x K = %d SGD steps" % (s.population, s.rounds, s.steps))
            print()
            toy(runs, a.seeds, s)
        else:
            s = settings.sizes("lenet", False, a.lenet_rounds, a.lenet_epochs)
            print("#### (b) LeNet-5 on the digits: N = %d members x R = %d rounds x E = %d epochs" % (s.population, s.rounds, s.steps))
            print()
            lenet(runs, a.seeds)
        print()


if __name__ == "__main__":
    main()
