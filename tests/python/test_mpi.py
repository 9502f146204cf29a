"""Python drivers under mpirun: rank 0 coordinates, the others evaluate, every rank returns from
optimize() with the run's result; MPI already initialised by mpi4py is taken over; errors are
Python exceptions on every rank, never an abort of the job."""

import json

import pytest

import hpo
import rank_output
from conftest import mpirun, run_python

SPACE = '[["--x", 0.5, (0.0, 1.0)], ["--n", 2, (1, 5)], ["--opt", "a", ["a", "b"]]]'

# Each rank prints one JSON line: what optimize() gave it.
RESULT_DRIVER = """
import json, sys
import hpo

evaluator = hpo.Evaluator([sys.executable, "./quadratic.py"])
optimizer = hpo.random.Optimizer(evaluator, num_iters=12, seed=5, verbose=False)
result = optimizer.optimize(%s)
print(json.dumps({"coordinator": hpo.is_coordinator(), "trials": result.trials, "best_fom": optimizer.best_fom,
                  "best_params": str(optimizer.best_params), "best_trial": optimizer.best_trial["id"]}))
""" % SPACE


def rank_results(workdir, ranks):
    return [json.loads(out) for out in rank_output.stdouts(workdir, ranks)]


@pytest.mark.parametrize("ranks", [2, 3])
def test_every_rank_returns_the_same_trials_and_best(workdir, kernel, ranks):
    kernel("quadratic.py")
    done = run_python(RESULT_DRIVER, cwd=workdir, launcher=rank_output.launcher(ranks), timeout=120)
    assert done.returncode == 0, done.stderr
    results = rank_results(workdir, ranks)
    assert [r["coordinator"] for r in results] == [True] + [False] * (ranks - 1)
    for other in results[1:]:
        assert {k: v for k, v in other.items() if k != "coordinator"} == \
               {k: v for k, v in results[0].items() if k != "coordinator"}
    trials = results[0]["trials"]
    assert [t["id"] for t in trials] == list(range(12))
    assert {t["status"] for t in trials} == {"ok"}
    assert {t["worker"] for t in trials} == set(range(ranks - 1))  # every worker rank evaluated, rank 0 none
    assert results[0]["best_fom"] == min(t["fom"] for t in trials)
    best = next(t for t in trials if t["id"] == results[0]["best_trial"])
    assert results[0]["best_params"] == "--x=%r --n=%d --opt=%s" % (best["--x"], best["--n"], best["--opt"])


def test_two_runs_one_after_the_other_in_one_job(workdir, kernel):
    kernel("quadratic.py")
    script = """
    import json, sys
    import hpo

    evaluator = hpo.Evaluator([sys.executable, "./quadratic.py"])
    first = hpo.random.Optimizer(evaluator, num_iters=6, seed=1, verbose=False, checkpoint_fn="first.h5")
    first.optimize(%s)
    second = hpo.genetic.Optimizer(evaluator, generations=2, pop_size=4, verbose=False, checkpoint_fn="second.h5")
    second.optimize(%s)
    print(json.dumps({"first": first.trials, "second": second.trials}))
    """ % (SPACE, SPACE)
    done = run_python(script, cwd=workdir, launcher=rank_output.launcher(3), timeout=120)
    assert done.returncode == 0, done.stderr
    results = rank_results(workdir, 3)
    assert results[1] == results[0] and results[2] == results[0]
    assert results[0]["first"] == hpo.load("first.h5").trials and len(results[0]["first"]) == 6
    assert results[0]["second"] == hpo.load("second.h5").trials and len(results[0]["second"]) == 4 + 3
    for run in ("first", "second"):
        assert {t["worker"] for t in results[0][run]} == {0, 1}


def test_mpi_initialised_by_mpi4py_is_taken_over(workdir, kernel):
    kernel("quadratic.py")
    script = """
    from mpi4py import MPI
    assert MPI.Is_initialized()
    import json, sys
    import hpo

    evaluator = hpo.Evaluator([sys.executable, "./quadratic.py"])
    optimizer = hpo.random.Optimizer(evaluator, num_iters=8, seed=2, verbose=False)
    optimizer.optimize(%s)
    comm = MPI.COMM_WORLD
    # MPI is still the script's after the run: a collective over every rank works.
    foms = comm.allgather(optimizer.best_fom)
    print(json.dumps({"rank": comm.Get_rank(), "size": comm.Get_size(), "finalized": MPI.Is_finalized(),
                      "foms": foms, "coordinator": hpo.is_coordinator(), "trials": len(optimizer.trials)}))
    """ % SPACE
    done = run_python(script, cwd=workdir, launcher=rank_output.launcher(3), timeout=120)
    assert done.returncode == 0, done.stderr
    assert "MPI_Finalize" not in done.stderr and "MPI_FINALIZE" not in done.stderr  # finalised once, by mpi4py
    results = rank_results(workdir, 3)
    assert [r["rank"] for r in results] == [0, 1, 2]
    for r in results:
        assert r["size"] == 3 and not r["finalized"] and r["trials"] == 8
        assert r["coordinator"] == (r["rank"] == 0)
        assert len(set(r["foms"])) == 1


# A driver that exits with its own code (7) when optimize() or the constructor raises, saying what.
# mpirun ends the other ranks as soon as one exits with a status other than 0, so each rank waits
# until every rank has said what it got (a barrier of files: the script has no MPI of its own).
ERROR_DRIVER = """
import glob, json, os, sys, time
import hpo

try:
    evaluator = hpo.Evaluator([sys.executable, "./quadratic.py"%s])
    optimizer = hpo.%s
    optimizer.optimize(%s)
    print(json.dumps({"best_fom": optimizer.best_fom}))
    status = 0
except Exception as error:
    print(json.dumps({"error": type(error).__name__, "message": str(error)}))
    status = 7
sys.stdout.flush()
rank = os.environ.get("OMPI_COMM_WORLD_RANK") or os.environ["PMI_RANK"]
size = int(os.environ.get("OMPI_COMM_WORLD_SIZE") or os.environ["PMI_SIZE"])
open("said.%%s" %% rank, "w").close()
deadline = time.monotonic() + 60
while len(glob.glob("said.*")) < size and time.monotonic() < deadline:
    time.sleep(0.01)
sys.exit(status)
"""


def run_error_driver(workdir, ranks, optimizer, extra_args=""):
    done = run_python(ERROR_DRIVER % (extra_args, optimizer, SPACE), cwd=workdir,
                      launcher=rank_output.launcher(ranks), timeout=120)
    assert done.returncode == 7, done.stderr  # the script's own exit code: every rank raised, none aborted
    assert "MPI_ABORT" not in done.stderr and "aborting" not in done.stderr
    return rank_results(workdir, ranks)


@pytest.mark.parametrize("optimizer, error, named", [
    ("genetic.Optimizer(evaluator, pop_size=-1, verbose=False)", "ValueError", "pop_size"),
    ("random.Optimizer(evaluator, num_iters=4, checkpoint_fn='missing/run.h5', verbose=False)", "ValueError",
     "missing/run.h5"),
    ("random.Optimizer(evaluator, num_iters=4, log_fn='missing/run.log', verbose=False)", "ValueError",
     "missing/run.log"),
])
def test_a_bad_argument_raises_on_every_rank(workdir, kernel, optimizer, error, named):
    """A bad option, an uncreatable checkpoint or log: the same exception on every rank, no abort."""
    kernel("quadratic.py")
    for r in run_error_driver(workdir, 3, optimizer):
        assert r["error"] == error and named in r["message"]


def test_a_kernel_that_always_fails_gives_runtime_error_from_best_fom(workdir, kernel):
    kernel("quadratic.py")
    results = run_error_driver(workdir, 3, "random.Optimizer(evaluator, num_iters=6, verbose=False)",
                                     extra_args=', "--fail=1"')
    for r in results:
        assert r["error"] == "RuntimeError" and "no trial succeeded (6 evaluated)" in r["message"]


LOST_WORKER_DRIVER = """
import os, sys
import hpo

kernel = [sys.executable, "-c", "import os, time; open('../../rank.pid', 'w').write(str(os.getppid())); time.sleep(60)"]
optimizer = hpo.random.Optimizer(hpo.Evaluator(kernel), num_iters=3, worker_timeout=2, verbose=False)
try:
    optimizer.optimize([["--x", (0.0, 1.0)]])
    message = "returned"
except RuntimeError as error:
    message = "RuntimeError: %s" % error
with open("rank%d.txt" % hpo._core.launch_rank(), "w") as out:
    out.write(message)
"""


def test_every_worker_lost_is_an_error_not_a_result(workdir):
    """worker_timeout: the only worker rank stops (SIGSTOP, as a hung node) while it runs a trial;
    after worker_timeout seconds of silence it is lost, and optimize() on rank 0 raises instead of
    returning a result that looks finished. (The job then ends by MPI_Abort: the lost rank cannot.)"""
    import os
    import signal
    import subprocess
    import sys
    import time
    with open(workdir / "driver.py", "w") as f:
        f.write(LOST_WORKER_DRIVER)
    env = dict(os.environ)
    job = subprocess.Popen(mpirun(2) + [sys.executable, "driver.py"], cwd=workdir, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stopped = None
    try:
        for _ in range(600):
            if (workdir / "rank.pid").exists() and (workdir / "rank.pid").read_text():
                stopped = int((workdir / "rank.pid").read_text())
                break
            time.sleep(0.1)
        assert stopped, "the worker never ran its kernel"
        os.kill(stopped, signal.SIGSTOP)
        job.communicate(timeout=120)
    finally:
        if stopped:
            for sig in (signal.SIGCONT, signal.SIGKILL):
                try:
                    os.kill(stopped, sig)
                except ProcessLookupError:
                    pass
        if job.poll() is None:
            job.kill()
            job.communicate()
    message = (workdir / "rank0.txt").read_text()
    assert message.startswith("RuntimeError: hpo: every worker was lost (rank 1"), message
    assert "worker-timeout" in message or "worker_timeout" in message or "heartbeat" in message, message
