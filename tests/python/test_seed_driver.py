"""The seed's driver script, verbatim, in a new interpreter: its output, its logs, its checkpoint,
and running it again in the same folder as a user re-running a script does (the same script
returns the finished run, a larger budget extends it, another run sets the first aside)."""

import os

import pytest

import hpo
from conftest import run_python
from seed_driver import (DEME_LOGS, SEED_DRIVER, check_deme_logs, check_printed_best, digest, planned_trials,
                         rerun_alone, seed_folder, trial_dirs)

TRIALS = planned_trials(generations=20, pop_size=10, num_demes=4)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """The seed's script run once in a fresh folder (the tests after it each check or extend it)."""
    folder = tmp_path_factory.mktemp("seed")
    env = seed_folder(folder)
    done = run_python(SEED_DRIVER, cwd=folder, env=env)
    assert done.returncode == 0, done.stderr
    return folder, env, done


def test_prints_the_best_fom_and_the_best_params_as_flags(first_run):
    folder, _, done = first_run
    result = hpo.load(folder / "hpo.h5")
    check_printed_best(done.stdout.splitlines(), result)
    assert result.best_fom == min(trial["fom"] for trial in result.trials)


def test_checkpoint_holds_the_whole_budget(first_run):
    folder, _, _ = first_run
    result = hpo.load(folder / "hpo.h5")
    assert result.finished
    assert len(result.trials) == TRIALS
    assert [trial["id"] for trial in result.trials] == list(range(TRIALS))
    assert {trial["status"] for trial in result.trials} == {"ok"}
    assert {trial["deme"] for trial in result.trials} == {0, 1, 2, 3}
    assert max(trial["generation"] for trial in result.trials) == 19
    assert result.config["strategy"] == "genetic"
    assert "generations=20 pop_size=10 num_demes=4" in result.config["options"]
    assert [p["spec"] for p in result.config["space"]] == ["--lr 0.001 [1e-05,0.1]", "--dropout 0.5 [0.01,1.0]"]
    assert len(trial_dirs(folder)) == TRIALS
    for name in ("0", str(TRIALS - 1)):  # each trial ran the stand-in, which printed its epochs
        with open(folder / "hpo-runs" / name / "stdout") as f:
            assert "epoch 3: val_loss" in f.read()


def test_genetic_log(first_run):
    folder, _, done = first_run
    with open(folder / "genetic.log") as f:
        log = f.read()
    strategy_line = next(line for line in log.splitlines() if line.startswith("strategy: genetic ("))
    assert "generations=20 pop_size=10 num_demes=4" in strategy_line
    assert "planned evaluations: %d" % TRIALS in log
    for generation in range(20):
        assert "generation %d: global best" % generation in log
    assert "best parameters: %s" % done.stdout.splitlines()[1] in log


def test_progress_on_stderr_a_line_per_generation(first_run):
    _, _, done = first_run
    for generation in range(20):
        assert "hpo: generation %d done, global best " % generation in done.stderr
    assert "hpo: %d/%d evaluations, best " % (TRIALS, TRIALS) in done.stderr


def test_per_deme_logs(first_run):
    folder, _, _ = first_run
    check_deme_logs(folder, hpo.load(folder / "hpo.h5"))


def test_the_same_script_again_returns_the_finished_run_and_touches_nothing(first_run):
    folder, env, done = first_run
    assert rerun_alone(folder, env) == done.stdout
    assert not (folder / "hpo.1.h5").exists() and not (folder / "hpo-runs.1").exists()


def test_more_generations_extend_the_run(first_run):
    folder, env, _ = first_run
    before = hpo.load(folder / "hpo.h5").trials
    dirs = trial_dirs(folder)
    more = run_python(SEED_DRIVER.replace("generations=20", "generations=21"), cwd=folder, env=env)
    assert more.returncode == 0, more.stderr
    after = hpo.load(folder / "hpo.h5")
    assert after.finished
    assert len(after.trials) == len(before) + planned_trials(21, 10, 4) - planned_trials(20, 10, 4)
    assert after.trials[:len(before)] == before  # the trials run before are kept as they were
    assert after.best_fom <= min(trial["fom"] for trial in before)
    check_printed_best(more.stdout.splitlines(), after)
    check_deme_logs(folder, after)
    now = trial_dirs(folder)
    assert {name: now[name] for name in dirs} == dirs
    assert not (folder / "hpo.1.h5").exists() and not (folder / "hpo-runs.1").exists()


def test_another_run_sets_the_first_aside(first_run):
    folder, env, _ = first_run
    before = hpo.load(folder / "hpo.h5")
    checkpoint, dirs = digest(folder / "hpo.h5"), trial_dirs(folder)
    changed = SEED_DRIVER.replace("generations=20, pop_size=10", "generations=2, pop_size=4")
    other = run_python(changed, cwd=folder, env=env)
    assert other.returncode == 0, other.stderr
    assert "kept as 'hpo.1.h5'" in other.stderr
    # The first run, whole: its checkpoint under a new name, its trial directories beside it.
    assert digest(folder / "hpo.1.h5") == checkpoint
    assert hpo.load(folder / "hpo.1.h5").trials == before.trials
    assert trial_dirs(folder, "hpo-runs.1") == dirs
    # The new run in their place.
    new = hpo.load(folder / "hpo.h5")
    assert new.finished and "generations=2 pop_size=4" in new.config["options"]
    assert len(new.trials) == planned_trials(2, 4, 4) == len(trial_dirs(folder))
    check_printed_best(other.stdout.splitlines(), new)
    # Running the changed script once more continues its own run, and the first stays aside.
    again = run_python(changed, cwd=folder, env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == other.stdout
    assert not (folder / "hpo.2.h5").exists() and not (folder / "hpo-runs.2").exists()


def test_another_run_keeps_the_first_runs_log(tmp_path):
    """The first run's log and per-deme logs survive a new run in the folder, wherever they are kept
    (they were truncated by the new run once, though the checkpoint and trial directories were kept)."""
    env = seed_folder(tmp_path)
    small = SEED_DRIVER.replace("generations=20, pop_size=10", "generations=2, pop_size=4")
    first = run_python(small, cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    first_logs = {}
    for name in ["genetic.log"] + DEME_LOGS:
        with open(tmp_path / name) as f:
            first_logs[name] = f.read()
    second = run_python(small.replace("pop_size=4", "pop_size=3"), cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    logs = {}
    for name in os.listdir(tmp_path):
        if name.endswith(".log"):
            with open(tmp_path / name) as f:
                logs[name] = f.read()
    for name, text in first_logs.items():
        assert any(log.startswith(text) for log in logs.values()), "the first run's %s is lost" % name
    assert "pop_size=3" in logs["genetic.log"] and "pop_size=3" in logs[DEME_LOGS[0]]
