"""Confirmation from Python (confirm_top, confirm_repeats; docs/confirm.md): the optimizers take the
keywords, the result's best is the configuration with the best mean (best_fom its mean, confirmed
its spread), hpo.load agrees, and a wrong value raises a clear error."""

import os
import statistics
import sys

import pytest

import hpo

NOISY = os.path.join(os.environ["HPO_SOURCE_DIR"], "tests", "kernels", "noisy_kernel.py")


def test_the_confirmed_best_is_the_best_mean(workdir):
    evaluator = hpo.Evaluator([sys.executable, NOISY, "--seed=@repeat"], num_parallel_evals=2)
    optimizer = hpo.random.Optimizer(evaluator, num_iters=10, seed=3, verbose=False, confirm_top=3, confirm_repeats=2)
    optimizer.optimize([["--x", (0.0, 1.0)]])
    trials = optimizer.result.trials
    assert len(trials) >= 10 + 3 * 2  # more if a configuration was pushed out of the top 3 while confirming
    assert all(t["status"] == "ok" for t in trials)
    runs = {}
    for t in trials:
        runs.setdefault(t["repeat_of"] if t["repeat_of"] is not None else t["id"], []).append(t["fom"])
    originals = sorted((t["fom"], t["id"]) for t in trials if t["repeat_of"] is None)
    assert all(len(runs[i]) == 3 for _, i in originals[:3])  # the final top 3 have their 2 repeats
    assert all(len(v) <= 3 for v in runs.values())
    full = {i: v for i, v in runs.items() if len(v) == 3}
    best = min(full, key=lambda i: (statistics.mean(full[i]), i))
    c = optimizer.confirmed
    assert c["trial"] == best and c["runs"] == 3 and c["failed"] == 0
    assert c["mean"] == pytest.approx(statistics.mean(full[best]))
    assert c["std"] == pytest.approx(statistics.stdev(full[best]))
    assert (c["min"], c["max"]) == (min(full[best]), max(full[best]))
    assert optimizer.best_fom == pytest.approx(c["mean"])
    assert optimizer.result.best_trial["id"] == best
    assert optimizer.best_params["--x"] == optimizer.result.best_trial["--x"]
    ranked = [t for t in trials if t["confirm_rank"] == 1]
    assert [t["id"] for t in ranked] == [best]
    loaded = hpo.load("hpo.h5")
    assert loaded.confirmed == c
    assert loaded.config["confirm_top"] == 3 and loaded.config["confirm_repeats"] == 2


def test_without_confirmation_nothing_is_confirmed(workdir):
    evaluator = hpo.Evaluator([sys.executable, NOISY, "--seed=@repeat"], num_parallel_evals=2)
    optimizer = hpo.random.Optimizer(evaluator, num_iters=4, seed=3, verbose=False)
    optimizer.optimize([["--x", (0.0, 1.0)]])
    assert optimizer.confirmed is None
    assert all(t["repeat_of"] is None and t["repeat"] == 0 for t in optimizer.result.trials)
    assert optimizer.best_fom == min(t["fom"] for t in optimizer.result.trials)


@pytest.mark.parametrize("keywords, error, text", [
    ({"confirm_top": -1}, ValueError, "confirm_top must be >= 0"),
    ({"confirm_top": 2, "confirm_repeats": 0}, ValueError, "confirm_repeats must be >= 1 with confirm_top 2"),
    ({"confirm_top": "3"}, TypeError, "confirm_top must be an int"),
    ({"confirm_repeats": 1.5}, TypeError, "confirm_repeats must be an int"),
])
def test_a_wrong_value_is_a_clear_error(workdir, keywords, error, text):
    evaluator = hpo.Evaluator([sys.executable, NOISY])
    with pytest.raises(error, match=text):
        hpo.genetic.Optimizer(evaluator, verbose=False, **keywords)
