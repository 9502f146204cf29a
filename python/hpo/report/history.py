"""Optimization history: each trial's FoM and the best so far, against trial number and wall time,
one colour per deme, pruned trials in grey, failures marked with a red x at the bottom."""

import numpy
from matplotlib.transforms import blended_transform_factory

from .figure import deme_colour, drawn, fom_scale, new_figure, not_drawn, rasterized
from .thinning import best_keep, thin

NAME, TITLE = "history", "Optimization history"
SCATTER_LIMIT = 20000


def _best_so_far(data, order):
    """The best FoM among the trials in `order` up to each one (NaN before the first ok trial)."""
    loss = numpy.minimum.accumulate(data.loss[order])
    best = numpy.where(numpy.isfinite(loss), loss, numpy.nan)
    return -best if data.maximize else best


def _wall_time(data):
    """Hours, minutes or seconds since the first trial started, and the unit's name."""
    t0 = data.start[data.start > 0].min() if (data.start > 0).any() else 0.0
    span = data.end.max() - t0 if data.n else 0.0
    for unit, seconds in (("hours", 3600.0), ("minutes", 60.0), ("seconds", 1.0)):
        if span >= 3 * seconds or unit == "seconds":
            return (data.end - t0) / seconds, unit


def _panel(axes, data, x, xlabel, order, keep):
    shown = thin(numpy.arange(data.n), SCATTER_LIMIT, keep)
    ok = shown[data.ok[shown] & numpy.isfinite(data.fom[shown])]
    demes = numpy.unique(data.deme[ok]) if len(ok) else []
    size = 14 if len(shown) < 2000 else 5
    for deme in demes:
        rows = ok[data.deme[ok] == deme]
        label = "deme %d" % deme if len(demes) > 1 else "ok"
        axes.scatter(x[rows], data.fom[rows], s=size, color=deme_colour(deme), alpha=0.7, linewidths=0, zorder=3,
                     label=label, rasterized=rasterized(len(rows)))  # above the best-so-far line they set
    pruned = shown[data.pruned[shown] & numpy.isfinite(data.fom[shown])]
    if len(pruned):
        axes.scatter(x[pruned], data.fom[pruned], s=size, facecolors="none", edgecolors="#999999", linewidths=0.6,
                     label="pruned", rasterized=rasterized(len(pruned)))
    failed = shown[data.failed[shown]]
    if len(failed):
        bottom = blended_transform_factory(axes.transData, axes.transAxes)
        axes.scatter(x[failed], numpy.full(len(failed), 0.02), s=14, marker="x", color="#d62728", linewidths=0.8,
                     transform=bottom, label="failed (%d)" % int(data.failed.sum()),
                     rasterized=rasterized(len(failed)))
    axes.step(x[order], _best_so_far(data, order), where="post", color="black", linewidth=1.2, alpha=0.8, zorder=2,
              label="best so far")
    if data.best is not None:
        axes.scatter([x[data.best]], [data.fom[data.best]], s=90, marker="*", color="#d62728", zorder=5,
                     label="best (trial %d)" % data.ids[data.best])
    fom_scale(axes, data.fom[ok] if len(ok) else [])
    axes.set_xlabel(xlabel)
    axes.set_ylabel("FoM (%s)" % ("maximized" if data.maximize else "minimized"))
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="best", markerscale=1.2)


def draw(data):
    if data.n == 0:
        return not_drawn(NAME, TITLE, "the checkpoint holds no trial yet")
    figure = new_figure(8)
    top, bottom = figure.subplots(2, 1)
    keep = best_keep(data)
    _panel(top, data, data.ids.astype(float), "trial", numpy.argsort(data.ids, kind="stable"), keep)
    times, unit = _wall_time(data)
    _panel(bottom, data, times, "wall time (%s, at each trial's end)" % unit, numpy.argsort(data.end, kind="stable"),
           keep)
    caption = "Each trial's FoM and the best so far, by trial number and by the time it ended."
    if data.n > SCATTER_LIMIT:
        caption += " A random %d of the %d trials are drawn, and the best %d always." % (SCATTER_LIMIT, data.n, len(keep))
    return drawn(NAME, TITLE, caption, figure)
