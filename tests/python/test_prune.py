"""The pruning keywords (issue 14) on every optimizer: generated from the engine's table, listed in
help(), checked where the optimizer is made, stored in the checkpoint."""

import inspect
import sys

import pytest

import hpo

SPACE = [["--x", 0.5, (0.0, 1.0)], ["--n", 2, (1, 5)]]
KEYWORDS = ["prune", "max_steps", "min_steps", "reduction_factor", "median_warmup_steps", "median_min_trials",
            "median_interval"]
CLASSES = [hpo.genetic.Optimizer, hpo.random.Optimizer, hpo.grid.Optimizer, hpo.bayes.Optimizer]


@pytest.fixture
def evaluator(workdir, kernel):
    return hpo.Evaluator([sys.executable, kernel("quadratic.py")], num_parallel_evals=2)


def test_the_keywords_are_the_engines_table():
    rows = hpo._core.prune_options()
    assert [row["keyword"] for row in rows] == KEYWORDS
    assert rows[0]["default"] == "none" and rows[0]["flag"] == "--prune"


@pytest.mark.parametrize("cls", CLASSES)
def test_help_lists_them_with_their_defaults(cls):
    signature = inspect.signature(cls.__init__)
    for row in hpo._core.prune_options():
        assert signature.parameters[row["keyword"]].default == row["default"]
        assert "%s (%s, default %r)" % (row["keyword"], row["flag"], row["default"]) in cls.__doc__
    assert "Pruning" in cls.__doc__


@pytest.mark.parametrize("cls", CLASSES)
def test_every_optimizer_takes_them_and_stores_them(evaluator, cls):
    options = {"generations": 1, "pop_size": 2} if cls is hpo.genetic.Optimizer else (
        {"grid_size": 2} if cls is hpo.grid.Optimizer else {"evals": 2})
    optimizer = cls(evaluator, prune="asha", max_steps=9, min_steps=2, reduction_factor=2, verbose=False, **options)
    assert "prune='asha'" in repr(optimizer) and "max_steps=9" in repr(optimizer)
    optimizer.optimize(SPACE)
    stored = hpo.load("hpo.h5").config["prune"]
    assert stored == {"prune": "asha", "max_steps": 9, "min_steps": 2, "reduction_factor": 2,
                      "median_warmup_steps": 0, "median_min_trials": 5, "median_interval": 1}


def test_median_keywords_and_none(evaluator):
    optimizer = hpo.random.Optimizer(evaluator, evals=2, prune="median", median_warmup_steps=2, median_min_trials=1,
                                     median_interval=3, max_steps=None, verbose=False)
    optimizer.optimize(SPACE)
    stored = hpo.load("hpo.h5").config["prune"]
    assert (stored["prune"], stored["median_warmup_steps"], stored["median_min_trials"],
            stored["median_interval"], stored["max_steps"]) == ("median", 2, 1, 3, 0)
    hpo.random.Optimizer(evaluator, evals=1, checkpoint_fn="plain.h5", verbose=False).optimize(SPACE)
    assert hpo.load("plain.h5").config["prune"]["prune"] == "none"


@pytest.mark.parametrize("keywords, error, words", [
    ({"prune": "sometimes"}, ValueError, ["prune", "sometimes"]),
    ({"prune": "hyperband"}, ValueError, ["max_steps"]),
    ({"prune": "asha", "max_steps": -1}, ValueError, ["max_steps"]),
    ({"prune": "asha", "min_steps": 0}, ValueError, ["min_steps"]),
    ({"prune": "asha", "max_steps": 4, "min_steps": 4}, ValueError, ["min_steps", "max_steps"]),
    ({"prune": "asha", "reduction_factor": 1}, ValueError, ["reduction_factor"]),
    ({"prune": "median", "median_warmup_steps": -2}, ValueError, ["median_warmup_steps"]),
    ({"prune": "median", "median_min_trials": 0}, ValueError, ["median_min_trials"]),
    ({"prune": "median", "median_interval": 0}, ValueError, ["median_interval"]),
    ({"prune": 3}, TypeError, ["prune"]),
    ({"max_steps": 2.5}, TypeError, ["max_steps", "integer"]),
    ({"reduction_factor": True}, TypeError, ["reduction_factor"]),
])
@pytest.mark.parametrize("cls", [hpo.random.Optimizer, hpo.genetic.Optimizer])
def test_bad_values_raise_naming_the_keyword(evaluator, cls, keywords, error, words):
    with pytest.raises(error) as raised:
        cls(evaluator, **keywords)
    for word in words:
        assert word in str(raised.value)
    assert "--" not in str(raised.value)  # the package's words, not the command line's


@pytest.mark.parametrize("cls, options", [(hpo.random.Optimizer, {"evals": 8}),
                                          (hpo.genetic.Optimizer, {"generations": 2, "pop_size": 4})])
def test_the_keywords_reach_the_run(workdir, kernel, cls, options):
    # One evaluation at a time: ASHA decides in a known order, at the rungs 1, 3 and 9 (below 27).
    evaluator = hpo.Evaluator([sys.executable, kernel("curve.py")], num_parallel_evals=1)
    optimizer = cls(evaluator, prune="asha", max_steps=27, min_steps=1, verbose=False, seed=4, **options)
    optimizer.optimize([["--x", 0.5, (0.0, 1.0)]])
    trials = optimizer.trials
    pruned = [t for t in trials if t["status"] == "pruned"]
    assert pruned, "no trial was pruned"
    for t in trials:
        if t["status"] == "ok":
            assert t["steps"] == 27
        else:
            assert t["status"] == "pruned" and t["steps"] in (1, 3, 9)
            assert t["fom"] == pytest.approx(t["--x"] + 1.0 / t["steps"])  # its last value
    # A pruned trial is never the best, though its last value may be lower than a final FoM.
    assert optimizer.best_trial["status"] == "ok"
    # The first trial at a rung always goes on: the default point (trial 0) ran to its end.
    assert trials[0]["status"] == "ok"
