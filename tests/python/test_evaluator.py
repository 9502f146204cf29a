"""hpo.Evaluator: the seed's keywords, accepted with their meaning or refused by name."""

import os
import sys

import pytest

import hpo


@pytest.mark.parametrize("keywords, words", [
    ({"launcher": "urika"}, ["urika"]),
    ({"urika_args": "-x"}, ["urika_args"]),
    ({"launcher": "pbs"}, ["launcher", "pbs"]),
    ({"workload_manager": "pbs"}, ["workload_manager"]),
    ({"launcher": "wlm", "workload_manager": "slurm"}, ["same setting"]),
    ({"nodes": 4}, ["nodes=4", "wlm"]),
    ({"launcher": "wlm", "nodes": 1, "nodes_per_eval": 2}, ["nodes_per_eval"]),
    ({"alloc_jobid": 123}, ["alloc_jobid", "wlm"]),
    ({"launcher": "wlm", "alloc_jobid": "12; rm -rf"}, ["alloc_jobid"]),
    ({"nodes_per_eval": 0}, ["nodes_per_eval"]),
    ({"num_parallel_evals": 0}, ["num_parallel_evals"]),
    ({"timeout": -1}, ["timeout"]),
    ({"fom": ""}, ["prefix"]),
    ({"fom": "a", "fom_prefix": "b"}, ["fom"]),
    ({"arg_style": "colon"}, ["colon"]),
])
def test_bad_keywords_raise_value_error_naming_them(keywords, words):
    with pytest.raises(ValueError) as raised:
        hpo.Evaluator("./train.py", **keywords)
    for word in words:
        assert word in str(raised.value)


@pytest.mark.parametrize("keywords", [{"timeout": "10"}, {"nodes": 1.5}, {"verbose": "yes"}, {"run_path": 3}])
def test_wrong_types_raise_type_error(keywords):
    with pytest.raises(TypeError):
        hpo.Evaluator("./train.py", **keywords)


def test_command_forms():
    assert hpo.Evaluator("./train.py --epochs 3 'a b'").command == ["./train.py", "--epochs", "3", "a b"]
    assert hpo.Evaluator(["./train.py", "a b"]).command == ["./train.py", "a b"]
    with pytest.raises(ValueError):
        hpo.Evaluator("")
    with pytest.raises(TypeError):
        hpo.Evaluator(42)


def test_python_means_this_interpreter_when_not_on_path(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # neither python nor python3 there
    assert hpo.Evaluator("python source/train_model.py").command == [sys.executable, "source/train_model.py"]
    assert hpo.Evaluator("python3 x.py").command[0] == sys.executable


def test_launchers_map_to_hpos():
    assert hpo.Evaluator("./t", launcher="wlm").launcher == "srun"
    assert hpo.Evaluator("./t", workload_manager="slurm").launcher == "srun"
    assert hpo.Evaluator("./t", workload_manager="local").launcher == "local"
    assert hpo.Evaluator("./t").launcher == "local"
    assert hpo.Evaluator("./t", launcher="mpirun", launch_args="-n 2").launcher == "mpirun"


def test_run_path_fom_prefix_and_space_style(workdir):
    kernel = workdir / "kernel.sh"
    kernel.write_text('#!/bin/sh\n[ "$1" = --x ] || exit 3\necho "loss= $2"\n')
    kernel.chmod(0o755)
    evaluator = hpo.Evaluator("./kernel.sh", run_path="runs", fom="loss= ", arg_style="space")
    optimizer = hpo.random.Optimizer(evaluator, num_iters=4, verbose=False)
    optimizer.optimize([["--x", 0.5, (0.0, 1.0)]])
    assert [t["status"] for t in optimizer.trials] == ["ok"] * 4
    assert optimizer.best_fom == min(t["--x"] for t in optimizer.trials)
    assert sorted(os.listdir("runs")) == ["0", "1", "2", "3"]


def test_timeout_and_num_parallel_evals(workdir, kernel):
    evaluator = hpo.Evaluator([sys.executable, kernel("quadratic.py")], timeout=1, kill_grace=1, num_parallel_evals=1)
    optimizer = hpo.grid.Optimizer(evaluator, grid_size=2, verbose=False)
    optimizer.optimize([["--sleep", [0, 30]]])
    by_sleep = {t["--sleep"]: t for t in optimizer.trials}
    assert by_sleep[0]["status"] == "ok"
    assert by_sleep[30]["status"] == "timeout"
    assert optimizer.result.config is None  # a run's result (hpo.load fills config)
    # one at a time: the trials did not overlap
    first, second = sorted(optimizer.trials, key=lambda t: t["start_time"])
    assert second["start_time"] >= first["end_time"] - 0.05


def test_wlm_outside_slurm_says_how(workdir, monkeypatch, tmp_path):
    """No Slurm commands and no allocation: a clear error naming what is needed, no trial run."""
    for name in ("SLURM_JOB_ID", "SLURM_JOBID", "SLURM_JOB_NODELIST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    evaluator = hpo.Evaluator([sys.executable, "-c", "print('FoM: 1')"], launcher="wlm", alloc_args="-J x --time=5")
    optimizer = hpo.random.Optimizer(evaluator, num_iters=2, verbose=False)
    with pytest.raises(RuntimeError, match="salloc"):
        optimizer.optimize([["--x", (0.0, 1.0)]])
    assert not os.path.exists("hpo-runs")


def test_src_path_is_in_every_trial_directory(workdir):
    """The seed's src_path: the kernel finds its sources' files from its own run directory."""
    (workdir / "source").mkdir()
    (workdir / "source" / "offset.txt").write_text("0.25\n")
    (workdir / "source" / "train_model.py").write_text(
        "import sys\nx = float(sys.argv[1].split('=')[1])\n"
        "offset = float(open('source/offset.txt').read())  # relative to the trial directory\n"
        "print('FoM:', (x - offset) ** 2)\n")
    evaluator = hpo.Evaluator("python source/train_model.py", src_path="source", run_path="run")
    optimizer = hpo.grid.Optimizer(evaluator, grid_size=5, verbose=False)
    optimizer.optimize([["--x", 0.5, (0.0, 1.0)]])
    assert [t["status"] for t in optimizer.trials] == ["ok"] * 5
    assert optimizer.best_params["--x"] == 0.25
    assert os.path.islink("run/0/source")
    assert os.path.realpath("run/0/source") == str(workdir / "source")


@pytest.mark.parametrize("src_path, error, words", [
    ("missing", ValueError, ["src_path", "missing", "does not exist"]),
    (["a/data", "b/data"], ValueError, ["src_path", "data"]),
    (3, TypeError, ["src_path"]),
])
def test_bad_src_path(workdir, src_path, error, words):
    for d in ("a/data", "b/data"):
        os.makedirs(d)
    with pytest.raises(error) as raised:
        hpo.Evaluator("./train.py", src_path=src_path)
    for word in words:
        assert word in str(raised.value)
    assert "--stage" not in str(raised.value)


def test_verbose_echoes_the_kernels_output(workdir):
    script = """
        import sys
        import hpo
        evaluator = hpo.Evaluator([sys.executable, "-c", "print('hello from the kernel'); print('FoM: 1')"],
                                  verbose=True)
        hpo.random.Optimizer(evaluator, num_iters=2, verbose=False).optimize([["--x", (0.0, 1.0)]])
    """
    from conftest import run_python
    done = run_python(script, cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert "[trial 0] hello from the kernel" in done.stderr
    assert "[trial 1] FoM: 1" in done.stderr
    quiet = run_python(script.replace("verbose=True", "verbose=False"), cwd=workdir)
    assert "hello from the kernel" not in quiet.stderr


def test_the_mpirun_launcher_needs_no_allocation(workdir, monkeypatch, tmp_path):
    """launcher='mpirun' outside Slurm: each evaluation is an mpirun job on this node, no salloc."""
    for name in ("SLURM_JOB_ID", "SLURM_JOBID", "SLURM_JOB_NODELIST"):
        monkeypatch.delenv(name, raising=False)
    evaluator = hpo.Evaluator([sys.executable, "-c", "import os; print('FoM:', os.environ['OMPI_COMM_WORLD_SIZE'])"],
                              launcher="mpirun", launch_args="-n 2 --oversubscribe")
    optimizer = hpo.random.Optimizer(evaluator, num_iters=1, verbose=False)
    optimizer.optimize([["--x", (0.0, 1.0)]])
    assert [t["status"] for t in optimizer.trials] == ["ok"], optimizer.trials[0]["message"]
    assert optimizer.best_fom == 2.0  # two ranks in the kernel's own MPI job


def test_a_bare_word_naming_a_file_warns(workdir):
    (workdir / "train.py").write_text("print('FoM: 1')\n")
    with pytest.warns(UserWarning, match="./train.py"):
        hpo.Evaluator("python train.py")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hpo.Evaluator("python ./train.py --epochs 3")  # a path, and a value that names no file


@pytest.mark.parametrize("make", [
    lambda: hpo.Evaluator("./train.py a\0b"),
    lambda: hpo.Evaluator(["./train.py", "a\0b"]),
    lambda: hpo.Evaluator("./train.py", fom="F\0"),
    lambda: hpo.Params([["--x\0y", (0.0, 1.0)]]),
    lambda: hpo.Params([["--c", ["a", "c\0d"]]]),
    lambda: hpo.Evaluator("./train.py", nodes_per_eval=2**31),
])
def test_nul_bytes_and_huge_counts_are_refused(make):
    with pytest.raises(ValueError):
        make()
