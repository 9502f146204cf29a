"""hpo.Params / hpo.params in the seed's list form, explicit domains, and their errors."""

import math
import sys

import pytest

import hpo


def test_list_form_every_domain():
    params = hpo.Params([["--lr", 0.001, (1e-5, 0.1)],
                         ["--optimizer", "Adam", ["Adam", "SGD"]],
                         ["--c1_sz", 4, (2, 8)],
                         ["--dropout", (0.01, 1.0)],
                         ["--wd", 1e-4, hpo.log_range(1e-6, 1e-2)],
                         ["--batch", hpo.choice([16, 32, 64])]])
    assert params.flags == ["--lr", "--optimizer", "--c1_sz", "--dropout", "--wd", "--batch"]
    assert params.domain("--lr").kind == "float_range"
    assert params.domain("--c1_sz").kind == "int_range"
    assert params.domain("--optimizer").kind == "choice"
    assert params.domain("--wd").is_log
    assert params.get_params() == {"--lr": 0.001, "--optimizer": "Adam", "--c1_sz": 4, "--dropout": None,
                                   "--wd": 1e-4, "--batch": None}
    assert "--wd 1e-04 [1e-06,0.01] log" in repr(params)


def test_the_talks_spelling_is_the_same_class():
    params = hpo.params([["--lr", 0.001, (1e-5, 0.1)], ["--dropout", 0.5, (0.01, 1)]])
    assert isinstance(params, hpo.Params)
    assert params.domain("--dropout").kind == "float_range"  # (0.01, 1): one float makes it floats
    assert len(params) == 2


def test_add_and_explicit_domains():
    params = hpo.Params().add("--lr", hpo.log_range(1e-5, 0.1), default=1e-3).add("--layers", hpo.range(1, 4))
    assert params.flags == ["--lr", "--layers"]
    assert repr(hpo.range(1, 4)) == "hpo.range(1, 4)"
    assert repr(hpo.log_range(1e-5, 0.1)) == "hpo.log_range(1e-05, 0.1)"
    assert hpo.choice(["a", 2]).options == ["a", 2]


@pytest.mark.parametrize("entry, error, words", [
    (["--lr", 5.0, (0.0, 1.0)], ValueError, ["--lr"]),                  # default outside its range
    (["--opt", "Nadam", ["Adam", "SGD"]], ValueError, ["--opt"]),       # default not a choice
    (["--n", 2.5, (1, 8)], ValueError, ["--n"]),                        # integer range, fractional default
    (["--lr", (1.0, 0.0)], ValueError, ["--lr"]),                       # lo > hi
    (["--lr", hpo.log_range(0.0, 1.0)], ValueError, ["log"]),           # log needs lo > 0
    (["--lr", (0.0, 1.0, 2.0)], ValueError, ["(lo, hi)"]),              # not a pair
    (["--opt", []], ValueError, ["--opt"]),                             # empty choice
    (["--lr"], ValueError, ["[flag, default, domain]"]),                # no domain
    ([3, (0.0, 1.0)], TypeError, ["flag"]),                             # flag not a str
    (["--lr", "0.1", (0.0, 1.0)], ValueError, ["--lr"]),                # a text default for a range
    (["--lr", {"lo": 0}], TypeError, ["domain"]),                       # not a domain
    (["--flag", [None, 1]], TypeError, ["NoneType"]),                   # None is no option
    (["--lr", ("a", "b")], TypeError, ["number"]),                      # text bounds
])
def test_bad_entries_name_the_problem(entry, error, words):
    with pytest.raises(error) as raised:
        hpo.Params([entry])
    for word in words:
        assert word in str(raised.value)


def test_duplicate_flag_is_refused():
    with pytest.raises(ValueError, match="--lr"):
        hpo.Params([["--lr", (0.0, 1.0)], ["--lr", (0.0, 2.0)]])


def test_not_a_list():
    with pytest.raises(TypeError):
        hpo.Params("--lr 0.1 [0,1]")
    with pytest.raises(TypeError):
        hpo.Params(5)


def test_values_reach_the_kernel_typed(kernel):
    """Integer ranges give integers, choices give back the user's own options (16 is an int)."""
    evaluator = hpo.Evaluator([sys.executable, kernel("quadratic.py")])
    params = hpo.Params([["--n", 2, (2, 4)], ["--x", 0.3, [0.1, 0.3]], ["--opt", ["a", "b"]]])
    optimizer = hpo.grid.Optimizer(evaluator, grid_size=3, verbose=False, parallel=2)
    optimizer.optimize(params)
    assert len(optimizer.trials) == 3 * 2 * 2
    assert {t["--n"] for t in optimizer.trials} == {2, 3, 4}
    assert all(type(t["--n"]) is int for t in optimizer.trials)
    assert {t["--x"] for t in optimizer.trials} == {0.1, 0.3}
    assert optimizer.best_params == {"--n": 3, "--x": 0.3, "--opt": "b"}
    assert math.isclose(optimizer.best_fom, 0.0, abs_tol=1e-12)


def test_a_flag_of_several_words(workdir):
    """The seed's '--optimizer lr': the flag's words, then the value, as separate argv words."""
    kernel = workdir / "kernel.sh"
    kernel.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > args\necho "FoM: 1"\n')
    kernel.chmod(0o755)
    optimizer = hpo.random.Optimizer(hpo.Evaluator("./kernel.sh"), num_iters=1, verbose=False)
    optimizer.optimize([["--optimizer lr", 0.01, (0.001, 0.1)]])
    assert open("hpo-runs/0/args").read().split("\n")[:2] == ["--optimizer", "lr=0.01"]
    assert str(optimizer.best_params) == "--optimizer lr=0.01"
    assert hpo.load("hpo.h5").best_params == {"--optimizer lr": 0.01}  # its spec reads back from the checkpoint
    with pytest.raises(ValueError, match="whitespace"):
        hpo.Params([["--optimizer  lr", (0.001, 0.1)]])


def test_bool_choices_numeric_defaults_and_limits(workdir):
    kernel = workdir / "kernel.sh"
    kernel.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > args\necho "FoM: 1"\n')
    kernel.chmod(0o755)
    params = hpo.Params([["--bn", True, [True, False]], ["--batch", 32.0, [16, 32]]])
    assert params.get_params() == {"--bn": True, "--batch": 32.0}
    optimizer = hpo.random.Optimizer(hpo.Evaluator("./kernel.sh"), num_iters=1, verbose=False)
    optimizer.optimize(params)
    assert open("hpo-runs/0/args").read().split() == ["--bn=True", "--batch=32"]
    assert optimizer.best_params == {"--bn": True, "--batch": 32}  # the user's own objects back
    with pytest.raises(ValueError, match="2\\^53"):
        hpo.Params([["--n", (0, 10**30)]])
    with pytest.raises(ValueError, match="--n"):
        hpo.Params([["--n", 10**30, (0, 10)]])
