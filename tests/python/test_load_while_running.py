"""hpo.load on a checkpoint that a run is writing: from a thread of the driver (the GIL is released
while the run goes on, a notebook's other cells run) and from another process (as `hpo show`
does). Reading must never make the run fail, also at the moment the run opens its checkpoint."""

import os
import subprocess
import sys
import threading
import time


import hpo

STARTS = 10  # runs started while something reads their checkpoint (27 of 30 failed before the fix)


def start_runs(kernel_path, current):
    """Starts STARTS short runs one after the other, each on a new checkpoint whose name goes into
    `current` (a list, or a file) first; returns the errors of the runs that failed."""
    evaluator = hpo.Evaluator([sys.executable, kernel_path])
    errors = []
    for i in range(STARTS):
        path = "run%d.h5" % i
        if isinstance(current, list):
            current[0] = path
        else:
            with open(current + ".tmp", "w") as f:
                f.write(path)
            os.replace(current + ".tmp", current)
        optimizer = hpo.random.Optimizer(evaluator, num_iters=1, parallel=1, verbose=False, checkpoint_fn=path)
        try:
            optimizer.optimize([["--x", 0.5, (0.0, 1.0)]])
        except (ValueError, RuntimeError) as error:
            errors.append(str(error))
    return errors


def load_forever(current, stop, loads):
    while not stop.is_set():
        path = current[0]
        if path is None:
            continue
        try:
            hpo.load(path)
            loads.append(path)
        except hpo.CheckpointError:  # not created yet
            pass


def test_a_thread_reading_the_checkpoint_never_fails_a_run(workdir, kernel):
    path = kernel("quadratic.py")
    current, stop, loads = [None], threading.Event(), []
    reader = threading.Thread(target=load_forever, args=(current, stop, loads), daemon=True)
    reader.start()
    try:
        errors = start_runs(path, current)
    finally:
        stop.set()
        reader.join()
    assert loads  # the reader did read checkpoints meanwhile
    assert errors == []


READER = """
import os, sys, time
import hpo

loads = 0
while not os.path.exists("stop"):
    try:
        with open("current") as f:
            hpo.load(f.read())
        loads += 1
    except (OSError, hpo.CheckpointError):
        pass
print(loads)
"""


def test_another_process_reading_the_checkpoint_never_fails_a_run(workdir, kernel):
    path = kernel("quadratic.py")
    reader = subprocess.Popen([sys.executable, "-c", READER], stdout=subprocess.PIPE, text=True)
    try:
        errors = start_runs(path, "current")
    finally:
        open("stop", "w").close()
        out, _ = reader.communicate(timeout=60)
    assert int(out) > 0  # the reader did read checkpoints meanwhile
    assert errors == []


def test_a_thread_reads_a_running_checkpoint(workdir, kernel):
    path = kernel("slow.py")
    evaluator = hpo.Evaluator([sys.executable, path, "--sleep=0.2"], num_parallel_evals=2)
    optimizer = hpo.random.Optimizer(evaluator, num_iters=16, verbose=False)
    outcome = []
    run = threading.Thread(target=lambda: outcome.append(optimizer.optimize([["--x", 0.5, (0.0, 1.0)]])))
    run.start()
    # Once a kernel runs, the run holds its checkpoint open (see the tests above for the moment before).
    while run.is_alive() and not any(os.path.exists(os.path.join("hpo-runs", d, "pids"))
                                     for d in (os.listdir("hpo-runs") if os.path.isdir("hpo-runs") else [])):
        time.sleep(0.01)
    seen = []
    while run.is_alive():
        seen.append([t["id"] for t in hpo.load("hpo.h5").trials])
        time.sleep(0.05)
    run.join()
    assert outcome and len(outcome[0].trials) == 16
    final = [t["id"] for t in outcome[0].trials]
    for ids in seen:  # each read is a prefix of the run's trials (committed in id order or not, never invented)
        assert set(ids) <= set(final)
    assert [len(ids) for ids in seen] == sorted(len(ids) for ids in seen)
    assert hpo.load("hpo.h5").trials == outcome[0].trials
