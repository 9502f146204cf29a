"""The report's figures: matplotlib's object API on the Agg canvas (no pyplot, no display, no
backend to choose), each rendered once to PNG bytes for the page and for --png."""

import io

import numpy
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

WIDTH_INCHES = 10
DPI = 100  # every figure is WIDTH_INCHES * DPI = 1000 pixels wide
RASTERIZE_ABOVE = 2000  # a scatter of more points is drawn as pixels inside the PNG (smaller, faster)


class Drawn:
    """A figure of the report: `name` (its PNG file is <name>.png), a title, a caption, and the
    PNG bytes; or, when the checkpoint has no data for it, `note` saying why it is not drawn."""

    def __init__(self, name, title, caption="", png=None, note=None):
        self.name = name
        self.title = title
        self.caption = caption
        self.png = png
        self.note = note


def new_figure(height_inches):
    figure = Figure(figsize=(WIDTH_INCHES, height_inches), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def png_bytes(figure):
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def drawn(name, title, caption, figure):
    return Drawn(name, title, caption, png=png_bytes(figure))


def not_drawn(name, title, note):
    return Drawn(name, title, note=note)


def fom_scale(axes, values):
    """A log FoM axis when every value is positive and they span more than three decades."""
    values = numpy.asarray(values, dtype=float)
    values = values[numpy.isfinite(values)]
    if len(values) and values.min() > 0 and values.max() / values.min() > 1e3:
        axes.set_yscale("log")


def deme_colour(deme):
    palette = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
               "#7f7f7f", "#393b79")
    return palette[int(deme) % len(palette)]


def rasterized(count):
    return count > RASTERIZE_ABOVE


def short(text, width=14):
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + "…"
