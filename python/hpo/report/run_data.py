"""A checkpoint's run as numpy columns for the figures: one array per trial field and parameter."""

import numpy

from .. import _core

# The statuses of trials that are neither a result nor pruned: failures, marked as such.
FAILED_STATUSES = ("failed", "crashed", "timeout", "no_fom", "bad_fom")


class Parameter:
    """One search-space parameter: its flag, kind, log scale, options (choices) and spec."""

    def __init__(self, entry):
        self.flag = entry["flag"]
        self.kind = entry["kind"]
        self.log = bool(entry["log"])
        self.options = list(entry["options"])
        self.spec = entry["spec"]

    @property
    def is_choice(self):
        return self.kind == "choice"


class RunData:
    """What the report draws from: the configuration, each trial's fields as arrays (in trial id
    order), the parameters' values (a choice as its option's index), the intermediate FoMs and the
    strategy's saved state. ``loss`` is what the search minimizes (the FoM, negated when
    maximizing; +inf for every trial that is not ok)."""

    def __init__(self, path):
        data = _core.load(path)  # CheckpointError (a ValueError) for a file that is not a sound checkpoint
        self.path = path
        self.config = data["config"]
        self.strategy = self.config["strategy"]
        self.maximize = bool(self.config["maximize"])
        self.finished = bool(data["finished"])
        self.format_version = data.get("format_version")
        self.strategy_state = data.get("strategy_state") or b""
        self.best_text = data["best"]["text"] if data["best"] is not None else None
        self.parameters = [Parameter(entry) for entry in self.config["space"]]
        trials = data["trials"]
        self.n = len(trials)

        def column(key, dtype, missing=0):
            return numpy.array([missing if t[key] is None else t[key] for t in trials], dtype=dtype)

        self.ids = column("id", numpy.int64)
        self.deme = column("deme", numpy.int64)
        self.generation = column("generation", numpy.int64)
        self.member = column("member", numpy.int64)
        self.parent = column("parent", numpy.int64, missing=-1)
        self.fom = column("fom", numpy.float64, missing=numpy.nan)
        self.steps = column("steps", numpy.int64)
        self.status = numpy.array([t["status"] for t in trials], dtype=object)
        self.start = column("start_time", numpy.float64)
        self.end = column("end_time", numpy.float64)
        self.worker = column("worker", numpy.int64)
        self.host = [t["host"] for t in trials]
        self.values = {}
        for p in self.parameters:
            key = "param:" + p.flag if trials and "param:" + p.flag in trials[0] else p.flag
            if p.is_choice:
                index = {text: i for i, text in enumerate(p.options)}
                self.values[p.flag] = numpy.array([index.get(str(t[key]), numpy.nan) for t in trials], dtype=float)
            else:
                self.values[p.flag] = column(key, numpy.float64, missing=numpy.nan)

        self.ok = self.status == "ok"
        self.pruned = self.status == "pruned"
        self.failed = ~(self.ok | self.pruned)
        signed = -self.fom if self.maximize else self.fom
        self.loss = numpy.where(self.ok & numpy.isfinite(signed), signed, numpy.inf)
        self.best = int(numpy.argmin(self.loss)) if numpy.isfinite(self.loss).any() else None

        # The intermediate FoMs come in the order they arrived (trials running side by side
        # interleave): grouped here by trial, each trial's in their (increasing) step order.
        inter = data.get("intermediate") or {"trial": [], "step": [], "value": [], "time": []}
        trial = numpy.array(inter["trial"], dtype=numpy.int64)
        order = numpy.argsort(trial, kind="stable")
        self.inter_trial = trial[order]
        self.inter_step = numpy.array(inter["step"], dtype=numpy.int64)[order]
        self.inter_value = numpy.array(inter["value"], dtype=numpy.float64)[order]

    def index_of_id(self):
        """A dict trial id -> row."""
        return {int(i): row for row, i in enumerate(self.ids)}

    def best_rows(self, count):
        """The rows of the `count` best ok trials, best first."""
        finite = numpy.flatnonzero(numpy.isfinite(self.loss))
        order = finite[numpy.argsort(self.loss[finite], kind="stable")]
        return order[:count]

    def status_counts(self):
        """(status, count) for every status present, ok first, in the engine's order."""
        order = ["ok", "pruned", *FAILED_STATUSES]
        present = {}
        for s in self.status:
            present[s] = present.get(s, 0) + 1
        return [(s, present[s]) for s in order if s in present] + \
               [(s, c) for s, c in sorted(present.items()) if s not in order]
