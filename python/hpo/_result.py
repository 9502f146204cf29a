"""What a run gives back, from ``optimize()`` or a checkpoint (``hpo.load``): the best and every trial."""

import os

from . import _core

__all__ = ["BestParams", "Result", "load"]


class BestParams(dict):
    """The best hyperparameters: a dict flag -> value that prints as the kernel's flags.

    ``print(best_params)`` shows ``--lr=0.0012 --optimizer=Adam``; ``best_params["--lr"]`` is
    0.0012; ``best_params.args`` is the list of words the kernel received.
    """

    def __init__(self, values, args, text):
        super().__init__(values)
        self.args = list(args)
        self._text = text

    def __str__(self):
        return self._text


def _number_or_text(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


class Result:
    """The outcome of one run: ``best_fom``, ``best_params``, ``trials``, ``trials_dataframe()``."""

    def __init__(self, data, params=None):
        self._data = data
        self._params = params
        self._choice = {p["flag"]: p["kind"] == "choice" for p in data["space"]}
        self.trials = [self._typed(trial) for trial in data["trials"]]
        self.interrupted = data["interrupted"]
        self.stop_signal = data["stop_signal"]
        self.setup_error = data["setup_error"]
        self.lost_workers = data["lost_workers"]
        self.resumed_trials = data["resumed_trials"]
        self.config = data.get("config")
        self.finished = data.get("finished")
        self.workers = data["workers"]
        # With confirmation (confirm_top): the best configuration by its mean over its runs, a dict
        # trial (its original), mean, std, min, max, runs, repeats, failed; None when nothing was
        # evaluated again. best_fom is then its mean, best_trial its original trial.
        self.confirmed = data.get("confirmed")

    def _value(self, flag, value):
        """A choice's option as the user gave it (16, "adam"); from a checkpoint, numbers for numbers."""
        if not self._choice.get(flag):
            return value
        if self._params is not None:
            return self._params.domain(flag).value_of(value)
        return _number_or_text(value)

    def _typed(self, trial):
        trial = dict(trial)
        for flag, is_choice in self._choice.items():
            if is_choice:
                # A flag that is also a field's name ("fom") has its column as "param:fom".
                column = "param:" + flag if "param:" + flag in trial else flag
                trial[column] = self._value(flag, trial[column])
        return trial

    def _best(self):
        best = self._data["best"]
        if best is None:
            raise RuntimeError("no trial succeeded (%d evaluated); see the stdout and stderr files in the trials' "
                               "directories" % len(self.trials))
        return best

    @property
    def has_best(self):
        return self._data["best"] is not None

    @property
    def best_fom(self):
        """The best figure of merit (RuntimeError if no trial succeeded); with confirmation, the
        confirmed best's mean over its runs (``confirmed`` has its spread)."""
        return self._best()["fom"]

    @property
    def best_params(self):
        """The best hyperparameters as a :class:`BestParams` (RuntimeError if no trial succeeded)."""
        best = self._best()
        return BestParams([(flag, self._value(flag, value)) for flag, value in best["values"]], best["args"], best["text"])

    @property
    def best_trial(self):
        """The best trial's row of ``trials``."""
        best_id = self._best()["id"]
        return next(trial for trial in self.trials if trial["id"] == best_id)

    def trials_dataframe(self):
        """Every trial as a pandas DataFrame, one row per trial, ``hpo export``'s columns."""
        import pandas  # only here: the package itself does not need pandas

        columns = list(self._data["trials"][0].keys()) if self._data["trials"] else None
        return pandas.DataFrame(self.trials, columns=columns)

    def __repr__(self):
        best = "best FoM %s" % self.best_fom if self.has_best else "no successful trial"
        return "<hpo result: %d trials, %s>" % (len(self.trials), best)


def load(path):
    """Reads a checkpoint (``hpo.h5``), also one a run is still writing, into a :class:`Result`.

    Raises ``hpo.CheckpointError`` (a ValueError) for a file that is not a sound hpo checkpoint.
    """
    return Result(_core.load(os.fspath(path)))
