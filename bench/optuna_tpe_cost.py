#!/usr/bin/env python3
"""Optuna TPE's seconds per proposal against the number of completed trials (issue 6, item 5).

The peer of bench/bayes_proposal_bench.cpp: the same 6-D problem (Hartmann-6 on [0,1]^6). For
each n, a study with Optuna's default TPESampler is given n completed trials (uniform random
points with their Hartmann-6 values, through study.add_trials), then K proposals are timed, each
`study.ask()` plus `trial.suggest_float` of the 6 parameters (TPE samples inside suggest_*), and
told its value before the next, as a run would. One CSV line per n (medians over the K).

usage: optuna_tpe_cost.py [--observations 100,250,500,1000] [--proposals 10] [--seed 1]
                          [--multivariate] [--csv]
"""
import argparse
import math
import random
import statistics
import sys
import time

import optuna

A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
     [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
     [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
     [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]
ALPHA = [1.0, 1.2, 3.0, 3.2]
NAMES = ["a", "b", "c", "d", "e", "f"]


def hartmann6(x):
    s = 0.0
    for i in range(4):
        e = sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))
        s -= ALPHA[i] * math.exp(-e)
    return s


def measure(n, proposals, seed, multivariate):
    dist = optuna.distributions.FloatDistribution(0.0, 1.0)
    distributions = {name: dist for name in NAMES}
    rng = random.Random(seed)
    trials = []
    for _ in range(n):
        x = [rng.random() for _ in NAMES]
        trials.append(optuna.trial.create_trial(params=dict(zip(NAMES, x)), distributions=distributions,
                                                value=hartmann6(x)))
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=multivariate)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.add_trials(trials)
    times = []
    for _ in range(proposals):
        start = time.perf_counter()
        trial = study.ask()
        x = [trial.suggest_float(name, 0.0, 1.0) for name in NAMES]
        times.append(time.perf_counter() - start)
        study.tell(trial, hartmann6(x))
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", default="100,250,500,1000")
    parser.add_argument("--proposals", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--multivariate", action="store_true", help="TPESampler(multivariate=True)")
    parser.add_argument("--csv", action="store_true")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    counts = [int(v) for v in args.observations.split(",") if v]
    if args.csv:
        print("observations,proposals,median_s,mean_s,max_s,optuna_version")
    for n in counts:
        times = measure(n, max(1, args.proposals), args.seed, args.multivariate)
        med, avg, worst = statistics.median(times), statistics.fmean(times), max(times)
        if args.csv:
            print(f"{n},{len(times)},{med:.6g},{avg:.6g},{worst:.6g},{optuna.__version__}")
        else:
            print(f"{n:8d} trials: median {med:.4f} s, mean {avg:.4f} s, max {worst:.4f} s per proposal")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
