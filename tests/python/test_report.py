"""hpo.report (issue 17): reports of real checkpoints that the real `hpo` program wrote, one per
strategy (random, grid, genetic with 2 demes, bayes, pbt, random pruned by asha) and the older
format versions in tests/fixtures: the PNGs are valid images of the expected names, count and
size, the page embeds exactly those images (data: URIs, nothing from the network) and the tables;
and one report opened in headless Chromium renders (not blank, no console message, every image
loaded).

The figures are drawn in this process (hpo.report.make_report, as `python3 -m hpo.report` does);
`python3 -m hpo.report` and `hpo report` as processes, with their errors, are in
tests/cli/report_cli.sh and tests/cli/report_bad_file.sh."""

import base64
import os
import re
import shutil
import subprocess
import sys

import pytest

import hpo
from hpo.report import make_report

matplotlib_image = pytest.importorskip("matplotlib.image")

HPO = os.environ.get("HPO_BIN", "hpo")
SCRIPTS = os.environ.get("HPO_TEST_SCRIPT_DIR", os.path.join(os.path.dirname(__file__), "..", "kernels"))
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ALL = {"history", "parameters", "parallel", "importance", "curves", "lineage", "schedule", "workers"}

# FoM = (x - 0.3)^2 + 0.1 ln(y)^2, plus 0.3 unless c is a; c=bad exits 3 (a failed trial).
KERNEL = r"""#!/usr/bin/env bash
x=0.5 y=1 c=a
for a in "$@"; do case $a in --x=*) x=${a#--x=};; --y=*) y=${a#--y=};; --c=*) c=${a#--c=};; esac; done
[[ $c == bad ]] && exit 3
awk -v x="$x" -v y="$y" -v c="$c" 'BEGIN { printf "FoM: %.9g\n", (x - 0.3)^2 + 0.1 * log(y)^2 + (c == "a" ? 0 : 0.3) }'
"""
SPACE = ["--param", "--x 0.5 [0.0,1.0]", "--param", "--y 1 [0.01,100] log", "--param", "--c a {a,b,bad}"]
COMMON = ["--no-progress", "--quiet", "--seed", "3"]

# name -> (hpo run arguments before `--`, the kernel command)
RUNS = {
    "random": (SPACE + ["--strategy", "random", "--evals", "24", "--parallel", "2"], ["./kernel.sh"]),
    "grid": (SPACE + ["--strategy", "grid", "--grid-size", "3", "--parallel", "2"], ["./kernel.sh"]),
    "genetic": (SPACE + ["--strategy", "genetic", "--demes", "2", "--pop-size", "6", "--generations", "3",
                         "--parallel", "2"], ["./kernel.sh"]),
    "bayes": (SPACE + ["--strategy", "bayes", "--evals", "16", "--parallel", "1"], ["./kernel.sh"]),
    "pbt": (["--param", "--lr 0.3 [0.01,1.0] log", "--strategy", "pbt", "--population", "4", "--rounds", "3",
             "--parallel", "2"],
            [sys.executable, os.path.join(SCRIPTS, "pbt_kernel.py"), "--ckpt=@checkpoint"]),
    # --confirm-top: a noisy kernel whose luckiest single run is not the best configuration on average.
    "confirm": (["--param", "--x 0.5 [0.0,1.0]", "--strategy", "random", "--evals", "12", "--confirm-top", "3",
                 "--confirm-repeats", "2", "--parallel", "1"],
                [sys.executable, os.path.join(SCRIPTS, "noisy_kernel.py"), "--seed=@repeat"]),
    "asha": (["--param", "--x 0.5 [0.0,1.0]", "--strategy", "random", "--evals", "20", "--prune", "asha",
              "--max-steps", "9", "--parallel", "2"],  # two at once: their intermediate values interleave
             # 50 ms a step: on a loaded machine a curve of 5 ms steps ended before a stop could land
             [os.path.join(SCRIPTS, "curve_kernel.sh"), "--steps=9", "--pause=0.05"]),
}

# The figures each report must have: the rest must be listed as not drawn, with the reason.
EXPECTED = {
    "random": {"history", "parameters", "parallel", "importance", "workers"},
    "grid": {"history", "parameters", "parallel", "importance", "workers"},
    "genetic": {"history", "parameters", "parallel", "importance", "lineage", "schedule", "workers"},
    "bayes": {"history", "parameters", "parallel", "importance", "workers"},
    "pbt": {"history", "parameters", "parallel", "importance", "lineage", "schedule", "workers"},
    "asha": {"history", "parameters", "curves", "workers"},  # plus parallel/importance if enough trials ended ok
}


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    """name -> the checkpoint of that run, each made once by `hpo run` on first use."""
    root = tmp_path_factory.mktemp("runs")
    with open(root / "kernel.sh", "w") as f:
        f.write(KERNEL)
    os.chmod(root / "kernel.sh", 0o755)
    made = {}

    def make(name):
        if name not in made:
            options, command = RUNS[name]
            path = str(root / (name + ".h5"))
            run = subprocess.run([HPO, "run", *options, *COMMON, "--run-dir", "runs-" + name, "--checkpoint", path,
                                  "--", *command], cwd=root, capture_output=True, text=True, timeout=300)
            assert run.returncode == 0, run.stderr
            made[name] = path
        return made[name]
    return make


def check_png(data, what):
    """A PNG that decodes, 1000 pixels wide (every figure is), of a sane height, not one colour."""
    assert data[:8] == PNG_SIGNATURE, what
    import io
    image = matplotlib_image.imread(io.BytesIO(data), format="png")
    assert image.ndim == 3 and image.shape[2] in (3, 4), (what, image.shape)
    assert image.shape[1] == 1000, (what, image.shape)
    assert 200 <= image.shape[0] <= 1300, (what, image.shape)
    assert image[:, :, :3].std() > 0.05, (what, "nearly one colour")


def check_report(path, out_dir, expected_drawn):
    """Makes the report of `path` into out_dir; checks the PNGs and the page; returns the page."""
    html_path = os.path.join(out_dir, "report.html")
    png_dir = os.path.join(out_dir, "png")
    figures = make_report(path, html_path=html_path, png_dir=png_dir)
    drawn = {f.name for f in figures if f.png is not None}
    assert {f.name for f in figures} == ALL
    assert drawn == expected_drawn, {f.name: f.note for f in figures}
    # The PNGs: one file per drawn figure, nothing else.
    assert sorted(os.listdir(png_dir)) == sorted(name + ".png" for name in drawn)
    pngs = {}
    for name in drawn:
        with open(os.path.join(png_dir, name + ".png"), "rb") as f:
            pngs[name] = f.read()
        check_png(pngs[name], name)
    # The page: self-contained, each drawn figure's section holding exactly its PNG, a note for each other.
    with open(html_path, encoding="utf-8") as f:
        page = f.read()
    assert not re.search(r'(src|href)\s*=\s*"(?!data:)', page), "the page refers to something outside itself"
    assert "http://" not in page and "https://" not in page
    sections = re.findall(r'<section class="figure" id="figure-([a-z]+)">.*?<img src="data:image/png;base64,([^"]+)"',
                          page, re.S)
    assert sorted(name for name, _ in sections) == sorted(drawn)
    assert page.count("<img ") == len(drawn)
    for name, encoded in sections:
        assert base64.b64decode(encoded) == pngs[name], name
    for name in ALL - drawn:
        assert 'id="note-%s"' % name in page, name
    for section in ("summary", "statuses", "configuration"):
        assert '<section id="%s">' % section in page
    return page


def status_rows(page):
    """The statuses table: status -> count."""
    table = re.search(r'<section id="statuses">.*?</table>', page, re.S).group(0)
    return {s: int(n) for s, n in re.findall(r'<tr><td>([a-z_]+)</td><td class="n">(\d+)</td>', table)}


@pytest.mark.parametrize("name", ["random", "grid", "genetic", "bayes", "pbt", "asha"])
def test_report_of_each_strategy(name, checkpoints, tmp_path):
    path = checkpoints(name)
    result = hpo.load(path)
    expected = set(EXPECTED[name])
    ok = sum(t["status"] == "ok" for t in result.trials)
    if name == "asha":
        assert any(t["status"] == "pruned" for t in result.trials)
        expected |= {"parallel"} if ok >= 4 else set()
        expected |= {"importance"} if ok >= 10 else set()
    page = check_report(path, str(tmp_path), expected)
    # The tables hold the run: its statuses counted, its strategy named, its best trial.
    counts = {}
    for t in result.trials:
        counts[t["status"]] = counts.get(t["status"], 0) + 1
    assert status_rows(page) == counts
    assert "<td>strategy</td><td>%s " % result.config["strategy"] in page
    assert "(trial %d)" % result.best_trial["id"] in page
    if name == "bayes":  # importance from the Gaussian process's length scales, not a forest
        assert "length scales" in re.search(r'id="figure-importance">.*?</section>', page, re.S).group(0)
    if name in ("random", "grid", "genetic"):  # the kernel fails every c=bad trial
        assert counts.get("failed", 0) > 0
    if name == "pbt":
        assert "member" in re.search(r'<section id="best">.*?</section>', page, re.S).group(0)


def test_report_of_a_confirmed_run(checkpoints, tmp_path):
    """--confirm-top: the page names the best configuration by its mean over its runs, with its
    spread and its repeats, and the history rings the repeats."""
    result = hpo.load(checkpoints("confirm"))
    confirmed = result.confirmed
    assert confirmed is not None and confirmed["runs"] == 3
    html_path = str(tmp_path / "report.html")
    figures = make_report(checkpoints("confirm"), html_path=html_path)
    assert "history" in {f.name for f in figures if f.png is not None}
    with open(html_path, encoding="utf-8") as f:
        page = f.read()
    summary = re.search(r'<section id="summary">.*?</section>', page, re.S).group(0)
    assert "best FoM (mean of 3 runs)" in summary, summary
    assert "trial %d and its repeats" % confirmed["trial"] in summary
    assert ("%.10g" % confirmed["mean"]) in summary
    repeats = sorted(t["id"] for t in result.trials if t.get("repeat_of") == confirmed["trial"])
    assert len(repeats) == 2
    best = re.search(r'<section id="best">.*?</section>', page, re.S).group(0)
    assert "<td>trial</td><td>%d</td>" % confirmed["trial"] in best, best
    assert ", ".join(str(i) for i in repeats) in best
    luckiest = min((t for t in result.trials if t["status"] == "ok"), key=lambda t: t["fom"])
    same = confirmed["trial"] in (luckiest["id"], luckiest.get("repeat_of"))
    assert ("luckiest single run" in summary) == (not same), summary


# fixture -> (format version, the figures): the bayes state of format 1 holds a fitted model
# (importance from its length scales); the format 1 genetic run's trials all have one FoM (no
# forest can rank the parameters: a note says so); none of them has parents or intermediate values.
FIXTURE_EXPECTED = {
    "format1-bayes-before-option-tables": (1, {"history", "parameters", "parallel", "importance", "workers"}),
    "format1-genetic-before-option-tables": (1, {"history", "parameters", "parallel", "workers"}),
    "format2-genetic-before-lineage": (2, {"history", "parameters", "parallel", "importance", "workers"}),
}


@pytest.mark.parametrize("fixture", sorted(FIXTURE_EXPECTED))
def test_report_of_older_checkpoint_versions(fixture, tmp_path):
    path = os.path.join(FIXTURES, fixture + ".h5")
    copy = tmp_path / (fixture + ".h5")
    shutil.copy(path, copy)  # the report never writes to the checkpoint: compared afterwards
    version, expected = FIXTURE_EXPECTED[fixture]
    page = check_report(str(copy), str(tmp_path), expected)
    assert "format version %d" % version in page
    if "bayes" in fixture:
        assert "length scales" in re.search(r'id="figure-importance">.*?</section>', page, re.S).group(0)
    if fixture == "format1-genetic-before-option-tables":
        assert "every successful trial has the same FoM" in page
    with open(path, "rb") as a, open(copy, "rb") as b:
        assert a.read() == b.read()


def browser_env(home):
    """The browser's environment: its own home, and none of the sanitizers' runtimes that the
    sanitized build preloads into this interpreter (they are for hpo's module, not for Chromium)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS")}
    env["HOME"] = str(home)
    return env


def test_report_renders_in_headless_chromium(checkpoints, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("chromium is not installed (Debian: apt-get install chromium; scripts/setup.sh installs it)")
    page_dir = tmp_path / "page"
    page_dir.mkdir()
    figures = make_report(checkpoints("genetic"), html_path=str(page_dir / "report.html"))
    drawn = sum(f.png is not None for f in figures)
    assert drawn == len(EXPECTED["genetic"])
    screenshot = tmp_path / "screenshot.png"
    profile = tmp_path / "profile"
    run = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=%s" % profile,
         "--enable-logging=stderr", "--v=0", "--window-size=1100,2400", "--virtual-time-budget=5000",
         "--screenshot=%s" % screenshot, "--dump-dom", (page_dir / "report.html").as_uri()],
        capture_output=True, text=True, timeout=120, env=browser_env(tmp_path))
    assert run.returncode == 0, run.stderr[-3000:]
    # The page's own script marks it once every image has decoded.
    assert 'data-images="loaded %d/%d"' % (drawn, drawn) in run.stdout, run.stdout[:500]
    # No console message at all: neither an error of the page's script nor a failed load.
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    # The screenshot shows something: many colours, and far from all white.
    image = matplotlib_image.imread(str(screenshot))
    assert image.shape[0] >= 1000 and image.shape[1] >= 1000, image.shape
    rgb = (image[:, :, :3] * 255).astype("uint8").reshape(-1, 3)
    colours = len({tuple(p) for p in rgb[::7]})
    non_white = (rgb.min(axis=1) < 240).mean()
    assert colours > 100, colours
    assert non_white > 0.01, non_white  # a blank page: 0; this one about 5 %, most of it white


def test_thinning_keeps_the_best_rows_and_is_repeatable():
    import numpy
    from hpo.report.thinning import thin

    rows = numpy.arange(100000)
    keep = numpy.array([3, 50000, 99999, 123456])  # the last is not among the rows: not added
    shown = thin(rows, 20000, keep)
    assert {3, 50000, 99999} <= set(shown.tolist()) and 123456 not in shown
    assert 20000 <= len(shown) <= 20003 and len(set(shown.tolist())) == len(shown)
    assert numpy.array_equal(shown, thin(rows, 20000, keep))  # the same figure every time
    assert numpy.array_equal(thin(rows[:500], 20000, keep), rows[:500])  # few rows: all of them
