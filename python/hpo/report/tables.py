"""The report's tables as rows of texts: the run at a glance, the statuses, the best trial and the
run's configuration (strategy and options, pruning, kernel, parameters)."""

import datetime
import shlex

import numpy


def _time(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _duration(seconds):
    if seconds >= 3 * 3600:
        return "%.1f h" % (seconds / 3600)
    if seconds >= 3 * 60:
        return "%.1f min" % (seconds / 60)
    return "%.1f s" % seconds


def summary(data):
    rows = [("checkpoint", "%s (format version %s)" % (data.path, data.format_version)),
            ("run", "finished" if data.finished else "not finished (stopped, or still running: this is a snapshot)"),
            ("strategy", data.strategy),
            ("trials", str(data.n))]
    if data.best is not None:
        rows.append(("best FoM", "%.10g (trial %d)" % (data.fom[data.best], data.ids[data.best])))
        rows.append(("best parameters", data.best_text))
    else:
        rows.append(("best FoM", "no trial succeeded"))
    timed = (data.start > 0) & (data.end >= data.start)
    if timed.any():
        first, last = data.start[timed].min(), data.end[timed].max()
        rows.append(("time", "%s to %s (%s)" % (_time(first), _time(last), _duration(last - first))))
        rows.append(("workers", str(len(numpy.unique(data.worker[timed])))))
    return rows


def statuses(data):
    return [(status, str(count), "%.1f%%" % (100.0 * count / data.n)) for status, count in data.status_counts()]


def best_trial(data):
    if data.best is None:
        return []
    row = data.best
    rows = [("trial", str(data.ids[row])), ("FoM", "%.10g" % data.fom[row]), ("deme", str(data.deme[row])),
            ("generation", str(data.generation[row]))]
    if data.strategy == "pbt":
        rows.append(("member", str(data.member[row])))
    if data.parent[row] >= 0:
        rows.append(("parent", str(data.parent[row])))
    for parameter in data.parameters:
        value = data.values[parameter.flag][row]
        if parameter.is_choice and numpy.isfinite(value):
            text = parameter.options[int(value)]
        elif parameter.kind == "int_range":
            text = "%d" % value
        else:
            text = "%.6g" % value
        rows.append((parameter.flag, text))
    rows.append(("host, worker", "%s, %d" % (data.host[row], data.worker[row])))
    return rows


def configuration(data):
    config = data.config
    prune = config.get("prune") or {}
    if prune.get("prune", "none") == "none":
        prune_text = "none"
    else:
        prune_text = " ".join("%s=%s" % (k, v) for k, v in prune.items())
    rows = [("strategy", "%s %s" % (config["strategy"], config.get("options", ""))),
            ("pruning", prune_text),
            ("kernel", shlex.join(config.get("command") or [])),
            ("run dir", config.get("run_dir", "")),
            ("direction", "maximize" if data.maximize else "minimize"),
            ("seed", str(config.get("seed")))]
    for k, parameter in enumerate(data.parameters):
        rows.append(("parameter %d" % (k + 1), parameter.spec))
    return rows
