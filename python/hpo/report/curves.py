"""Learning curves: the intermediate FoMs of each trial's last attempt (recorded with --prune),
step by step; pruned trials in red, ending in an x where they were stopped; the best in black."""

import numpy
from matplotlib.collections import LineCollection
from matplotlib.ticker import MaxNLocator

from .figure import drawn, fom_scale, new_figure, not_drawn, rasterized
from .thinning import thin

NAME, TITLE = "curves", "Learning curves"
CURVES_LIMIT = 2000


def _curve(data, row, start, end):
    """A trial's intermediate FoMs as (step, value) rows; a trial that ran to its end also gets its
    final FoM at its last step (the rule is not given that one)."""
    curve = numpy.column_stack([data.inter_step[start:end], data.inter_value[start:end]])
    if data.ok[row] and data.steps[row] > curve[-1, 0] and numpy.isfinite(data.fom[row]):
        curve = numpy.vstack([curve, [data.steps[row], data.fom[row]]])
    return curve


def draw(data):
    if len(data.inter_trial) == 0:
        return not_drawn(NAME, TITLE, "no intermediate values in the checkpoint (only a run with --prune records "
                                      "them)")
    row_of = data.index_of_id()
    trials, starts = numpy.unique(data.inter_trial, return_index=True)
    ends = numpy.append(starts[1:], len(data.inter_trial))
    rows = numpy.array([row_of.get(int(t), -1) for t in trials])
    known = numpy.flatnonzero(rows >= 0)  # values of a trial not yet in the table (still running): left out
    best = [k for k in known if rows[k] == data.best]
    keep = list(best) + [k for k in known if data.pruned[rows[k]]][:CURVES_LIMIT // 2]
    known = thin(known, CURVES_LIMIT, keep)
    figure = new_figure(5)
    axes = figure.subplots()
    groups = {"ok": ([], "#1f77b4", 0.5), "pruned": ([], "#d62728", 0.45), "other": ([], "#999999", 0.5)}
    pruned_ends = []
    for k in known:
        segment = _curve(data, rows[k], starts[k], ends[k])
        status = data.status[rows[k]]
        kind = status if status in ("ok", "pruned") else "other"
        groups[kind][0].append(segment)
        if kind == "pruned":
            pruned_ends.append(segment[-1])
    for kind, (segments, colour, alpha) in groups.items():
        if segments:
            axes.add_collection(LineCollection(segments, colors=colour, linewidths=0.8, alpha=alpha,
                                               label="%s (%d)" % (kind, len(segments)),
                                               rasterized=rasterized(len(segments))))
    if pruned_ends:
        ends_xy = numpy.array(pruned_ends)
        axes.scatter(ends_xy[:, 0], ends_xy[:, 1], marker="x", s=16, color="#d62728", linewidths=0.8,
                     rasterized=rasterized(len(ends_xy)))
    for k in best:
        curve = _curve(data, rows[k], starts[k], ends[k])
        axes.plot(curve[:, 0], curve[:, 1], color="black", linewidth=2, marker="o", markersize=3,
                  label="best (trial %d)" % trials[k])
    axes.autoscale_view()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    fom_scale(axes, data.inter_value)
    axes.set_xlabel("step (the n-th FoM line)")
    axes.set_ylabel("intermediate FoM")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    caption = ("The intermediate FoMs the pruning rule was given (%d trials; a rule such as ASHA asks only at its "
               "rungs' steps) and the final FoM of each trial that ran to its end; pruned trials in red with an x "
               "where they were stopped." % len(trials))
    if len(known) < len(trials):
        caption += " %d curves drawn at random, the best and pruned ones kept." % len(known)
    return drawn(NAME, TITLE, caption, figure)
