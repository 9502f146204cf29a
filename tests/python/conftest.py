"""Shared fixtures of the Python package's tests: a scratch folder per test and small kernels."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS = os.path.join(HERE, "kernels")


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """Runs the test in its own empty folder (hpo.h5 and hpo-runs/ land there)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def kernel(workdir):
    """Copies tests/python/kernels/<name> into the test's folder and returns './<name>'."""
    def copy(name):
        shutil.copy(os.path.join(KERNELS, name), workdir / name)
        return "./" + name
    return copy


def run_python(script, *args, cwd, env=None, timeout=300, launcher=()):
    """Runs `script` (a str of Python) in a new interpreter with the package on its path."""
    path = os.path.join(str(cwd), "driver.py")
    with open(path, "w") as f:
        f.write(textwrap.dedent(script))
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(list(launcher) + [sys.executable, path, *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def mpirun(ranks):
    """The argv prefix that starts `ranks` processes under the build's MPI launcher."""
    return [os.environ.get("MPIEXEC", "mpirun"), "--oversubscribe", "-n", str(ranks)]
