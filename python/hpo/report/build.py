"""Reading a checkpoint, drawing its figures, writing the page and the PNGs."""

import os
import time

from . import curves, history, importance, lineage, parameters, tables, workers
from .run_data import RunData
from .page import render

# Every figure, in the page's order; each is drawn only when the checkpoint has its data.
FIGURES = (history.draw, parameters.draw_scatter, parameters.draw_parallel, importance.draw, curves.draw,
           lineage.draw_lineage, lineage.draw_schedule, workers.draw)


def make_report(path, html_path=None, png_dir=None, log=None, data=None):
    """Reads the checkpoint `path`, draws the figures it has data for, writes the page to
    `html_path` (if given) and each figure as <png_dir>/<name>.png (if given). Returns the figures
    (``Drawn``: ``name``, ``title``, ``png`` bytes or ``note`` saying why it is not drawn).

    Raises ``hpo.CheckpointError`` (a ValueError) for a file that is not a sound checkpoint."""
    clock = (time.monotonic(), time.process_time())

    def lap(what):  # wall and CPU seconds since the last lap (the machine may be shared)
        nonlocal clock
        now = (time.monotonic(), time.process_time())
        if log:
            log("%s: %.2f s (CPU %.2f s)" % (what, now[0] - clock[0], now[1] - clock[1]))
        clock = now

    if data is None:  # (the command line reads it first: a bad file is refused before matplotlib loads)
        data = RunData(os.fspath(path))
        lap("read %d trials" % data.n)
    figures = []
    for draw in FIGURES:
        figure = draw(data)
        figures.append(figure)
        lap("%s %s" % (figure.name, "drawn" if figure.png else "not drawn"))
    if png_dir is not None:
        os.makedirs(png_dir, exist_ok=True)
        for figure in figures:
            if figure.png is not None:
                with open(os.path.join(png_dir, figure.name + ".png"), "wb") as f:
                    f.write(figure.png)
    if html_path is not None:
        page = render(data, {"summary": tables.summary(data), "statuses": tables.statuses(data),
                             "best": tables.best_trial(data), "configuration": tables.configuration(data)}, figures)
        with open(html_path, "w", encoding="utf-8") as f:
            f.write(page)
    lap("written")
    return figures
