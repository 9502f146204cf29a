"""The seed's driver script, verbatim, under `mpirun -n 3`: rank 0 coordinates, ranks 1 and 2 run
the kernels, and every rank prints the run's best; then the same script alone in the same folder
returns that finished run. (Apart from test_seed_driver.py: each runs the full budget once.)"""

import pytest

import hpo
import rank_output
from conftest import run_python
from seed_driver import (SEED_DRIVER, check_deme_logs, check_printed_best, planned_trials, seed_folder,
                         rerun_alone, trial_dirs)

TRIALS = planned_trials(generations=20, pop_size=10, num_demes=4)


@pytest.fixture(scope="module")
def mpi_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed_mpi")
    env = seed_folder(folder)
    done = run_python(SEED_DRIVER, cwd=folder, env=env, launcher=rank_output.launcher(3))
    assert done.returncode == 0, done.stderr
    return folder, env, done


def test_every_rank_prints_the_same_best(mpi_run):
    folder, _, _ = mpi_run
    printed = rank_output.stdouts(folder, 3)
    assert printed[1] == printed[2] == printed[0]
    check_printed_best(printed[0].splitlines(), hpo.load(folder / "hpo.h5"))


def test_the_worker_ranks_ran_the_whole_budget(mpi_run):
    folder, _, _ = mpi_run
    result = hpo.load(folder / "hpo.h5")
    assert result.finished
    assert len(result.trials) == TRIALS == len(trial_dirs(folder))
    assert {trial["status"] for trial in result.trials} == {"ok"}
    assert {trial["worker"] for trial in result.trials} == {0, 1}  # the workers on ranks 1 and 2
    assert result.best_fom == min(trial["fom"] for trial in result.trials)
    with open(folder / "genetic.log") as f:
        log = f.read()
    assert "planned evaluations: %d" % TRIALS in log
    assert "workers: 2" in log


def test_per_deme_logs(mpi_run):
    folder, _, _ = mpi_run
    check_deme_logs(folder, hpo.load(folder / "hpo.h5"))


def test_alone_afterwards_returns_the_run_of_the_mpi_job(mpi_run):
    folder, env, _ = mpi_run
    assert rerun_alone(folder, env) == rank_output.stdouts(folder, 3)[0]
