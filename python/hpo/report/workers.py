"""The worker timeline: each trial a bar on its worker's line from its start to its end (idle gaps
and stragglers show), and how many workers were busy over time, with the utilization."""

import numpy
from matplotlib.collections import PolyCollection

from .figure import drawn, new_figure, not_drawn, short

NAME, TITLE = "workers", "Worker timeline"
STATUS_COLOURS = {"ok": "#2ca02c", "pruned": "#999999"}
FAILED_COLOUR = "#d62728"


def utilization(data, rows, workers):
    """The share of the workers' time (from the first start to the last end) spent in trials."""
    span = data.end[rows].max() - data.start[rows].min()
    if span <= 0 or workers == 0:
        return None
    return float(numpy.sum(data.end[rows] - data.start[rows]) / (span * workers))


def _busy(data, rows):
    """The number of trials running, as a step function: times and counts."""
    times = numpy.concatenate([data.start[rows], data.end[rows]])
    change = numpy.concatenate([numpy.ones(len(rows)), -numpy.ones(len(rows))])
    order = numpy.lexsort((change, times))  # at one instant, ends before starts
    return times[order], numpy.cumsum(change[order])


def _unit(span):
    for unit, seconds in (("hours", 3600.0), ("minutes", 60.0), ("seconds", 1.0)):
        if span >= 3 * seconds or unit == "seconds":
            return unit, seconds


def draw(data):
    rows = numpy.flatnonzero((data.start > 0) & (data.end >= data.start))
    if len(rows) == 0:
        return not_drawn(NAME, TITLE, "no trial with start and end times")
    workers = numpy.unique(data.worker[rows])
    line_of = {int(w): k for k, w in enumerate(workers)}
    t0 = data.start[rows].min()
    unit, seconds = _unit(data.end[rows].max() - t0)
    start = (data.start[rows] - t0) / seconds
    end = (data.end[rows] - t0) / seconds
    line = numpy.array([line_of[int(w)] for w in data.worker[rows]], dtype=float)
    height = 0.8
    boxes = numpy.stack([numpy.column_stack([start, line - height / 2]), numpy.column_stack([end, line - height / 2]),
                         numpy.column_stack([end, line + height / 2]), numpy.column_stack([start, line + height / 2])],
                        axis=1)
    colours = [STATUS_COLOURS.get(s, FAILED_COLOUR) for s in data.status[rows]]
    figure = new_figure(min(11.0, max(4.5, 0.18 * len(workers) + 3.5)))
    top, bottom = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    # Few bars: white edges part one trial from the next. Many: an edge of the bar's colour, so that
    # a trial shorter than a pixel still shows.
    many = len(rows) > 2000
    top.add_collection(PolyCollection(boxes, facecolors=colours, edgecolors=colours if many else "white",
                                      linewidths=0.3 if many else 0.6, rasterized=many))
    top.set_ylim(-0.6, len(workers) - 0.4)
    top.set_xlim(0, max(end.max(), 1e-9))
    if len(workers) <= 40:
        hosts = {}
        for row in rows:
            hosts.setdefault(int(data.worker[row]), data.host[row])
        top.set_yticks(range(len(workers)))
        top.set_yticklabels(["%d %s" % (w, short(hosts.get(int(w), ""), 16)) for w in workers], fontsize=7)
    top.set_ylabel("worker")
    top.invert_yaxis()
    share = utilization(data, rows, len(workers))
    top.set_title("%d trials on %d workers%s" % (len(rows), len(workers),
                  "; utilization %.1f%%" % (100 * share) if share is not None else ""), fontsize=10)
    from matplotlib.patches import Patch
    present = sorted({s for s in data.status[rows]}, key=lambda s: (s != "ok", s != "pruned", s))
    top.legend(handles=[Patch(color=STATUS_COLOURS.get(s, FAILED_COLOUR), label=s) for s in present],
               fontsize=8, loc="upper right")
    times, busy = _busy(data, rows)
    bottom.step((times - t0) / seconds, busy, where="post", color="#1f77b4", linewidth=1)
    bottom.axhline(len(workers), color="black", linestyle="--", linewidth=0.8)
    bottom.set_ylim(0, len(workers) * 1.15 + 0.5)
    bottom.set_ylabel("busy")
    bottom.set_xlabel("wall time (%s since the first trial started)" % unit)
    bottom.grid(alpha=0.3)
    caption = ("Each trial a bar on the line of the worker that ran it, from its start to its end (green ok, red "
               "failed, grey pruned); below, the number of trials running (dashed: the workers). Utilization: "
               "the time in trials over the workers' time from the first start to the last end (a resumed run's "
               "pause counts as idle).")
    return drawn(NAME, TITLE, caption, figure)
