"""FoM against each parameter (log axes where the parameter is log, choices as categories), and
the parallel coordinates of the best quarter of the trials."""

import math

import numpy
from matplotlib.collections import LineCollection

from .figure import drawn, fom_scale, new_figure, not_drawn, rasterized, short
from .thinning import best_keep, thin

SCATTER_LIMIT = 20000
LINES_LIMIT = 3000


def _choice_axis(axes, parameter, horizontal=True):
    ticks = range(len(parameter.options))
    labels = [short(o) for o in parameter.options]
    if len(parameter.options) > 20:  # too many to name each: every k-th
        step = math.ceil(len(parameter.options) / 20)
        ticks, labels = ticks[::step], labels[::step]
    if horizontal:
        axes.set_xticks(list(ticks))
        axes.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
    else:
        axes.set_yticks(list(ticks))
        axes.set_yticklabels(labels, fontsize=8)


def draw_scatter(data):
    name, title = "parameters", "FoM against each parameter"
    rows = numpy.flatnonzero((data.ok | data.pruned) & numpy.isfinite(data.fom))
    if not data.parameters:
        return not_drawn(name, title, "the search space has no parameter")
    if not data.ok.any():
        return not_drawn(name, title, "no trial succeeded")
    keep = best_keep(data)
    rows = thin(rows, SCATTER_LIMIT, keep)
    count = len(data.parameters)
    columns = min(3, count)
    lines = math.ceil(count / columns)
    figure = new_figure(max(3.2, 3.0 * lines))
    grid = figure.subplots(lines, columns, squeeze=False)
    jitter = numpy.random.default_rng(1).uniform(-0.18, 0.18, size=data.n)
    ok = rows[data.ok[rows]]
    pruned = rows[data.pruned[rows]]
    for k, parameter in enumerate(data.parameters):
        axes = grid[k // columns][k % columns]
        x = data.values[parameter.flag]
        if parameter.is_choice:
            x = x + jitter
            _choice_axis(axes, parameter)
            axes.set_xlim(-0.5, len(parameter.options) - 0.5)
        elif parameter.log:
            axes.set_xscale("log")
        if len(pruned):
            axes.scatter(x[pruned], data.fom[pruned], s=7, facecolors="none", edgecolors="#aaaaaa", linewidths=0.5,
                         rasterized=rasterized(len(pruned)))
        points = axes.scatter(x[ok], data.fom[ok], s=7, c=data.ids[ok], cmap="viridis", linewidths=0,
                              alpha=0.7, rasterized=rasterized(len(ok)))
        if data.best is not None:
            axes.scatter([x[data.best]], [data.fom[data.best]], s=80, marker="*", color="#d62728", zorder=5)
        fom_scale(axes, data.fom[ok])
        axes.set_xlabel(parameter.flag + (" (log)" if parameter.log else ""))
        if k % columns == 0:
            axes.set_ylabel("FoM")
        axes.grid(alpha=0.3)
    for k in range(count, lines * columns):
        grid[k // columns][k % columns].set_visible(False)
    figure.colorbar(points, ax=grid.ravel().tolist(), label="trial", shrink=0.8, pad=0.02)
    caption = ("Each successful trial's FoM against each hyperparameter; colour: trial number (later trials are "
               "yellower); the best trial a red star; pruned trials hollow grey.")
    return drawn(name, title, caption, figure)


def _unit_column(data, parameter, rows):
    """The parameter's values on `rows` mapped onto [0, 1] (log10 first for log ranges), with the
    texts of the axis's bottom and top."""
    x = data.values[parameter.flag][rows]
    if parameter.is_choice:
        top = max(1, len(parameter.options) - 1)
        return x / top, short(parameter.options[0], 10), short(parameter.options[-1], 10)
    shown = numpy.log10(x) if parameter.log else x
    lo, hi = numpy.nanmin(shown), numpy.nanmax(shown)
    span = hi - lo if hi > lo else 1.0
    return (shown - lo) / span, "%.3g" % numpy.nanmin(x), "%.3g" % numpy.nanmax(x)


def draw_parallel(data):
    name, title = "parallel", "Parallel coordinates of the best quarter"
    ok_count = int(numpy.isfinite(data.loss).sum())
    if not data.parameters:
        return not_drawn(name, title, "the search space has no parameter")
    if ok_count < 4:
        return not_drawn(name, title, "fewer than 4 successful trials (%d): no best quarter to draw" % ok_count)
    rows = data.best_rows(max(2, ok_count // 4))  # best first
    best_rows = rows
    rows = thin(rows, LINES_LIMIT, best_rows[:300])
    rows = rows[numpy.argsort(data.loss[rows])[::-1]]  # the best drawn last, on top
    columns, bottoms, tops, labels = [], [], [], []
    for parameter in data.parameters:
        unit, bottom, top = _unit_column(data, parameter, rows)
        columns.append(unit)
        bottoms.append(bottom)
        tops.append(top)
        labels.append(short(parameter.flag, 18) + (" (log)" if parameter.log else ""))
    fom = data.fom[rows]
    lo, hi = fom.min(), fom.max()
    columns.append((fom - lo) / (hi - lo) if hi > lo else numpy.zeros(len(fom)))
    bottoms.append("%.4g" % lo)
    tops.append("%.4g" % hi)
    labels.append("FoM")
    y = numpy.column_stack(columns)
    x = numpy.arange(y.shape[1], dtype=float)
    figure = new_figure(5)
    axes = figure.subplots()
    segments = [numpy.column_stack([x, line]) for line in y]
    shade = numpy.linspace(0.0, 1.0, len(rows))  # worst (first) to best (last)
    collection = LineCollection(segments, array=shade, cmap="viridis", linewidths=0.8, alpha=0.6,
                                rasterized=rasterized(len(rows)))
    axes.add_collection(collection)
    axes.plot(x, y[-1], color="#d62728", linewidth=2.2, label="best (trial %d)" % data.ids[rows[-1]])
    for k in range(len(x)):
        axes.axvline(k, color="black", linewidth=0.8)
        axes.text(k, -0.04, bottoms[k], ha="center", va="top", fontsize=8)
        axes.text(k, 1.04, tops[k], ha="center", va="bottom", fontsize=8)
    axes.set_xlim(-0.3, len(x) - 0.7)
    axes.set_ylim(-0.12, 1.12)
    axes.set_yticks([])
    axes.set_xticks(x)
    axes.set_xticklabels(labels, fontsize=9)
    axes.tick_params(axis="x", pad=16)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.legend(fontsize=8, loc="upper right", bbox_to_anchor=(1.0, 1.18))
    caption = ("The best quarter of the successful trials (%d of %d), one line each across the hyperparameters "
               "and the FoM; the better, the yellower; the best in red." % (len(best_rows), ok_count))
    if len(rows) < len(best_rows):
        caption += " %d of them drawn at random, the best 300 always." % len(rows)
    return drawn(name, title, caption, figure)
