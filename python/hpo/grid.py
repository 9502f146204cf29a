"""``hpo.grid.Optimizer``: grid search."""

from ._optimizer import strategy_optimizer

Optimizer = strategy_optimizer(
    "grid",
    "Grid search: grid_size points per range (both ends included), every option of a choice.\n"
    "The seed's chunk_size (points evaluated at once) sets how many run in parallel.",
    aliases={"chunk_size": "parallel"})
