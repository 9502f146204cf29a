"""The seed's driver script as printed in the talk, and the folder it runs in, for the tests of
test_seed_driver*.py (not a test file itself: pytest collects only test_*.py)."""

import hashlib
import inspect
import os
import re
import shutil
import sys

import hpo
from conftest import KERNELS

# Verbatim: not a character changed (the tests edit copies of it, never this text).
SEED_DRIVER = """\
from crayai import hpo
evaluator = hpo.Evaluator('python source/train_model.py')
params = hpo.params([["--lr", 0.001, (1e-5, 0.1)],
                     ["--dropout", 0.5, (0.01, 1)]])
optimizer = hpo.genetic.Optimizer(evaluator, generations=20, pop_size=10, num_demes=4, log_fn='genetic.log')
optimizer.optimize(params)
print(optimizer.best_fom)
print(optimizer.best_params)
"""

DEME_LOGS = ["Deme%d_genetic.log" % n for n in range(1, 5)]


def planned_trials(generations, pop_size, num_demes):
    """README "Strategies": generation 0 evaluates every individual of every deme; each later
    generation breeds all but the elites, which are kept as they are. Not given (-1), elites
    are 1 with a budget of generations."""
    elites = inspect.signature(hpo.genetic.Optimizer).parameters["elites"].default
    elites = 1 if elites == -1 else elites
    return num_demes * pop_size + (generations - 1) * num_demes * (pop_size - elites)


def seed_folder(folder):
    """Lays out the seed's project: source/train_model.py, and `python` on PATH.

    Debian has no `python` (the package then runs this interpreter); where one is on PATH, the
    kernel runs with it as the user's would. The test puts this interpreter there as `python`, so
    that the run neither depends on nor waits for whatever `python` the machine has (a pyenv shim
    takes most of a second per start). Returns the environment to run the driver with."""
    os.makedirs(os.path.join(folder, "source"))
    shutil.copy(os.path.join(KERNELS, "source", "train_model.py"), os.path.join(folder, "source"))
    bin_dir = os.path.join(folder, "bin")
    os.makedirs(bin_dir)
    os.symlink(sys.executable, os.path.join(bin_dir, "python"))
    return {"PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def trial_dirs(folder, run_dir="hpo-runs"):
    """Each trial directory's name and the modification time of its files."""
    root = os.path.join(folder, run_dir)
    return {name: sorted((entry.name, entry.stat().st_mtime_ns) for entry in os.scandir(os.path.join(root, name)))
            for name in os.listdir(root)}


def check_printed_best(lines, result):
    """The two lines the seed prints: best_fom (a float's repr) and best_params as the kernel's flags."""
    assert len(lines) == 2, lines
    assert float(lines[0]) == result.best_fom
    assert lines[1] == "--lr=%r --dropout=%r" % (result.best_params["--lr"], result.best_params["--dropout"])
    assert 1e-5 <= result.best_params["--lr"] <= 0.1 and 0.01 <= result.best_params["--dropout"] <= 1


def check_deme_logs(folder, result):
    """Deme<N>_genetic.log, one per deme (N counts from 1), lists exactly its deme's trials."""
    for n, name in enumerate(DEME_LOGS, start=1):
        with open(os.path.join(folder, name)) as f:
            log = f.read()
        assert "deme %d of 4 (the run's log: genetic.log" % (n - 1) in log, name
        logged = [(int(i), int(g)) for i, g in re.findall(r"^trial (\d+) \(generation (\d+)\): FoM ", log, re.M)]
        assert logged == [(t["id"], t["generation"]) for t in result.trials if t["deme"] == n - 1], name
    assert not os.path.exists(os.path.join(folder, "Deme5_genetic.log"))


def rerun_alone(folder, env):
    """Runs the seed's driver again, alone, in `folder`, where a run finished: it must return that run
    at once and leave its checkpoint and trial directories as they were. Returns its stdout."""
    from conftest import run_python
    checkpoint, dirs = digest(folder / "hpo.h5"), trial_dirs(folder)
    again = run_python(SEED_DRIVER, cwd=folder, env=env)
    assert again.returncode == 0, again.stderr
    assert digest(folder / "hpo.h5") == checkpoint
    assert trial_dirs(folder) == dirs
    return again.stdout
