"""Stopping a Python driver: Ctrl-C (SIGINT) and SIGTERM raise hpo.Interrupted (a KeyboardInterrupt)
after a valid checkpoint, with no kernel left running; optimize() again, in the same process or a
new one, finishes the run with the earlier trials kept. The GIL is released while a run goes on."""

import json
import os
import signal
import subprocess
import sys
import time

import hpo
import rank_output
from conftest import run_python

EVALS = 12

# A run of slow kernels that reports, as JSON lines, how it was stopped and how it ended.
DRIVER = """
import json, sys
import hpo

evaluator = hpo.Evaluator([sys.executable, "./slow.py", "--sleep=0.5"], num_parallel_evals=2)
optimizer = hpo.random.Optimizer(evaluator, num_iters=EVALS, seed=1, verbose=False)
params = hpo.Params([["--x", 0.5, (0.0, 1.0)]])
BODY
""".replace("EVALS", str(EVALS))

CATCH_AND_CONTINUE = """
try:
    optimizer.optimize(params)
    print(json.dumps({"stopped": None}), flush=True)
    sys.exit(1)
except KeyboardInterrupt as stop:
    print(json.dumps({"stopped": stop.signal, "is_interrupted": isinstance(stop, hpo.Interrupted),
                      "message": str(stop), "trials": stop.result.trials}), flush=True)
saved = hpo.load("hpo.h5")
print(json.dumps({"loaded": saved.trials, "finished": saved.finished}), flush=True)
if "continue" in sys.argv:
    result = optimizer.optimize(params)
    print(json.dumps({"trials": result.trials, "resumed_trials": result.resumed_trials,
                      "best_fom": optimizer.best_fom}), flush=True)
"""

UNCAUGHT = """
result = optimizer.optimize(params)
print(json.dumps({"trials": result.trials, "resumed_trials": result.resumed_trials}), flush=True)
"""


def start_driver(folder, body, *args, launcher=()):
    path = os.path.join(str(folder), "driver.py")
    with open(path, "w") as f:
        f.write(DRIVER.replace("BODY", body))
    return subprocess.Popen([*launcher, sys.executable, path, *args], cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def recorded_trials(folder):
    """The finished trials in the checkpoint, which the run is still writing (hpo.load reads it then too)."""
    try:
        return len(hpo.load(os.path.join(str(folder), "hpo.h5")).trials)
    except (hpo.CheckpointError, OSError):  # not created yet
        return 0


def stop_after(process, folder, trials, sig):
    """Sends `sig` once the checkpoint holds `trials` trials (the run goes on meanwhile: more may finish)."""
    deadline = time.monotonic() + 120  # a guard against a hung run, not a measurement
    # Read the checkpoint only once a kernel runs, when the run holds it open: a read at the moment
    # the run opens it fails the run (a bug: test_load_while_running.py).
    while not kernel_pids(folder) or recorded_trials(folder) < trials:
        assert process.poll() is None, "the run ended before the signal:\n%s%s" % process.communicate()
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.05)
    process.send_signal(sig)


def kernel_pids(folder):
    pids = []
    root = os.path.join(str(folder), "hpo-runs")
    for name in os.listdir(root) if os.path.isdir(root) else []:
        path = os.path.join(root, name, "pids")
        if os.path.exists(path):
            with open(path) as f:
                pids += [int(word) for word in f.read().split()]
    return pids


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open("/proc/%d/stat" % pid) as f:  # a zombie has ended; only its exit status is left
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def check_nothing_left_running(folder):
    pids = kernel_pids(folder)
    assert pids  # the kernels did run and say who they were
    assert [pid for pid in pids if alive(pid)] == []


def lines(out):
    return [json.loads(line) for line in out.splitlines()]


def test_ctrl_c_raises_keyboard_interrupt_and_optimize_again_continues(workdir, kernel):
    kernel("slow.py")
    process = start_driver(workdir, CATCH_AND_CONTINUE, "continue")
    stop_after(process, workdir, 2, signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    stopped, loaded, finished = lines(out)
    assert stopped["stopped"] == signal.SIGINT and stopped["is_interrupted"]
    assert "SIGINT" in stopped["message"] and "hpo.h5" in stopped["message"]
    # The checkpoint written before the exception: readable, not finished, the trials done so far.
    done_before = [t for t in loaded["loaded"] if t["status"] == "ok"]
    assert not loaded["finished"] and len(done_before) >= 2
    assert stopped["trials"] == loaded["loaded"]  # the exception's result is what the checkpoint holds
    assert len(done_before) < EVALS
    # optimize() again in the same interpreter: the whole budget, the earlier trials kept as they were.
    assert [t["id"] for t in finished["trials"]] == list(range(EVALS))
    assert {t["status"] for t in finished["trials"]} == {"ok"}
    assert finished["resumed_trials"] == len(loaded["loaded"])  # every trial of the checkpoint
    by_id = {t["id"]: t for t in finished["trials"]}
    assert [by_id[t["id"]] for t in done_before] == done_before
    assert hpo.load("hpo.h5").finished
    check_nothing_left_running(workdir)


def test_ctrl_c_then_a_new_interpreter_finishes_the_run(workdir, kernel):
    kernel("slow.py")
    process = start_driver(workdir, UNCAUGHT)
    stop_after(process, workdir, 2, signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode != 0 and out == ""
    assert "KeyboardInterrupt" in err or "Interrupted" in err, err
    check_nothing_left_running(workdir)
    saved = hpo.load("hpo.h5")
    done_before = [t for t in saved.trials if t["status"] == "ok"]
    assert not saved.finished and 2 <= len(done_before) < EVALS

    again = start_driver(workdir, UNCAUGHT)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    (finished,) = lines(out)
    assert [t["id"] for t in finished["trials"]] == list(range(EVALS))
    assert {t["status"] for t in finished["trials"]} == {"ok"}
    assert finished["resumed_trials"] == len(saved.trials)
    by_id = {t["id"]: t for t in finished["trials"]}
    assert [by_id[t["id"]] for t in done_before] == done_before
    assert hpo.load("hpo.h5").finished


def test_sigterm_stops_the_run_with_a_valid_checkpoint(workdir, kernel):
    kernel("slow.py")
    process = start_driver(workdir, CATCH_AND_CONTINUE)
    stop_after(process, workdir, 1, signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    stopped, loaded = lines(out)
    assert stopped["stopped"] == signal.SIGTERM and stopped["is_interrupted"]
    assert "SIGTERM" in stopped["message"]
    assert not loaded["finished"]
    assert 1 <= len([t for t in loaded["loaded"] if t["status"] == "ok"]) < EVALS
    check_nothing_left_running(workdir)


def test_sigusr1_to_mpirun_stops_every_rank_and_a_new_job_finishes_the_run(workdir, kernel):
    kernel("slow.py")
    # README: under mpirun, SIGUSR1 to mpirun (sbatch --signal=USR1@60), which forwards it to every rank.
    process = start_driver(workdir, CATCH_AND_CONTINUE, launcher=rank_output.launcher(3))
    stop_after(process, workdir, 2, signal.SIGUSR1)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    ranks = [lines(out) for out in rank_output.stdouts(workdir, 3)]
    for stopped, loaded in ranks:  # every rank raised hpo.Interrupted with the same result
        assert stopped["stopped"] == signal.SIGUSR1 and stopped["is_interrupted"]
        assert stopped == ranks[0][0]
        assert not loaded["finished"]
    check_nothing_left_running(workdir)
    saved = hpo.load("hpo.h5")
    assert 2 <= len(saved.trials) < EVALS

    again = start_driver(workdir, UNCAUGHT, launcher=rank_output.launcher(3))
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    for (finished,) in (lines(out) for out in rank_output.stdouts(workdir, 3)):
        assert [t["id"] for t in finished["trials"]] == list(range(EVALS))
        assert finished["resumed_trials"] == len(saved.trials)
        by_id = {t["id"]: t for t in finished["trials"]}
        assert [by_id[t["id"]] for t in saved.trials] == saved.trials


def test_the_gil_is_released_while_the_run_goes_on(workdir, kernel):
    kernel("waits_for_python.py")
    script = """
    import os, sys, threading, time
    import hpo

    ticks, done = [0], threading.Event()

    def count():  # counts up in a file that every kernel waits on
        while not done.is_set():
            ticks[0] += 1
            with open("ticks.tmp", "w") as f:
                f.write(str(ticks[0]))
            os.replace("ticks.tmp", "ticks")
            time.sleep(0.01)

    thread = threading.Thread(target=count, daemon=True)
    evaluator = hpo.Evaluator([sys.executable, "./waits_for_python.py", "--ticks=" + os.path.abspath("ticks")],
                              num_parallel_evals=2)
    optimizer = hpo.random.Optimizer(evaluator, num_iters=4, seed=1, verbose=False)
    thread.start()
    result = optimizer.optimize([["--x", 0.5, (0.0, 1.0)]])
    done.set()
    thread.join()
    print(sorted({t["status"] for t in result.trials}), len(result.trials))
    """
    done = run_python(script, cwd=workdir, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["['ok']", "4"], (done.stdout, done.stderr)
