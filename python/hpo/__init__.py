"""hpo: hyperparameter optimization for HPC, driven from Python.

The seed's (CrayAI HPO's) driver scripts run unchanged::

    import hpo
    evaluator = hpo.Evaluator("python3 ./train.py")
    params = hpo.Params([["--lr", 0.001, (1e-5, 0.1)], ["--dropout", 0.5, (0.01, 1.0)]])
    optimizer = hpo.genetic.Optimizer(evaluator, generations=20, pop_size=10, num_demes=4,
                                      log_fn="genetic.log")
    optimizer.optimize(params)
    print(optimizer.best_fom, optimizer.best_params)

Alone it runs one evaluation per core; under ``mpirun -n N python3 driver.py`` (or ``srun``) rank 0
coordinates and the other ranks evaluate. Every trial is in the checkpoint ``hpo.h5``; running
the script again continues an unfinished run. ``hpo.load("hpo.h5")`` reads it back.
"""

from . import _core
from ._core import CheckpointError
from ._evaluator import Evaluator
from ._optimizer import Interrupted
from ._result import BestParams, Result, load
from ._space import Domain, Params, choice, log_range, params, range  # noqa: A004
from . import bayes, genetic, grid, pbt, random  # noqa: A004

GeneticOptimizer = genetic.Optimizer
RandomOptimizer = random.Optimizer
GridOptimizer = grid.Optimizer
BayesOptimizer = bayes.Optimizer
PbtOptimizer = pbt.Optimizer


def is_coordinator():
    """True on the process that should print results: the only one alone, rank 0 under mpirun/srun."""
    return _core.is_coordinator()


__all__ = ["Evaluator", "Params", "params", "Domain", "range", "log_range", "choice", "genetic", "random", "grid",
           "bayes", "pbt", "GeneticOptimizer", "RandomOptimizer", "GridOptimizer", "BayesOptimizer", "PbtOptimizer",
           "Result", "BestParams", "load", "Interrupted", "CheckpointError", "is_coordinator"]
