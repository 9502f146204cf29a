"""The PBT bench's parts, methods and sizes, declared once: what each method's `hpo run` is.

Every method runs N kernels at once (`--parallel N`, N the population): PBT's members train side
by side, as PBT means, and the other methods get the same concurrency, so that a kernel-second
(the wall time of a kernel sharing the CPUs) is worth the same in every method.

Part `toy` (a): bench/pbt/quadratic_kernel.py, the learning rate alone, in [0.001, 1] log.
  pbt     --strategy pbt --population N --rounds R: N x R one-round trials (K SGD steps each)
  random  --strategy random --evals N, each trial R rounds in one process (--rounds=R): the
          same N x R x K kernel steps
  grid    --strategy grid --grid-size G, each trial R rounds: the best fixed rate of G
          log-spaced ones (an oracle: G/N times the compute of the others)
Part `lenet` (b): bench/pbt/lenet_pbt_kernel.py (LeNet-5 on the digits), the pruning bench's
space (lr, momentum, weight decay, batch size). PBT runs to its end; random search and asha then
get its kernel-seconds (the sum of its trials' durations) as their budget, seed by seed.
  pbt     --strategy pbt --population N --rounds R, E epochs a round
  random  --strategy random, full trainings of R x E epochs, stopped at the budget
  asha    --strategy random --prune asha --max-steps R x E --min-steps 1 --reduction-factor 3
"""
import os
import sys
from dataclasses import dataclass, replace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "pruning"))
import kernels as pruning_kernels  # noqa: E402  (the LeNet space, declared there once)

PARTS = {"toy": ("pbt", "random", "grid"), "lenet": ("pbt", "random", "asha")}
TOY_SPACE = ["--lr [0.001,1.0] log"]


@dataclass(frozen=True)
class Sizes:
    population: int     # N
    rounds: int         # R
    steps: int          # toy: K SGD steps a round; lenet: E epochs a round
    grid: int = 0       # toy: G fixed rates


FULL = {"toy": Sizes(8, 20, 50, 25), "lenet": Sizes(8, 8, 2)}
QUICK = {"toy": Sizes(4, 8, 50, 9)}


def sizes(part, quick=False, rounds=None, steps=None):
    """The part's sizes in this mode; rounds and steps, if given, replace R and K or E
    (bench/pbt/run.sh --lenet-rounds, --lenet-epochs)."""
    s = (QUICK if quick else FULL)[part]
    s = replace(s, rounds=rounds) if rounds else s
    return replace(s, steps=steps) if steps else s


def space(part):
    if part == "toy":
        return TOY_SPACE
    return [p.hpo_spec() for p in pruning_kernels.SPACES["lenet"]]


def kernel(part, python, kernel_dir):
    """The kernel command (without the per-method flags)."""
    if part == "toy":
        return [python, os.path.join(HERE, "quadratic_kernel.py")]
    return [python, os.path.join(HERE, "lenet_pbt_kernel.py"), "--server=" + os.path.join(kernel_dir, "kernels.sock")]


def hpo_argv(part, method, sizes, seed):
    """(strategy options, kernel flags) of one method."""
    n, r, k = sizes.population, sizes.rounds, sizes.steps
    per_round = ["--steps=%d" % k] if part == "toy" else ["--epochs=%d" % k]
    flags = ["--seed=%d" % seed] + per_round if part == "toy" else per_round
    if method == "pbt":
        return ["--strategy", "pbt", "--population", str(n), "--rounds", str(r)], flags + ["--checkpoint-dir=@checkpoint"]
    full = flags + ["--rounds=%d" % r]
    if method == "grid":
        return ["--strategy", "grid", "--grid-size", str(sizes.grid)], full
    if method == "random":
        evals = n if part == "toy" else 100000  # lenet: stopped at the budget
        return ["--strategy", "random", "--evals", str(evals)], full
    if method == "asha":
        return ["--strategy", "random", "--evals", "100000", "--prune", "asha", "--max-steps", str(r * k),
                "--min-steps", "1", "--reduction-factor", "3"], full
    raise ValueError("unknown method " + method)


def command(hpo, part, method, sizes, seed, python, kernel_dir, work):
    strategy, flags = hpo_argv(part, method, sizes, seed)
    argv = [hpo, "run"] + strategy + ["--seed", str(seed), "--parallel", str(sizes.population), "--no-progress", "--quiet",
                                      "--checkpoint", os.path.join(work, "run.h5"), "--checkpoint-interval", "1",
                                      "--run-dir", os.path.join(work, "trials")]
    for p in space(part):
        argv += ["--param", p]
    return argv + ["--"] + kernel(part, python, kernel_dir) + flags
