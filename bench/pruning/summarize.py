"""Tables of the pruning bench: best validation error against kernel-seconds, per kernel and
method, medians over seeds, and the issue's targets stated plainly.

usage: summarize.py --dir RESULTS --kernels mlp,lenet --methods M1,M2,... --seeds K --budget B
Reads RESULTS/METHOD.KERNEL.SEED.json; exits 1 if one is missing.

Kernel-seconds: the wall time of the kernel processes, as the tool that ran them measured it
(hpo: a trial's start_time to end_time; Optuna: Popen to wait), summed; at a moment t of a run,
the kernels' seconds before t. The best error at kernel-seconds s is the best FoM of the trials
that ran to the end (status ok; a pruned trial is never the best) and ended before s.
"""
import argparse
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kernels  # noqa: E402
import methods  # noqa: E402

INF = math.inf


def load(directory, kernel_list, method_list, seeds):
    runs, missing = {}, []
    for kernel in kernel_list:
        for method in method_list:
            for seed in range(1, seeds + 1):
                path = os.path.join(directory, "%s.%s.%d.json" % (method, kernel, seed))
                try:
                    with open(path) as f:
                        runs.setdefault(kernel, {}).setdefault(method, []).append(json.load(f))
                except (OSError, ValueError):
                    missing.append(os.path.basename(path))
    if missing:
        sys.exit("summarize: %d runs missing, e.g. %s" % (len(missing), ", ".join(missing[:5])))
    return runs


def curve(run):
    """[(kernel-seconds when the trial ended, best error so far)] over the completed trials."""
    trials = run["trials"]
    spans = [(t["start"], t["end"]) for t in trials]
    points, best = [], INF
    for t in sorted(trials, key=lambda t: t["end"]):
        if t["status"] != "ok" or t["fom"] is None or not math.isfinite(t["fom"]):
            continue
        spent = sum(max(0.0, min(end, t["end"]) - start) for start, end in spans)
        if t["fom"] < best:
            best = t["fom"]
            points.append((spent, best))
    return points


def best_at(points, seconds):
    return min([b for s, b in points if s <= seconds + 1e-9], default=INF)


def time_to(points, target, budget):
    """Kernel-seconds until the best error was <= target (inf if not within the budget)."""
    return next((s for s, b in points if b <= target + 1e-12 and s <= budget + 1e-9), INF)


def seconds_per_epoch(run):
    """Kernel-seconds per epoch over the trials whose epochs are known (an ok trial ran them all):
    how fast the machine trained during this run (load from other processes slows it)."""
    spent = epochs = 0
    for t in run["trials"]:
        steps = t.get("steps") or (run["max_steps"] if t["status"] == "ok" else None)
        if steps:
            spent += t["end"] - t["start"]
            epochs += steps
    return spent / epochs if epochs else math.nan


def med(values):
    return float(np.median(values))


def cell(values, digits=4):
    values = np.asarray(values, dtype=float)
    q1, m, q3 = np.percentile(values, [25, 50, 75]) if np.all(np.isfinite(values)) else (
        np.nan, med(values), np.nan)
    if not math.isfinite(m):
        return "—"
    if not math.isfinite(q1):
        return "%.*f" % (digits, m)
    return "%.*f [%.*f, %.*f]" % (digits, m, digits, q1, digits, q3)


def seconds(x, budget):
    return "> %.0f (not reached)" % budget if not math.isfinite(x) else "%.0f" % x


def report_kernel(kernel, runs, budget, seeds):
    out = []
    say = out.append
    curves = {m: [curve(r) for r in rs] for m, rs in runs.items()}
    say("#### %s: best validation error against kernel-seconds" % kernels.TITLES[kernel])
    say("")
    say("| method | trials (median) | pruned | kernel-s per trial | kernel-s per epoch | best error at %.0f s | at %.0f s | at %.0f s (the budget) | wall s per run |"
        % (budget / 4, budget / 2, budget))
    say("|---|---|---|---|---|---|---|---|---|")
    for m, rs in runs.items():
        n = [len(r["trials"]) for r in rs]
        pruned = [sum(t["status"] == "pruned" for t in r["trials"]) / max(1, len(r["trials"])) for r in rs]
        per_trial = [sum(t["end"] - t["start"] for t in r["trials"]) / max(1, len(r["trials"])) for r in rs]
        cells = [cell([best_at(c, budget * f) for c in curves[m]]) for f in (0.25, 0.5, 1.0)]
        per_epoch = [x for x in map(seconds_per_epoch, rs) if math.isfinite(x)]
        say("| %s | %.0f | %.0f %% | %.2f | %s | %s | %s | %s | %.0f |" % (
            methods.METHODS[m].label, med(n), 100 * med(pruned), med(per_trial),
            "%.3f" % med(per_epoch) if per_epoch else "—", *cells,
            med([r["seconds"] for r in rs])))
    say("")
    say("Cells: `median [q1, q3]` over %d seeds; — where fewer than half the seeds had a completed trial by then. "
        "Kernel-s per epoch: how fast the runs trained (it depends on the batch sizes and widths tried, and other processes slow it; "
        "pruned trials count where the tool recorded their epochs)." % seeds)
    say("")
    verdicts = []

    # (i) time to accuracy: hpo + asha against the same strategy without pruning.
    rows, met_for, missed_for = [], [], []
    for strategy in ("random", "bayes", "genetic"):
        none, asha, hb = ("hpo-%s-%s" % (strategy, p) for p in ("none", "asha", "hyperband"))
        if none not in runs or asha not in runs:
            continue
        target = med([best_at(c, budget) for c in curves[none]])
        t = {m: med([time_to(c, target, budget) for c in curves[m]]) for m in (none, asha, hb) if m in runs}
        ratio = t[asha] / t[none] if math.isfinite(t[asha]) and t[none] > 0 else INF
        rows.append("| hpo %s | %.4f | %s | %s | %s | %s |" % (
            strategy, target, seconds(t[none], budget), seconds(t[asha], budget),
            "%.2f" % ratio if math.isfinite(ratio) else "—", seconds(t[hb], budget) if hb in t else "—"))
        (met_for if ratio <= 1 / 3 else missed_for).append("%s %s" % (strategy, "%.2f" % ratio if math.isfinite(ratio) else "not reached"))
    if rows:
        say("**(i) Time to accuracy.** Target error: the median over seeds of the no-pruning run's best error "
            "at the budget; kernel-seconds until a run's best error is at or below it (median over seeds; "
            "not reached within the budget counts as infinite).")
        say("")
        say("| strategy | target error | no pruning (s) | asha (s) | asha / none | hyperband (s) |")
        say("|---|---|---|---|---|---|")
        out.extend(rows)
        say("")
        verdicts.append("- **Target (i), %s, hpo + asha reaches the no-pruning best error in at most a third of the kernel-seconds: %s** (asha / none: %s)" % (
            kernel, "met" if not missed_for else ("MISSED" if not met_for else "MISSED for %s, met for %s" % (
                ", ".join(s.split()[0] for s in missed_for), ", ".join(s.split()[0] for s in met_for))),
            "; ".join(met_for + missed_for)))

    # (ii) hpo bayes + asha against Optuna TPE + Hyperband.
    ours, theirs = "hpo-bayes-asha", "optuna-tpe-hyperband"
    if ours in runs and theirs in runs:
        target = med([best_at(c, budget) for c in curves[theirs]])
        t_ours = med([time_to(c, target, budget) for c in curves[ours]])
        t_theirs = med([time_to(c, target, budget) for c in curves[theirs]])
        final_ours = med([best_at(c, budget) for c in curves[ours]])
        say("**(ii) hpo bayes + asha against Optuna TPE + Hyperband.** Target error: Optuna TPE + Hyperband's "
            "final best error (median over seeds, at the budget).")
        say("")
        say("| method | best error at the budget | kernel-seconds to reach %.4f |" % target)
        say("|---|---|---|")
        say("| hpo bayes + asha | %.4f | %s |" % (final_ours, seconds(t_ours, budget)))
        say("| Optuna TPE + Hyperband | %.4f | %s |" % (target, seconds(t_theirs, budget)))
        say("")
        verdicts.append("- **Target (ii), %s, hpo bayes + asha reaches Optuna TPE + Hyperband's final best error (%.4f) in less kernel time: %s** (%s s against %s s)" % (
            kernel, target, "met" if t_ours < t_theirs else "MISSED", seconds(t_ours, budget), seconds(t_theirs, budget)))

    # (iii) bayes + asha against random + asha.
    a, b = "hpo-bayes-asha", "hpo-random-asha"
    if a in runs and b in runs:
        fa = med([best_at(c, budget) for c in curves[a]])
        fb = med([best_at(c, budget) for c in curves[b]])
        verdicts.append("- **Target (iii), %s, hpo bayes + asha better than random + asha at the budget: %s** (median best error %.4f against %.4f)" % (
            kernel, "met" if fa < fb else "MISSED", fa, fb))
    return out, verdicts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--kernels", required=True)
    parser.add_argument("--methods", required=True)
    parser.add_argument("--seeds", type=int, required=True)
    parser.add_argument("--budget", type=float, required=True)
    a = parser.parse_args()
    kernel_list, method_list = a.kernels.split(","), a.methods.split(",")
    runs = load(a.dir, kernel_list, method_list, a.seeds)
    verdicts = []
    for kernel in kernel_list:
        text, v = report_kernel(kernel, runs[kernel], a.budget, a.seeds)
        print("\n".join(text))
        verdicts += v
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
