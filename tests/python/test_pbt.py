"""Population-based training from Python (hpo.pbt.Optimizer) and the seed's checkpoint-inheriting
genetic search (Evaluator checkpoint, gens_per_epoch): each trial's checkpoint directory, its copy
of its parent's, the lineage in `trials` (member, parent), keep_checkpoints, and the errors.

The kernel (kernels/counter.py) keeps the ids of the trials that trained its "model" in its
checkpoint directory, rewriting the file in place: a trial's directory shows exactly the chain of
trials it continued, and a parent's directory that a child's write leaked into shows it too."""

import os
import sys

import pytest

import hpo

SPACE = [["--lr", 0.1, (0.0, 1.0)]]


def counter_evaluator(kernel, *words, **keywords):
    """The counter kernel, its checkpoint directory given as `--dir=@checkpoint` (and checked
    against HPO_CHECKPOINT_DIR by the kernel)."""
    return hpo.Evaluator([sys.executable, kernel("counter.py"), "--dir=@checkpoint", *words], **keywords)


def lineage(trials, trial):
    """The ids of the trials `trial` continued, oldest first, then its own: its parents' chain."""
    by_id = {t["id"]: t for t in trials}
    chain = [trial["id"]]
    while by_id[chain[-1]]["parent"] is not None:
        chain.append(by_id[chain[-1]]["parent"])
    return chain[::-1]


def trained_by(root, trial_id, name="state"):
    """The ids the kernel wrote into trial `trial_id`'s checkpoint directory."""
    with open(os.path.join(root, str(trial_id), name)) as f:
        return [int(word) for word in f.read().split()]


def test_pbt_members_parents_and_the_checkpoints_they_continue(workdir, kernel):
    population, rounds = 4, 4
    optimizer = hpo.pbt.Optimizer(counter_evaluator(kernel), population=population, rounds=rounds,
                                  exploit_fraction=0.5, resample_probability=0.25, keep_checkpoints="all",
                                  seed=5, parallel=1, verbose=False)  # one worker: a fixed order of results
    optimizer.optimize(hpo.Params(SPACE))
    trials = optimizer.trials
    assert len(trials) == population * rounds
    assert all(t["status"] == "ok" for t in trials), [t["message"] for t in trials]
    # Each member trains every round once; round 0 starts from nothing, every later round from a
    # checkpoint (all rounds succeed): its own member's or, exploiting, a better member's.
    assert sorted((t["member"], t["generation"]) for t in trials) == [(m, r) for m in range(population)
                                                                      for r in range(rounds)]
    by_id = {t["id"]: t for t in trials}
    for t in trials:
        assert (t["parent"] is None) == (t["generation"] == 0), t
        if t["parent"] is not None:
            assert t["parent"] < t["id"]
            parent = by_id[t["parent"]]
            if parent["member"] == t["member"]:  # not exploiting: the member's own previous round
                assert parent["generation"] == t["generation"] - 1
    # Some member exploited another (half the population is the bottom fraction, with exploit_fraction=0.5).
    assert any(by_id[t["parent"]]["member"] != t["member"] for t in trials if t["parent"] is not None)
    # Every directory holds the chain of trials that trained it: the counter is the lineage's length,
    # and no child's rewrite reached its parent's copy.
    root = os.path.join(workdir, "hpo-runs", "checkpoints")
    for t in trials:
        assert trained_by(root, t["id"]) == lineage(trials, t)
    # The FoM counts the rounds trained: the kernel's 1 / rounds.
    for t in trials:
        lr = t["--lr"]
        assert t["fom"] == pytest.approx((lr - 0.3) ** 2 + 1.0 / len(lineage(trials, t)))
    # The checkpoint file holds the same lineage.
    loaded = hpo.load("hpo.h5")
    assert [(t["id"], t["member"], t["parent"]) for t in loaded.trials] == \
           [(t["id"], t["member"], t["parent"]) for t in trials]
    assert loaded.config["strategy"] == "pbt"


def test_pbt_keep_checkpoints_live_keeps_only_what_can_still_be_continued(workdir, kernel):
    optimizer = hpo.pbt.Optimizer(counter_evaluator(kernel), population=3, rounds=3, seed=2, parallel=2,
                                  verbose=False)  # keep_checkpoints="live", the default
    optimizer.optimize(SPACE)
    trials = optimizer.trials
    assert len(trials) == 9
    last = {}  # member -> its last round's trial
    for t in trials:
        if t["member"] not in last or t["generation"] > last[t["member"]]["generation"]:
            last[t["member"]] = t
    root = os.path.join(workdir, "hpo-runs", "checkpoints")
    # The members' final models and the best trial's are there, each with its whole lineage; the
    # rest was removed.
    kept = {t["id"] for t in last.values()} | {optimizer.best_trial["id"]}
    assert sorted(int(name) for name in os.listdir(root)) == sorted(kept)
    for t in last.values():
        assert trained_by(root, t["id"]) == lineage(trials, t)


def test_evaluator_checkpoint_is_the_root_of_the_directories(workdir, kernel):
    evaluator = counter_evaluator(kernel, checkpoint="models")
    optimizer = hpo.pbt.Optimizer(evaluator, population=2, rounds=2, keep_checkpoints="all", parallel=2,
                                  verbose=False)
    optimizer.optimize(SPACE)
    assert all(t["status"] == "ok" for t in optimizer.trials), [t["message"] for t in optimizer.trials]
    assert sorted(int(name) for name in os.listdir("models")) == sorted(t["id"] for t in optimizer.trials)
    assert not os.path.exists(os.path.join("hpo-runs", "checkpoints"))
    for t in optimizer.trials:
        assert trained_by("models", t["id"]) == lineage(optimizer.trials, t)


def test_other_strategies_give_member_0_and_no_parent(workdir, kernel):
    optimizer = hpo.random.Optimizer(hpo.Evaluator([sys.executable, kernel("quadratic.py")]), evals=3,
                                     parallel=2, verbose=False)
    optimizer.optimize([["--x", 0.5, (0.0, 1.0)]])
    assert [(t["member"], t["parent"]) for t in optimizer.trials] == [(0, None)] * 3
    keys = list(optimizer.trials[0])
    assert keys[keys.index("generation") + 1:keys.index("generation") + 3] == ["member", "parent"]
    assert not os.path.exists(os.path.join("hpo-runs", "checkpoints"))  # no @checkpoint: no directories


@pytest.mark.parametrize("make, error, words", [
    (lambda e: hpo.pbt.Optimizer(e, population=0), ValueError, ["population"]),
    (lambda e: hpo.pbt.Optimizer(e, rounds=0), ValueError, ["rounds"]),
    (lambda e: hpo.pbt.Optimizer(e, population=2.5), TypeError, ["population"]),
    (lambda e: hpo.pbt.Optimizer(e, exploit_fraction=1.5), ValueError, ["exploit_fraction"]),
    (lambda e: hpo.pbt.Optimizer(e, resample_probability=-0.1), ValueError, ["resample_probability"]),
    (lambda e: hpo.pbt.Optimizer(e, pop_size=4), TypeError, ["pop_size"]),
    (lambda e: hpo.pbt.Optimizer(e, keep_checkpoints="some"), ValueError, ["keep_checkpoints", "some"]),
    (lambda e: hpo.genetic.Optimizer(e, keep_checkpoints=True), ValueError, ["keep_checkpoints"]),
    (lambda e: hpo.genetic.Optimizer(e, gens_per_epoch=0), ValueError, ["gens_per_epoch"]),
])
def test_bad_keywords_are_named(workdir, kernel, make, error, words):
    with pytest.raises(error) as raised:
        make(counter_evaluator(kernel))
    for word in words:
        assert word in str(raised.value)


@pytest.mark.parametrize("value, error", [(3, TypeError), ("", ValueError), (b"models", TypeError)])
def test_bad_evaluator_checkpoint(workdir, value, error):
    with pytest.raises(error) as raised:
        hpo.Evaluator("./train.py", checkpoint=value)
    assert "checkpoint" in str(raised.value)


def test_pbt_help_and_the_import_paths():
    from crayai import hpo as seed_hpo
    assert seed_hpo.pbt.Optimizer is hpo.pbt.Optimizer is hpo.PbtOptimizer
    for row in hpo._core.strategy_options("pbt"):
        assert row["keyword"] in hpo.pbt.Optimizer.__doc__
    for keyword in ("population", "rounds", "exploit_fraction", "resample_probability", "keep_checkpoints"):
        assert keyword in hpo.pbt.Optimizer.__init__.__signature__.parameters
    assert "gens_per_epoch" in hpo.genetic.Optimizer.__init__.__signature__.parameters


def test_the_seeds_genetic_pbt_driver(workdir, kernel):
    """CrayAI HPO's PBT as its mnist-pbt example drove it: the genetic optimizer with an Evaluator
    checkpoint, `@checkpoint` inside the kernel's load and save paths, and gens_per_epoch."""
    from crayai import hpo as seed_hpo
    script = kernel("counter.py")
    evaluator = seed_hpo.Evaluator("%s %s --load_checkpoint=@checkpoint/model.txt --save_checkpoint=@checkpoint/model.txt"
                                   % (sys.executable, script), checkpoint="checkpoints", verbose=False)
    params = seed_hpo.Params([["--lr", 0.1, (0.0, 1.0)]])
    optimizer = seed_hpo.genetic.Optimizer(evaluator, generations=4, pop_size=4, num_demes=1, mutation_rate=0.5,
                                           crossover_rate=0.33, gens_per_epoch=2, log_fn="genetic.log",
                                           verbose=False, keep_checkpoints="all")
    optimizer.optimize(params)
    trials = optimizer.trials
    assert trials and all(t["status"] == "ok" for t in trials), [t["message"] for t in trials]
    by_id = {t["id"]: t for t in trials}
    for t in trials:
        assert trained_by("checkpoints", t["id"], "model.txt") == lineage(trials, t)
        assert t["member"] == 0
        if t["parent"] is not None:
            assert by_id[t["parent"]]["generation"] < t["generation"]
    # gens_per_epoch=2: at generation 1 a child starts from its parent's starting point (generation
    # 0 started from nothing); at generation 2 from the checkpoint its parent wrote; at generation 3
    # again from its parent's starting point, so never from a generation-2 checkpoint.
    assert all(t["parent"] is None for t in trials if t["generation"] == 1)
    assert all(t["parent"] is not None for t in trials if t["generation"] == 2)
    assert all(t["parent"] is None or by_id[t["parent"]]["generation"] < 2 for t in trials if t["generation"] == 3)


def test_genetic_children_continue_their_parents_checkpoints(workdir, kernel):
    """gens_per_epoch=1 (the default): every child starts from the checkpoint its parent wrote."""
    optimizer = hpo.genetic.Optimizer(counter_evaluator(kernel), generations=3, pop_size=3, mutation_rate=0.5,
                                      keep_checkpoints="all", parallel=2, verbose=False)
    optimizer.optimize(SPACE)
    trials = optimizer.trials
    assert all(t["status"] == "ok" for t in trials), [t["message"] for t in trials]
    by_id = {t["id"]: t for t in trials}
    root = os.path.join("hpo-runs", "checkpoints")  # the default: the command names @checkpoint
    for t in trials:
        assert (t["parent"] is None) == (t["generation"] == 0), t
        if t["parent"] is not None:
            assert by_id[t["parent"]]["generation"] < t["generation"]
        assert trained_by(root, t["id"]) == lineage(trials, t)
