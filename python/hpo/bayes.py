"""``hpo.bayes.Optimizer``: Bayesian optimization (hpo's own, not in the seed)."""

from ._optimizer import strategy_optimizer

Optimizer = strategy_optimizer(
    "bayes",
    "Bayesian optimization with a Gaussian process: an initial design, then the point of best\n"
    "expected improvement (or UCB), proposed while other evaluations still run.",
    aliases={"num_iters": "evals"})
