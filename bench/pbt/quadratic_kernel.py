"""PBT kernel (a): simulated SGD on a noisy quadratic, pure Python (no numpy: starts in ~20 ms).

The loss is L(theta) = 1/2 sum_i h_i theta_i^2 in D = 10 dimensions, curvatures h_i spread
log-uniformly from 0.01 to 1, theta starting at 1 in every dimension. Each SGD step sees the
gradient h_i theta_i plus Gaussian noise of standard deviation SIGMA (0.05). A large learning
rate moves the flat directions quickly but then rattles at a noise floor (about lr sigma^2 / 4
per dimension); a small one has a low floor but barely moves the flat directions: the best
schedule starts large and decays, and beats any fixed rate (by 2-3x in expected loss for
1,000 steps; bench/pbt/README.md).

usage: quadratic_kernel.py --lr X [--checkpoint-dir DIR] [--rounds R] [--steps K] [--seed S]
  One round is K (50) SGD steps at rate X. With a checkpoint directory (--checkpoint-dir, or the
  environment's HPO_CHECKPOINT_DIR that hpo sets) the kernel loads theta and its step count from
  DIR/state.json when it is there, trains R (1) rounds, and saves them back; without one it
  starts from theta = 1 and keeps nothing. After each round it prints `FoM: <loss>` (the exact
  loss at the current theta; the last line is the trial's FoM).
The noise of step n is drawn from a generator seeded by (S, the round's first step): a trial of
R rounds computes exactly what R one-round trials chained through the directory compute, and
every method of the bench sees the same noise at the same step.
"""
import argparse
import json
import math
import os
import random
import sys

DIM = 10
H = [0.01 * 100.0 ** (i / (DIM - 1)) for i in range(DIM)]
SIGMA = 0.05
STATE = "state.json"


def loss(theta):
    return 0.5 * sum(h * t * t for h, t in zip(H, theta))


def load(directory):
    """(theta, step) from the directory's state, or the start when there is none."""
    path = os.path.join(directory, STATE) if directory else None
    if path is None or not os.path.exists(path):
        return [1.0] * DIM, 0
    with open(path) as f:
        state = json.load(f)
    theta, step = state["theta"], state["step"]
    if len(theta) != DIM or not isinstance(step, int) or step < 0:
        raise ValueError("%s: not a state of this kernel" % path)
    return [float(t) for t in theta], step


def save(directory, theta, step):
    """Written to a temporary name and renamed: a killed kernel leaves the old state or the new."""
    path = os.path.join(directory, STATE)
    with open(path + ".tmp", "w") as f:
        json.dump({"theta": theta, "step": step}, f)
    os.replace(path + ".tmp", path)


def train_round(theta, step, lr, steps, seed):
    rng = random.Random("%d/%d" % (seed, step))
    for _ in range(steps):
        theta = [t - lr * (h * t + SIGMA * rng.gauss(0.0, 1.0)) for h, t in zip(H, theta)]
    return theta, step + steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--checkpoint-dir", default=os.environ.get("HPO_CHECKPOINT_DIR", ""))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    a = parser.parse_args()
    if not (a.lr > 0 and math.isfinite(a.lr)) or a.rounds < 1 or a.steps < 1:
        parser.error("--lr must be a positive number, --rounds and --steps at least 1")
    if a.checkpoint_dir and not os.path.isdir(a.checkpoint_dir):
        parser.error("--checkpoint-dir %s: no such directory" % a.checkpoint_dir)
    try:
        theta, step = load(a.checkpoint_dir)
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.exit("quadratic_kernel: cannot load the checkpoint: %s" % e)
    for _ in range(a.rounds):
        theta, step = train_round(theta, step, a.lr, a.steps, a.seed)
        value = loss(theta)
        if not math.isfinite(value):  # a rate above 2 / max(h) diverges: say so, keep nothing
            print("FoM: inf", flush=True)
            sys.exit("quadratic_kernel: diverged at step %d (lr %g)" % (step, a.lr))
        if a.checkpoint_dir:
            save(a.checkpoint_dir, theta, step)
        print("FoM: %.10g" % value, flush=True)


if __name__ == "__main__":
    main()
