"""The methods of the pruning bench, defined once: which tool, strategy or sampler, and pruner.

hpo: `--prune asha|hyperband --max-steps R --min-steps 1 --reduction-factor 3`, median with
Optuna's MedianPruner defaults (5 completed trials, no warm-up, every step). Optuna 3.1: TPE
(seeded) with SuccessiveHalvingPruner(min_resource=1, reduction_factor=3),
HyperbandPruner(min_resource=1, max_resource=R, reduction_factor=3), MedianPruner().
"""
from dataclasses import dataclass

ETA = 3
MIN_STEPS = 1


@dataclass(frozen=True)
class Method:
    name: str
    tool: str        # "hpo" or "optuna"
    search: str      # hpo strategy, or Optuna sampler ("tpe")
    prune: str       # none, asha, hyperband, median

    @property
    def label(self):
        tool = "hpo " + self.search if self.tool == "hpo" else "Optuna " + self.search.upper()
        optuna_names = {"asha": "SuccessiveHalving", "hyperband": "Hyperband", "median": "Median"}
        if self.prune == "none":
            return tool
        return tool + " + " + (optuna_names[self.prune] if self.tool == "optuna" else self.prune)


def _all():
    out = []
    for strategy in ("random", "bayes", "genetic"):
        for prune in ("none", "asha", "hyperband") + (("median",) if strategy == "bayes" else ()):
            out.append(Method("hpo-%s-%s" % (strategy, prune), "hpo", strategy, prune))
    for prune in ("asha", "hyperband", "median"):
        out.append(Method("optuna-tpe-%s" % prune, "optuna", "tpe", prune))
    return out


METHODS = {m.name: m for m in _all()}
HPO_PRUNING_NEEDED = [m for m in METHODS.values() if m.tool == "hpo" and m.prune != "none"]


def hpo_options(method, max_steps):
    """The strategy and pruning options of `hpo run` (the budget is kernel-seconds: the harness
    stops hpo with SIGTERM, so the evaluation counts are only upper bounds)."""
    argv = ["--strategy", method.search]
    if method.search == "genetic":
        argv += ["--generations", "100000"]
    else:
        argv += ["--evals", "100000"]
    if method.prune in ("asha", "hyperband"):
        argv += ["--prune", method.prune, "--max-steps", str(max_steps), "--min-steps", str(MIN_STEPS),
                 "--reduction-factor", str(ETA)]
    elif method.prune == "median":
        argv += ["--prune", "median", "--median-min-trials", "5", "--median-warmup-steps", "0"]
    return argv


def optuna_pruner(method, max_steps):
    import optuna
    if method.prune == "asha":
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=MIN_STEPS, reduction_factor=ETA)
    if method.prune == "hyperband":
        return optuna.pruners.HyperbandPruner(min_resource=MIN_STEPS, max_resource=max_steps, reduction_factor=ETA)
    if method.prune == "median":
        return optuna.pruners.MedianPruner()
    return optuna.pruners.NopPruner()
