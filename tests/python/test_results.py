"""Results: best_fom, best_params, trials (hpo export's columns), trials_dataframe(), hpo.load."""

import csv
import os
import subprocess
import sys

import pytest

import hpo

SPACE = [["--x", 0.5, (0.0, 1.0)], ["--n", 2, (1, 5)], ["--opt", "a", ["a", "b"]]]


@pytest.fixture
def finished(workdir, kernel):
    evaluator = hpo.Evaluator([sys.executable, kernel("quadratic.py")], num_parallel_evals=2)
    optimizer = hpo.random.Optimizer(evaluator, num_iters=10, seed=3, verbose=False)
    optimizer.optimize(SPACE)
    return optimizer


def test_best_params_print_as_flags_and_index_like_a_dict(finished):
    best = finished.best_params
    assert str(best) == "--x=%r --n=%d --opt=%s" % (best["--x"], best["--n"], best["--opt"])
    assert best.args == str(best).split()
    assert set(best) == {"--x", "--n", "--opt"}
    assert isinstance(best, dict)
    trial = finished.best_trial
    assert (trial["--x"], trial["--n"], trial["--opt"]) == (best["--x"], best["--n"], best["--opt"])
    assert finished.best_fom == trial["fom"] == min(t["fom"] for t in finished.trials)


def test_trials_have_every_column_of_hpo_export(finished):
    export = subprocess.run([os.environ["HPO_BIN"], "export", "hpo.h5", "-o", "trials.csv"], capture_output=True,
                            text=True)
    assert export.returncode == 0, export.stderr
    with open("trials.csv") as f:
        rows = list(csv.DictReader(f))
    assert list(finished.trials[0].keys()) == list(rows[0].keys())
    assert [t["id"] for t in finished.trials] == [int(r["id"]) for r in rows]
    for trial, row in zip(finished.trials, rows):
        assert trial["status"] == row["status"]
        assert trial["--n"] == int(row["--n"])
        assert trial["--opt"] == row["--opt"]
        assert trial["fom"] == pytest.approx(float(row["fom"]))
        assert trial["member"] == int(row["member"])
        assert trial["parent"] == (int(row["parent"]) if row["parent"] else None)  # None: no parent


def test_trials_dataframe(finished):
    frame = finished.trials_dataframe()
    assert len(frame) == 10
    assert list(frame.columns) == list(finished.trials[0].keys())
    assert frame["fom"].min() == finished.best_fom
    assert frame.loc[frame["fom"].idxmin(), "id"] == finished.best_trial["id"]


def test_pandas_is_imported_only_when_asked(workdir):
    done = subprocess.run([sys.executable, "-c", "import sys, hpo; print('pandas' in sys.modules)"],
                          capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_load_gives_the_same_objects(finished):
    loaded = hpo.load("hpo.h5")
    assert loaded.trials == finished.trials
    assert loaded.best_fom == finished.best_fom
    assert dict(loaded.best_params) == dict(finished.best_params)
    assert str(loaded.best_params) == str(finished.best_params)
    assert loaded.finished is True
    assert loaded.config["strategy"] == "random"
    assert loaded.config["seed"] == 3
    assert "evals=10" in loaded.config["options"]
    assert len(loaded.trials_dataframe()) == 10


@pytest.mark.parametrize("content", [b"", b"not an hdf5 file\n" * 100])
def test_load_refuses_what_is_not_a_checkpoint(workdir, content):
    with open("broken.h5", "wb") as f:
        f.write(content)
    with pytest.raises(hpo.CheckpointError, match="broken.h5"):
        hpo.load("broken.h5")
    assert issubclass(hpo.CheckpointError, ValueError)


def test_load_missing_file(workdir):
    with pytest.raises(hpo.CheckpointError, match="missing.h5"):
        hpo.load("missing.h5")


def test_no_successful_trial(workdir, kernel):
    evaluator = hpo.Evaluator([sys.executable, kernel("quadratic.py"), "--fail=1"])
    optimizer = hpo.random.Optimizer(evaluator, num_iters=3, verbose=False)
    optimizer.optimize([["--x", (0.0, 1.0)]])
    assert [t["status"] for t in optimizer.trials] == ["failed"] * 3
    assert not optimizer.result.has_best
    with pytest.raises(RuntimeError, match="no trial succeeded"):
        optimizer.best_fom
    with pytest.raises(RuntimeError, match="no trial succeeded"):
        optimizer.best_params
    assert "no successful trial" in repr(optimizer.result)


def test_a_choice_named_like_a_column(workdir):
    """A flag that is also a field's name has its column as param:<flag>; the field keeps its own."""
    kernel = workdir / "kernel.sh"
    kernel.write_text('#!/bin/sh\necho "FoM: 0.25"\n')
    kernel.chmod(0o755)
    optimizer = hpo.random.Optimizer(hpo.Evaluator("./kernel.sh"), num_iters=2, verbose=False)
    optimizer.optimize([["fom", 1, [1, 2]], ["status", "a", ["a", "b"]]])
    for trials in (optimizer.trials, hpo.load("hpo.h5").trials):
        for trial in trials:
            assert trial["fom"] == 0.25 and trial["status"] == "ok"
            assert trial["param:fom"] in (1, 2) and trial["param:status"] in ("a", "b")
