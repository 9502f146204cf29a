"""The pruning rules read plainly, for the tests that run tests/kernels/curve_kernel.sh (step n
prints x + 8/n): from an `hpo export --format json` table, which trials a rule must stop and at
which step, when one worker ran them in id order. Usage:
  python3 curves.py asha|hyperband TABLE.json MIN_STEPS ETA MAX_STEPS
prints `ok N pruned` or the first disagreement, exit status 1."""
import json
import sys


def rungs(first, eta, max_steps):
    out, step = [], first
    while step < max_steps:
        out.append(step)
        step *= eta
    return out


def hyperband_brackets(r, eta, R):
    return len(rungs(r, eta, R)) + 1


def hyperband_bracket(r, eta, R, trial_id):
    # docs/pruning.md: shares n_b = ceil((K+1) * eta^(K-b) / (K-b+1)), a golden-ratio stride.
    K = hyperband_brackets(r, eta, R) - 1
    shares = [-(-(K + 1) * eta ** (K - b) // (K - b + 1)) for b in range(K + 1)]
    total = sum(shares)
    from math import ceil, gcd
    stride = ceil(0.618 * total)
    while gcd(stride, total) != 1:
        stride += 1
    position = ((trial_id % total) * stride) % total
    end = 0
    for b, share in enumerate(shares):
        end += share
        if position < end:
            return b
    return K


def expected_stops(trials, rule, r, eta, R):
    at = {}
    stops = {}
    for t in sorted(trials, key=lambda t: t["id"]):
        x = t["--x"]
        bracket = hyperband_bracket(r, eta, R, t["id"]) if rule == "hyperband" else 0
        stop = 0
        for step in rungs(r * eta ** bracket, eta, R):
            value = x + 8 / step
            values = at.setdefault((bracket, step), [])
            values.append(value)
            better = sum(1 for v in values if v < value)
            if not better < max(1, len(values) // eta):
                stop = step
                break
        stops[t["id"]] = stop
    return stops


def main():
    rule, path, r, eta, R = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
    trials = json.load(open(path))
    stops = expected_stops(trials, rule, r, eta, R)
    pruned = 0
    for t in trials:
        stop = stops[t["id"]]
        want = ("pruned", stop, t["--x"] + 8 / stop) if stop else ("ok", R, t["--x"] + 8 / R)
        got = (t["status"], t["steps"], t["fom"])
        if got[0] != want[0] or got[1] != want[1] or abs(got[2] - want[2]) > 1e-9 * max(1, abs(want[2])):
            print(f"trial {t['id']} (x={t['--x']}): got {got}, the rule says {want}", file=sys.stderr)
            sys.exit(1)
        pruned += stop > 0
    if pruned < 3 or pruned > len(trials) - 2:
        print(f"{pruned} of {len(trials)} pruned: too few or too many to prove anything", file=sys.stderr)
        sys.exit(1)
    print(f"ok {pruned} pruned")


if __name__ == "__main__":
    main()
