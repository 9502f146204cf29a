"""One Optuna run of the pruning bench: TPE (seeded) with a pruner, one trial at a time, each
trial running the kernel through subprocess and reading its FoM lines as they come:
trial.report(value, step) for the n-th line, and when should_prune() says so the kernel's
process group gets SIGTERM (SIGKILL after 5 s, as hpo does) and the trial is pruned. The study
stops once the kernels' wall seconds reach the budget."""
import math
import os
import signal
import subprocess
import time

import kernels
import methods

KILL_GRACE = 5.0


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=KILL_GRACE)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run(method, kernel, seed, budget, max_steps, kernel_dir, work):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    command = kernels.command(kernel, kernel_dir) + ["--epochs=%d" % max_steps]
    space = kernels.SPACES[kernel]
    trials = []
    t0 = time.time()

    def objective(trial):
        values = {}
        for p in space:
            if p.integer:
                values[p.name] = trial.suggest_int(p.name, int(p.lo), int(p.hi), log=p.log)
            else:
                values[p.name] = trial.suggest_float(p.name, p.lo, p.hi, log=p.log)
        argv = command + kernels.flags(values)
        record = {"start": time.time() - t0, "fom": None, "status": "ok", "steps": 0}
        proc = subprocess.Popen(argv, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True, start_new_session=True)
        pruned = False
        with proc.stdout:
            for line in proc.stdout:
                if "FoM: " not in line:
                    continue
                try:
                    value = float(line.split("FoM: ", 1)[1])
                except ValueError:
                    value = math.nan
                record["steps"] += 1
                record["fom"] = value
                trial.report(value, record["steps"])
                if trial.should_prune():
                    pruned = True
                    stop(proc)
                    break
        code = proc.wait()
        record["end"] = time.time() - t0
        trials.append(record)
        if pruned:
            record["status"] = "pruned"
            raise optuna.TrialPruned()
        if code != 0 or record["fom"] is None or not math.isfinite(record["fom"]):
            record["status"] = "failed"
            return math.nan  # Optuna records a failed trial
        return record["fom"]

    def enough(study, _trial):
        if sum(t["end"] - t["start"] for t in trials) >= budget:
            study.stop()

    sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(sampler=sampler, pruner=methods.optuna_pruner(methods.METHODS[method.name], max_steps),
                                direction="minimize")
    study.optimize(objective, callbacks=[enough], catch=())
    return trials
