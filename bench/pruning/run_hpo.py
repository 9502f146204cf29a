"""One hpo run of the pruning bench: the real `hpo run` CLI, one kernel at a time, stopped with
SIGTERM once the kernel-seconds of its recorded trials reach the budget (read while it runs
with `hpo export`, as the checkpoint is committed); then every trial from `hpo export`."""
import json
import os
import signal
import subprocess
import time

import kernels
import methods

POLL_SECONDS = 1.0


def command(hpo, method, kernel, seed, max_steps, kernel_dir, work, parallel=1):
    argv = [hpo, "run"] + methods.hpo_options(method, max_steps)
    argv += ["--seed", str(seed), "--parallel", str(parallel), "--no-progress", "--quiet",
             "--checkpoint", os.path.join(work, "run.h5"), "--checkpoint-interval", "1",
             "--run-dir", os.path.join(work, "trials")]
    for p in kernels.SPACES[kernel]:
        argv += ["--param", p.hpo_spec()]
    return argv + ["--"] + kernels.command(kernel, kernel_dir) + ["--epochs=%d" % max_steps]


def export(hpo, checkpoint):
    done = subprocess.run([hpo, "export", checkpoint, "--format", "json"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError("hpo export failed: " + done.stderr.strip())
    return json.loads(done.stdout)


def kernel_seconds(trials):
    return sum(t["end_time"] - t["start_time"] for t in trials)


def run_until(argv, work, budget):
    """Runs `hpo run` (argv) in `work` to its end or, with a budget, until its trials' kernel-seconds
    reach it (SIGTERM: hpo stops as for a time limit); every trial it recorded, as hpo export gives them."""
    checkpoint = os.path.join(work, "run.h5")
    with open(os.path.join(work, "hpo.err"), "w") as err:
        proc = subprocess.Popen(argv, cwd=work, stdout=subprocess.DEVNULL, stderr=err)
        try:
            while budget is not None and proc.poll() is None:
                time.sleep(POLL_SECONDS)
                if not os.path.exists(checkpoint):
                    continue
                try:
                    spent = kernel_seconds(export(argv[0], checkpoint))
                except (RuntimeError, ValueError):
                    continue  # the file is being created; next time
                if spent >= budget:
                    proc.send_signal(signal.SIGTERM)
                    break
            code = proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    if code not in (0, 3):  # 3: stopped by the signal, as meant
        with open(os.path.join(work, "hpo.err")) as f:
            raise RuntimeError("hpo run failed (exit %d): %s\n%s" % (code, " ".join(argv), f.read()[-2000:]))
    return export(argv[0], checkpoint)


def run(hpo, method, kernel, seed, budget, max_steps, kernel_dir, work):
    """[{start, end, fom, status, steps}] of every recorded trial, times in seconds from the start
    of the run, and the run's wall seconds."""
    trials = run_until(command(hpo, method, kernel, seed, max_steps, kernel_dir, work), work, budget)
    if not trials:
        raise RuntimeError("hpo recorded no trial")
    t0 = min(t["start_time"] for t in trials)
    return [{"start": t["start_time"] - t0, "end": t["end_time"] - t0, "fom": t["fom"],
             "status": t["status"], "steps": t.get("steps")} for t in sorted(trials, key=lambda t: t["id"])]
