"""The installed package: `cmake --install` of the build to a prefix puts hpo and crayai in
HPO_PYTHON_INSTALL_DIR, from where they import and run a search in any directory, without the
build tree."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import KERNELS


def build_dir():
    hpo_bin = os.environ.get("HPO_BIN")
    if not hpo_bin:
        pytest.skip("HPO_BIN (the build's bin/hpo) is not set: no build to install")
    return os.path.dirname(os.path.dirname(hpo_bin))


def cached(build, name):
    with open(os.path.join(build, "CMakeCache.txt")) as f:
        match = re.search(r"^%s:[A-Z]+=(.*)$" % re.escape(name), f.read(), re.MULTILINE)
    assert match, "%s is not in %s/CMakeCache.txt" % (name, build)
    return match.group(1)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The Python packages' directory under a fresh install prefix."""
    build = build_dir()
    prefix = tmp_path_factory.mktemp("prefix")
    done = subprocess.run(["cmake", "--install", build, "--prefix", str(prefix)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return prefix / cached(build, "HPO_PYTHON_INSTALL_DIR")


def run_installed(installed, cwd, code):
    """`code` in a new interpreter that sees the installed packages and not the build tree's."""
    env = dict(os.environ, PYTHONPATH=str(installed), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_packages_are_installed(installed):
    assert (installed / "hpo" / "__init__.py").is_file()
    assert list((installed / "hpo").glob("_core*.so"))
    assert (installed / "crayai" / "__init__.py").is_file()
    assert not list(installed.rglob("__pycache__"))


def test_import_and_a_search_from_another_directory(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(os.path.join(KERNELS, "quadratic.py"), elsewhere)
    code = """
import json, sys
import hpo, crayai
from crayai import hpo as seed_hpo
evaluator = hpo.Evaluator([sys.executable, "./quadratic.py"], num_parallel_evals=2)
optimizer = hpo.random.Optimizer(evaluator, num_iters=6, seed=4, verbose=False)
optimizer.optimize([["--x", 0.5, (0.0, 1.0)], ["--n", 2, (1, 5)]])
print(json.dumps({"files": [hpo.__file__, hpo._core.__file__, crayai.__file__], "same": seed_hpo is hpo,
                  "best_fom": optimizer.best_fom, "foms": [t["fom"] for t in optimizer.trials],
                  "statuses": sorted({t["status"] for t in optimizer.trials})}))
"""
    done = run_installed(installed, elsewhere, code)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    for path in out["files"]:  # the installed copies, not the build tree's nor another install's
        assert os.path.realpath(path).startswith(os.path.realpath(str(installed)) + os.sep), path
    assert out["same"]
    assert out["statuses"] == ["ok"] and len(out["foms"]) == 6
    assert out["best_fom"] == min(out["foms"])
    assert (elsewhere / "hpo.h5").is_file() and len(os.listdir(elsewhere / "hpo-runs")) == 6
