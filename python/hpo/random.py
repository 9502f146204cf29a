"""``hpo.random.Optimizer``: random search."""

from ._optimizer import strategy_optimizer

Optimizer = strategy_optimizer(
    "random",
    "Random search: evals points drawn uniformly (log-uniformly on log ranges), the default point\n"
    "first. The seed's spelling: hpo.random.Optimizer(evaluator, num_iters=100, seed=0).",
    aliases={"num_iters": "evals"})
