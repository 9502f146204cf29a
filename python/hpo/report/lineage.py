"""Where trials start from another trial's checkpoint (pbt; genetic search with @checkpoint): the
lineage, every trial linked to its parent, and the best trial's schedule, its hyperparameters
round by round along the chain of checkpoints it descends from."""

import numpy
from matplotlib.collections import LineCollection
from matplotlib.ticker import MaxNLocator

from .figure import drawn, fom_scale, new_figure, not_drawn, rasterized, short
from ._common import chain_of

LINEAGE, LINEAGE_TITLE = "lineage", "Lineage"
SCHEDULE, SCHEDULE_TITLE = "schedule", "The best trial's schedule"
NO_PARENTS = "no trial has a parent (pbt and genetic search record the trial each one started from)"


def _rows_y(data):
    """Each trial's line: its pbt member, or (other strategies) its place among its generation."""
    if data.strategy == "pbt":
        return data.member.astype(float), "member"
    y = numpy.zeros(data.n)
    for generation in numpy.unique(data.generation):
        rows = numpy.flatnonzero(data.generation == generation)
        rows = rows[numpy.lexsort((data.ids[rows], data.deme[rows]))]
        y[rows] = numpy.arange(len(rows))
    return y, "individual (by deme, then id)"


def draw_lineage(data):
    if not (data.parent >= 0).any():
        return not_drawn(LINEAGE, LINEAGE_TITLE, NO_PARENTS)
    row_of = data.index_of_id()
    x = data.generation.astype(float)
    y, ylabel = _rows_y(data)
    same, exploit = [], []
    for row in numpy.flatnonzero(data.parent >= 0):
        parent = row_of.get(int(data.parent[row]))
        if parent is None:
            continue
        segment = [(x[parent], y[parent]), (x[row], y[row])]
        (same if y[parent] == y[row] else exploit).append(segment)
    figure = new_figure(max(3.5, min(9.0, 0.35 * (y.max() + 1) + 1.5)))
    axes = figure.subplots()
    if same:
        axes.add_collection(LineCollection(same, colors="#bbbbbb", linewidths=1.0, zorder=1,
                                           label="continues (%d)" % len(same), rasterized=rasterized(len(same))))
    if exploit:
        label = "exploits another member (%d)" % len(exploit) if data.strategy == "pbt" else \
                "starts from another line (%d)" % len(exploit)
        axes.add_collection(LineCollection(exploit, colors="#ff7f0e", linewidths=1.0, alpha=0.8, zorder=2,
                                           label=label, rasterized=rasterized(len(exploit))))
    ok = numpy.flatnonzero(data.ok & numpy.isfinite(data.fom))
    if len(ok):
        points = axes.scatter(x[ok], y[ok], c=data.fom[ok], cmap="viridis" if data.maximize else "viridis_r",
                              s=28, zorder=3, edgecolors="black", linewidths=0.3, rasterized=rasterized(len(ok)))
        figure.colorbar(points, ax=axes, label="FoM", pad=0.01)
    bad = numpy.flatnonzero(~data.ok)
    if len(bad):
        axes.scatter(x[bad], y[bad], marker="x", color="#d62728", s=30, zorder=3, label="not ok (%d)" % len(bad))
    if data.best is not None:
        chain = chain_of(data, data.best, row_of)
        axes.plot(x[chain], y[chain], color="#d62728", linewidth=2.2, zorder=4,
                  label="the best trial's line (trial %d)" % data.ids[data.best])
    axes.autoscale_view()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("round" if data.strategy == "pbt" else "generation")
    axes.set_ylabel(ylabel)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="best")
    caption = ("Each trial (a dot, coloured by its FoM) linked to the trial whose checkpoint it started from; "
               "orange: it started from another %s's; red: the chain that led to the best trial." %
               ("member" if data.strategy == "pbt" else "line"))
    return drawn(LINEAGE, LINEAGE_TITLE, caption, figure)


def draw_schedule(data):
    if not (data.parent >= 0).any():
        return not_drawn(SCHEDULE, SCHEDULE_TITLE, NO_PARENTS)
    if data.best is None:
        return not_drawn(SCHEDULE, SCHEDULE_TITLE, "no trial succeeded")
    chain = chain_of(data, data.best, data.index_of_id())
    rounds = data.generation[chain]
    panels = len(data.parameters) + 1
    figure = new_figure(min(12.0, 1.6 * panels + 1.0))
    grid = figure.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]
    for axes, parameter in zip(grid, data.parameters):
        values = data.values[parameter.flag][chain]
        axes.step(rounds, values, where="post", color="#1f77b4", marker="o", markersize=3)
        if parameter.is_choice:
            axes.set_yticks(range(len(parameter.options)))
            axes.set_yticklabels([short(o, 10) for o in parameter.options], fontsize=7)
        elif parameter.log and values.min() > 0 and values.max() / values.min() > 10:
            axes.set_yscale("log")
        axes.set_ylabel(short(parameter.flag, 12), fontsize=8)
        axes.grid(alpha=0.3)
    axes = grid[-1]
    axes.plot(rounds, data.fom[chain], color="black", marker="o", markersize=3)
    fom_scale(axes, data.fom[chain])
    axes.set_ylabel("FoM", fontsize=8)
    axes.set_xlabel("round" if data.strategy == "pbt" else "generation")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(alpha=0.3)
    members = numpy.unique(data.member[chain]) if data.strategy == "pbt" else []
    caption = ("The hyperparameters of the best trial (%d) and of each trial whose checkpoint it descends from, "
               "round by round (%d trials), with their FoMs." % (data.ids[data.best], len(chain)))
    if len(members) > 1:
        caption += " The chain passes through members %s (exploits)." % ", ".join(str(m) for m in members)
    return drawn(SCHEDULE, SCHEDULE_TITLE, caption, figure)
