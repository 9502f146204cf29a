#!/usr/bin/env python3
"""A CrayAI HPO style driver (docs/python.md): a genetic search over the example kernel
examples/sin_kernel.py, a small network fitting sin(x).

    python3 examples/seed_driver.py                  # alone: one evaluation per core
    mpirun -n 5 python3 examples/seed_driver.py      # rank 0 coordinates, 4 ranks evaluate
    HPO_EXAMPLE_GENERATIONS=2 python3 examples/seed_driver.py   # a shorter search

From a checkout without `cmake --install`, put the build's package first:
PYTHONPATH=build/python. It writes, in the current directory: genetic.log (and Deme1_genetic.log,
Deme2_genetic.log, one per deme), the checkpoint hpo.h5 and the trial directories hpo-runs/<id>/.
Run it again in the same folder and it continues the checkpoint (a finished run returns its
result at once); stop it with Ctrl-C and run it again to carry on.
"""
import os
import sys

# The seed's import; `import hpo` gives the same package.
from crayai import hpo

# Every trial runs in its own directory (hpo-runs/<id>/), so the kernel is named by an absolute
# path. The command is a string split like a shell would (the seed's "python source/train.py";
# `python` is this interpreter where PATH has none) or, as here, a list of words: the kernel runs
# with the interpreter that runs this driver.
kernel = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sin_kernel.py")
evaluator = hpo.Evaluator([sys.executable, kernel], timeout=60)

# The seed's list form: [flag, default, domain]. A tuple (lo, hi) is a range (integers if both
# bounds are ints), a list is a choice; hpo.log_range says what the list form cannot (log scale).
params = hpo.params([["--lr", 0.05, hpo.log_range(0.001, 1.0)],
                     ["--momentum", 0.5, (0.0, 0.95)],
                     ["--hidden", 4, (1, 12)],
                     ["--activation", "tanh", ["tanh", "relu", "sigmoid"]],
                     ["--init-scale", 1.0, (0.1, 3.0)]])

# The seed's keywords; seed=2019 makes the search repeatable (seed=0 would draw one at random).
generations = int(os.environ.get("HPO_EXAMPLE_GENERATIONS", "8"))
optimizer = hpo.genetic.Optimizer(evaluator, generations=generations, pop_size=8, num_demes=2,
                                  mutation_rate=0.05, crossover_rate=0.33, migration_interval=2,
                                  log_fn="genetic.log", seed=2019, verbose=True)

try:
    optimizer.optimize(params)
except hpo.Interrupted as stop:  # Ctrl-C: the checkpoint holds every finished trial
    print(stop, file=sys.stderr)
    sys.exit(3)

# Under mpirun every rank returns with the same result; one of them reports it.
if hpo.is_coordinator():
    print("best FoM:", optimizer.best_fom)
    print("best parameters:", optimizer.best_params)          # as the kernel's flags
    print("best hidden units:", optimizer.best_params["--hidden"])  # indexable like a dict
    trials = optimizer.trials                                  # one dict per trial
    ok = sum(1 for trial in trials if trial["status"] == "ok")
    print("trials: %d (%d ok)" % (len(trials), ok))
