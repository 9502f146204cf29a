"""Every optimizer and every keyword: the strategies' own (from their option tables), the seed's
aliases, the settings, and the errors."""

import inspect
import os
import sys

import pytest

import hpo

SPACE = [["--x", 0.5, (0.0, 1.0)], ["--n", 2, (1, 5)], ["--opt", "a", ["a", "b"]]]


@pytest.fixture
def evaluator(workdir, kernel):
    return hpo.Evaluator([sys.executable, kernel("quadratic.py")], num_parallel_evals=2)


def test_aliases_are_the_classes():
    assert hpo.GeneticOptimizer is hpo.genetic.Optimizer
    assert hpo.RandomOptimizer is hpo.random.Optimizer
    assert hpo.GridOptimizer is hpo.grid.Optimizer
    assert hpo.BayesOptimizer is hpo.bayes.Optimizer
    assert hpo.PbtOptimizer is hpo.pbt.Optimizer


@pytest.mark.parametrize("cls, strategy", [(hpo.genetic.Optimizer, "genetic"), (hpo.random.Optimizer, "random"),
                                           (hpo.grid.Optimizer, "grid"), (hpo.bayes.Optimizer, "bayes"),
                                           (hpo.pbt.Optimizer, "pbt")])
def test_help_lists_every_option_of_the_engine(cls, strategy):
    keywords = [row["keyword"] for row in hpo._core.strategy_options(strategy)]
    signature = inspect.signature(cls.__init__)
    for keyword in keywords + ["seed", "maximize", "log_fn", "checkpoint_fn", "resume", "verbose", "parallel",
                               "keep_checkpoints"]:
        assert keyword in signature.parameters
        assert keyword in cls.__doc__


def test_genetic_every_keyword(evaluator):
    optimizer = hpo.genetic.Optimizer(evaluator, generations=3, pop_size=4, num_demes=2, mutation_rate=0.3,
                                      crossover_rate=0.5, migration_interval=1, elites=1, mode="generational",
                                      log_fn="genetic.log", verbose=False, seed=7)
    result = optimizer.optimize(hpo.Params(SPACE))
    assert result is optimizer.result
    # README "Strategies": elites are not evaluated again after generation 0
    assert len(optimizer.trials) == 3 * 4 * 2 - (3 - 1) * 1 * 2
    assert {t["deme"] for t in optimizer.trials} == {0, 1}
    assert {t["generation"] for t in optimizer.trials} == {0, 1, 2}
    log = open("genetic.log").read()
    assert "pop_size=4" in log and "mutation_rate=0.3" in log and "migration after generation" in log
    assert optimizer.best_fom == min(t["fom"] for t in optimizer.trials if t["status"] == "ok")


def test_steady_state_mode(evaluator):
    optimizer = hpo.genetic.Optimizer(evaluator, generations=2, pop_size=4, mode="steady-state", verbose=False)
    optimizer.optimize(SPACE)
    assert len(optimizer.trials) == 8


def test_random_seed_spelling_and_determinism(evaluator):
    first = hpo.random.Optimizer(evaluator, num_iters=6, seed=11, checkpoint_fn="a.h5", verbose=False)
    second = hpo.random.Optimizer(evaluator, evals=6, seed=11, checkpoint_fn="b.h5", verbose=False)
    first.optimize(SPACE)
    second.optimize(SPACE)
    points = lambda o: [(t["--x"], t["--n"], t["--opt"]) for t in o.trials]
    assert len(first.trials) == 6
    assert points(first) == points(second)
    assert first.trials[0]["--x"] == 0.5  # the default point first


def test_seed_zero_draws_a_seed_and_keeps_it(evaluator):
    optimizer = hpo.random.Optimizer(evaluator, num_iters=3, seed=0, verbose=False)
    optimizer.optimize(SPACE)
    drawn = optimizer.seed
    assert drawn != 0
    assert hpo.load("hpo.h5").config["seed"] == drawn


def test_grid_chunk_size_is_its_parallelism(evaluator):
    optimizer = hpo.grid.Optimizer(evaluator, grid_size=2, chunk_size=1, verbose=False)
    optimizer.optimize([["--x", 0.5, (0.0, 1.0)], ["--n", 2, (2, 3)]])
    assert len(optimizer.trials) == 1 + 4  # the default point, then the grid
    spans = sorted((t["start_time"], t["end_time"]) for t in optimizer.trials)
    assert all(later[0] >= earlier[1] - 0.05 for earlier, later in zip(spans, spans[1:]))


def test_bayes_every_keyword(evaluator):
    optimizer = hpo.bayes.Optimizer(evaluator, num_iters=8, initial=4, acquisition="ucb", verbose=False)
    optimizer.optimize([["--x", 0.5, (0.0, 1.0)]])
    assert len(optimizer.trials) == 8
    assert optimizer.best_fom < 1.0 + 0.04


def test_maximize(evaluator):
    optimizer = hpo.grid.Optimizer(evaluator, grid_size=3, maximize=True, verbose=False)
    optimizer.optimize([["--x", (0.0, 1.0)]])
    assert optimizer.best_params["--x"] == 1.0


def test_no_checkpoint(evaluator):
    hpo.random.Optimizer(evaluator, num_iters=2, checkpoint_fn=None, verbose=False).optimize(SPACE)
    assert not os.path.exists("hpo.h5")


@pytest.mark.parametrize("make, error, words", [
    (lambda e: hpo.genetic.Optimizer(e, pop_size=-1), ValueError, ["pop_size"]),
    (lambda e: hpo.genetic.Optimizer(e, mutation_rate=1.5), ValueError, ["mutation_rate"]),
    (lambda e: hpo.genetic.Optimizer(e, mode="chaotic"), ValueError, ["chaotic"]),
    (lambda e: hpo.genetic.Optimizer(e, generations=2.5), TypeError, ["generations", "integer"]),
    (lambda e: hpo.genetic.Optimizer(e, generations=True), TypeError, ["generations"]),
    (lambda e: hpo.genetic.Optimizer(e, mutation_rate="0.1"), TypeError, ["mutation_rate"]),
    (lambda e: hpo.genetic.Optimizer(e, mutation_rate=float("nan")), ValueError, ["mutation_rate"]),
    (lambda e: hpo.genetic.Optimizer(e, keep_checkpoints="none"), ValueError, ["keep_checkpoints", "none"]),
    (lambda e: hpo.genetic.Optimizer(e, num_iters=5), TypeError, ["num_iters"]),
    (lambda e: hpo.random.Optimizer(e, evals=-1), ValueError, ["evals"]),
    (lambda e: hpo.random.Optimizer(e, evals=0), ValueError, ["evals"]),
    (lambda e: hpo.random.Optimizer(e, num_iters=5, evals=5), TypeError, ["num_iters and evals are the same option"]),
    (lambda e: hpo.random.Optimizer(e, evals=5, num_iters=5), TypeError, ["evals and num_iters are the same option"]),
    (lambda e: hpo.grid.Optimizer(e, chunk_size=1, parallel=2), TypeError, ["chunk_size and parallel"]),
    (lambda e: hpo.random.Optimizer(e, seed=-1), ValueError, ["seed"]),
    (lambda e: hpo.random.Optimizer(e, verbose="yes"), TypeError, ["verbose"]),
    (lambda e: hpo.grid.Optimizer(e, grid_size=1), ValueError, ["grid_size"]),
    (lambda e: hpo.bayes.Optimizer(e, acquisition="pi"), ValueError, ["pi"]),
    (lambda e: hpo.random.Optimizer("./train.py"), TypeError, ["Evaluator"]),
    (lambda e: hpo.random.Optimizer(e, generations=3), TypeError, ["generations"]),
])
def test_bad_arguments(evaluator, make, error, words):
    with pytest.raises(error) as raised:
        make(evaluator)
    for word in words:
        assert word in str(raised.value)


def test_before_optimize_and_bad_params(evaluator):
    optimizer = hpo.random.Optimizer(evaluator, num_iters=2, verbose=False)
    with pytest.raises(RuntimeError, match="optimize"):
        optimizer.best_fom
    with pytest.raises(TypeError):
        optimizer.optimize("--x [0,1]")
    with pytest.raises(ValueError, match="empty|parameter"):
        optimizer.optimize(hpo.Params())


def test_numpy_numbers_are_numbers(evaluator):
    numpy = pytest.importorskip("numpy")
    optimizer = hpo.genetic.Optimizer(evaluator, generations=numpy.int64(2), pop_size=numpy.int32(3),
                                      mutation_rate=numpy.float32(0.25), verbose=False)
    optimizer.optimize([["--x", numpy.float64(0.5), (numpy.float64(0.0), 1.0)], ["--n", numpy.int64(2), (1, 5)]])
    assert len(optimizer.trials) == 2 * 3 - 1
    assert "mutation_rate=0.25" in repr(optimizer)


@pytest.mark.parametrize("keywords, error, words", [
    ({"maximize": 1}, TypeError, ["maximize"]),
    ({"resume": "yes"}, TypeError, ["resume"]),
    ({"seed": 3.0}, TypeError, ["seed"]),
    ({"seed": 2**64}, ValueError, ["seed"]),
    ({"parallel": 2.5}, TypeError, ["parallel"]),
    ({"parallel": 2**70}, ValueError, ["parallel"]),
    ({"worker_timeout": -1}, ValueError, ["worker_timeout"]),
    ({"worker_timeout": float("nan")}, ValueError, ["worker_timeout"]),
    ({"worker_timeout": "x"}, TypeError, ["worker_timeout"]),
    ({"log_fn": 3}, TypeError, ["log_fn"]),
])
def test_settings_are_checked_when_the_optimizer_is_made(evaluator, keywords, error, words):
    with pytest.raises(error) as raised:
        hpo.random.Optimizer(evaluator, **keywords)
    for word in words:
        assert word in str(raised.value)


def test_none_is_the_default_and_positional_options_name_the_class(evaluator):
    optimizer = hpo.grid.Optimizer(evaluator, grid_size=None, worker_timeout=30, verbose=False)
    optimizer.optimize([["--x", 0.5, (0.0, 1.0)]])  # 0.5 lies on the default grid
    assert len(optimizer.trials) == hpo._core.strategy_options("grid")[0]["default"]
    with pytest.raises(TypeError, match="genetic.Optimizer"):
        hpo.genetic.Optimizer(evaluator, 20)


def test_engine_messages_use_the_packages_words(evaluator):
    with pytest.raises(ValueError) as raised:
        hpo.Evaluator("./train.py", nodes_per_eval=2)
    assert "nodes_per_eval" in str(raised.value) and "--nodes-per-eval" not in str(raised.value)
    with pytest.raises(ValueError) as raised:
        hpo.random.Optimizer(evaluator, verbose=False).optimize(hpo.Params())
    assert "hpo.Params" in str(raised.value) and "--param" not in str(raised.value)
