"""``hpo.report``: a checkpoint's run as one self-contained HTML page and PNG figures.

``python3 -m hpo.report FILE.h5 [-o report.html] [--png DIR]`` (the same as ``hpo report``), or
from Python ``hpo.report.make_report("hpo.h5", html_path="report.html", png_dir="figures")``.
Drawn with matplotlib on its Agg canvas (no display needed); the checkpoint is read with the
package's own loader (a run still going gives a consistent snapshot). docs/report.md has the
figures and what each shows."""

__all__ = ["make_report"]


def make_report(path, html_path=None, png_dir=None, log=None):
    """Reads the checkpoint `path`, draws the figures it has data for, writes the page to
    `html_path` (if given) and each figure as <png_dir>/<name>.png (if given). Returns the figures
    (``name``, ``title``, ``caption``, ``png`` bytes, or ``note`` saying why it is not drawn).

    Raises ``hpo.CheckpointError`` (a ValueError) for a file that is not a sound checkpoint, and
    ImportError without matplotlib."""
    from .build import make_report as build  # matplotlib is imported only here

    return build(path, html_path=html_path, png_dir=png_dir, log=log)
