"""The optimizers: one class per strategy, generated from the strategy's option table in the C++
engine (where every option is declared once), plus the settings every optimizer shares."""

import inspect
import numbers
import os
import signal as _signal

from . import _core
from ._errors import engine_errors
from ._evaluator import Evaluator
from ._result import Result, load
from ._space import Params

__all__ = ["Interrupted", "Optimizer", "strategy_optimizer"]


class Interrupted(KeyboardInterrupt):
    """The run stopped on a signal (Ctrl-C's SIGINT, Slurm's SIGTERM or SIGUSR1, SIGHUP) after
    writing its checkpoint; ``optimize(params)`` again continues it. ``result`` holds the trials so far."""

    def __init__(self, message, signal, result):
        super().__init__(message)
        self.signal = signal
        self.result = result


# The settings every optimizer takes (hpo::RunSettings), with their defaults: the engine's where
# Python does not differ on purpose (seed None, verbose True).
_ENGINE = _core.RunSettings()
_SETTINGS = [
    ("seed", None, "random seed; None: hpo's fixed default (0), so a re-run repeats and resumes; 0: a random seed"
                   " (the seed's meaning), kept in the checkpoint"),
    ("maximize", _ENGINE.maximize, "maximize the FoM instead of minimizing it"),
    ("log_fn", None, "a text log of the run (and, with several demes, Deme<N>_<log_fn> beside it)"),
    ("checkpoint_fn", _ENGINE.checkpoint_fn, "the HDF5 checkpoint; None for none"),
    ("resume", _ENGINE.resume, "continue checkpoint_fn if it holds this run; a file of another run is kept as "
                               "hpo.N.h5"),
    ("verbose", True, "progress lines on stderr while it runs (a line per generation, at most one a second)"),
    ("parallel", None, "evaluations at once when alone (default: the Evaluator's num_parallel_evals, else one per "
                       "core); under mpirun each worker rank runs one"),
    ("worker_timeout", None, "under MPI: seconds without a heartbeat before a worker rank is given up (None: the "
                             "engine's default; 0: never)"),
    ("keep_checkpoints", _ENGINE.keep_checkpoints, "the trials' checkpoint directories (the Evaluator's checkpoint): "
                                                   "'live' removes those no future trial can start from as the run "
                                                   "goes; 'all' keeps every one"),
    ("confirm_top", _ENGINE.confirm_top, "evaluate the confirm_top best configurations again and choose the best by "
                                         "its mean over its runs (docs/confirm.md); 0: off (the CLI's --confirm-top)"),
    ("confirm_repeats", _ENGINE.confirm_repeats, "more evaluations of each of the confirm_top best; the kernel gets "
                                                 "HPO_REPEAT and @repeat (1..R) to vary its seed (--confirm-repeats)"),
]
_KEEP_CHECKPOINTS = ("live", "all")

# The pruning options every optimizer takes (PruneOptions' table in the engine): stopping hopeless
# trials early from the FoMs a kernel prints as it trains.
_PRUNE_ROWS = _core.prune_options()
_PRUNE = {row["keyword"] for row in _PRUNE_ROWS}


class Optimizer:
    """Base of ``hpo.genetic.Optimizer``, ``hpo.random.Optimizer``, ``hpo.grid.Optimizer``,
    ``hpo.bayes.Optimizer`` and ``hpo.pbt.Optimizer``."""

    strategy = None
    _aliases = {}       # the seed's keyword -> this strategy's option keyword or a setting
    _unsupported = {}   # keyword -> why it is refused

    def __init__(self, evaluator, **keywords):
        if not isinstance(evaluator, Evaluator):
            raise TypeError("the first argument must be an hpo.Evaluator, not %s" % type(evaluator).__name__)
        self.evaluator = evaluator
        self._settings = {name: default for name, default, _ in _SETTINGS}
        self._options = {}
        self._prune = {}
        table = {row["keyword"] for row in _core.strategy_options(self.strategy)}
        given = {}  # target -> the keyword that set it
        for keyword, value in keywords.items():
            if keyword in self._unsupported:
                raise ValueError("%s: %s" % (keyword, self._unsupported[keyword]))
            target = self._aliases.get(keyword, keyword)
            if target not in table and target not in _PRUNE and target not in self._settings:
                raise TypeError("%s() got an unexpected keyword argument '%s'" % (type(self).__qualname__, keyword))
            if target in given:
                raise TypeError("%s and %s are the same option; give one" % (given[target], keyword))
            given[target] = keyword
            if value is None and (target in table or target in _PRUNE):
                continue  # None: the option's default, as the signature shows for the seed's names
            into = self._options if target in table else self._prune if target in _PRUNE else self._settings
            into[target] = _plain(value)
        self._result = None
        _check_settings(self._settings)
        self._core(self._settings["seed"])  # checks every keyword now, where the mistake is

    def _run_settings(self, seed):
        s = self._settings
        settings = _core.RunSettings()
        settings.seed = 0 if seed is None else seed
        settings.maximize = s["maximize"]
        settings.log_fn = "" if s["log_fn"] is None else os.fspath(s["log_fn"])
        settings.checkpoint_fn = "" if s["checkpoint_fn"] is None else os.fspath(s["checkpoint_fn"])
        settings.resume = s["resume"]
        settings.verbose = s["verbose"]
        parallel = s["parallel"] if s["parallel"] is not None else self.evaluator.num_parallel_evals
        settings.parallel = parallel or 0
        if s["worker_timeout"] is not None:
            settings.worker_timeout = float(s["worker_timeout"])
        settings.keep_checkpoints = s["keep_checkpoints"]
        settings.confirm_top = s["confirm_top"]
        settings.confirm_repeats = s["confirm_repeats"]
        return settings

    def _core(self, seed):
        with engine_errors():
            return _core.Optimizer(self.strategy, self.evaluator._core, self._options, self._prune,
                                   self._run_settings(seed))

    def _seed(self):
        """The seed's `seed=0`: a random seed, drawn once and kept; a re-run continues an unfinished
        checkpoint of this strategy with the seed stored there."""
        seed = self._settings["seed"]
        if seed != 0:
            return seed
        if getattr(self, "_drawn_seed", None) is None:
            self._drawn_seed = int.from_bytes(os.urandom(4), "little") or 1
            path = self._settings["checkpoint_fn"]
            if path and self._settings["resume"] and os.path.isfile(path):
                try:
                    stored = load(path)
                except Exception:  # not a checkpoint: the run sets it aside
                    stored = None
                if stored is not None and not stored.finished and stored.config["strategy"] == self.strategy:
                    self._drawn_seed = stored.config["seed"]
        return self._drawn_seed

    def optimize(self, params):
        """Runs the search over ``params`` (an hpo.Params, or its list form) and returns the Result.

        Alone, evaluations run on this machine; under ``mpirun``/``srun`` rank 0 coordinates and the
        other ranks evaluate; every rank returns with the same result. A signal (Ctrl-C) stops the run
        after its checkpoint is written and raises :class:`hpo.Interrupted` (a KeyboardInterrupt);
        calling ``optimize(params)`` again continues it.
        """
        if not isinstance(params, Params):
            if isinstance(params, (list, tuple)):
                params = Params(params)
            else:
                raise TypeError("optimize() takes an hpo.Params (or its list form), not %s" % type(params).__name__)
        core = self._core(self._seed())
        with self.evaluator.allocation.active(verbose=self._settings["verbose"]), engine_errors():
            data = core.optimize(params._core)
        self._result = Result(data, params)
        if data["setup_error"]:
            raise RuntimeError("hpo could not start a trial: %s (its trial stays pending; optimize() again to resume)"
                               % data["setup_error"])
        where = " the checkpoint %s holds them;" % self._settings["checkpoint_fn"] if self._settings["checkpoint_fn"] else ""
        if data["interrupted"] and data["stop_signal"]:
            name = _signal.Signals(data["stop_signal"]).name
            raise Interrupted("hpo: stopped by %s after %d trials;%s optimize() again to continue"
                              % (name, len(self._result.trials), where), data["stop_signal"], self._result)
        if data["interrupted"]:  # no signal, no setup error: every worker rank was lost
            lost = "; ".join("rank %d (node %s): %s" % (w["worker"] + 1, w["node"], w["reason"])
                             for w in data["lost_workers"])
            raise RuntimeError("hpo: every worker was lost (%s) after %d trials;%s optimize() again in a new job to "
                               "continue" % (lost, len(self._result.trials), where))
        return self._result

    @property
    def result(self):
        """The last optimize()'s :class:`hpo.Result` (RuntimeError before optimize())."""
        if self._result is None:
            raise RuntimeError("no result yet: call optimize(params) first")
        return self._result

    best_fom = property(lambda self: self.result.best_fom, doc="The best FoM of the last optimize().")
    best_params = property(lambda self: self.result.best_params, doc="The best hyperparameters (prints as flags).")
    confirmed = property(lambda self: self.result.confirmed,
                         doc="With confirm_top: the best configuration's mean, std, min, max, runs (a dict), else None.")
    best_trial = property(lambda self: self.result.best_trial, doc="The best trial's row of trials.")
    trials = property(lambda self: self.result.trials, doc="Every trial as a dict, hpo export's columns, by id.")

    def trials_dataframe(self):
        """Every trial as a pandas DataFrame (pandas is imported only here)."""
        return self.result.trials_dataframe()

    @property
    def seed(self):
        """The seed optimize() uses: the one given, 0 for None, a drawn one for ``seed=0``."""
        return self._seed() or 0

    def __repr__(self):
        return "hpo.%s.Optimizer(%r, %s)" % (self.strategy, self.evaluator, ", ".join(
            "%s=%r" % item for item in list(self._options.items()) + list(self._prune.items())))


def _plain(value):
    """numpy's and other numeric types as Python's own int and float (bools stay bools)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return value
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _check_settings(s):
    """The settings' types and ranges, checked when the optimizer is made: TypeError for a wrong type,
    ValueError for a value out of range, each naming the setting."""
    for name in ("maximize", "resume", "verbose"):
        if not isinstance(s[name], bool):
            raise TypeError("%s must be True or False, not %r" % (name, s[name]))
    for name in ("log_fn", "checkpoint_fn"):
        if s[name] is not None and not isinstance(s[name], (str, os.PathLike)):
            raise TypeError("%s must be a path or None, not %r" % (name, s[name]))
    for name, limit in (("seed", 2**64 - 1), ("parallel", 2**32)):
        value = s[name]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("%s must be an int or None, not %r" % (name, value))
        if not 0 <= value <= limit:
            raise ValueError("%s must be between 0 and %d, not %d" % (name, limit, value))
    for name in ("confirm_top", "confirm_repeats"):
        value = s[name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("%s must be an int, not %r" % (name, value))
        if not 0 <= value < 2**31:
            raise ValueError("%s must be >= 0, not %d" % (name, value))
    if s["confirm_top"] > 0 and s["confirm_repeats"] < 1:
        raise ValueError("confirm_repeats must be >= 1 with confirm_top %d (confirm_top=0 turns confirmation off)"
                         % s["confirm_top"])
    if s["keep_checkpoints"] not in _KEEP_CHECKPOINTS:
        raise ValueError("keep_checkpoints must be 'live' or 'all', not %r" % (s["keep_checkpoints"],))
    timeout = s["worker_timeout"]
    if timeout is not None:
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
            raise TypeError("worker_timeout must be a number of seconds or None, not %r" % (timeout,))
        if not (timeout == 0 or 1 <= timeout < float("inf")):
            raise ValueError("worker_timeout must be 0 (none) or a number of seconds >= 1, not %r" % (timeout,))


def strategy_optimizer(strategy, summary, aliases=None, unsupported=None):
    """The Optimizer class of ``strategy``: its keywords, signature and docstring come from the
    strategy's option table, so that help() lists exactly what the engine accepts."""
    aliases = dict(aliases or {})
    unsupported = dict(unsupported or {})
    rows = _core.strategy_options(strategy)
    lines = [summary, "", "Options (keyword, the CLI's flag, default):"]
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY),
                  inspect.Parameter("evaluator", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for row in rows:
        lines.append("  %s (%s, default %r): %s" % (row["keyword"], row["flag"], row["default"], row["help"]))
        parameters.append(inspect.Parameter(row["keyword"], inspect.Parameter.KEYWORD_ONLY, default=row["default"]))
    for seed_name, target in aliases.items():
        lines.append("  %s: the seed's name of %s" % (seed_name, target))
        parameters.append(inspect.Parameter(seed_name, inspect.Parameter.KEYWORD_ONLY, default=None))
    lines += ["", "Pruning (every optimizer; each FoM line a kernel prints is a step):"]
    for row in _PRUNE_ROWS:
        lines.append("  %s (%s, default %r): %s" % (row["keyword"], row["flag"], row["default"], row["help"]))
        parameters.append(inspect.Parameter(row["keyword"], inspect.Parameter.KEYWORD_ONLY, default=row["default"]))
    lines += ["", "Settings (every optimizer):"]
    for name, default, text in _SETTINGS:
        lines.append("  %s (default %r): %s" % (name, default, text))
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default))
    for name, why in unsupported.items():
        lines.append("  %s: not accepted (%s)" % (name, why))

    def __init__(self, evaluator, **keywords):
        Optimizer.__init__(self, evaluator, **keywords)

    __init__.__signature__ = inspect.Signature(parameters)
    __init__.__qualname__ = "%s.Optimizer.__init__" % strategy  # in errors: hpo.genetic.Optimizer
    __init__.__doc__ = "\n".join(lines)
    cls = type("Optimizer", (Optimizer,), {
        "strategy": strategy, "_aliases": aliases, "_unsupported": unsupported, "__init__": __init__,
        "__doc__": "\n".join(lines), "__module__": "hpo." + strategy, "__qualname__": "Optimizer"})
    return cls
