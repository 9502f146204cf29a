"""The report as one self-contained HTML page: the tables, then each figure as a PNG embedded in a
data: URI (no network, no script or style from elsewhere). A few lines of inline script mark the
page once every image has decoded (`data-images="loaded N/N"` on <html>), for tests and tools."""

import base64
import html

STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1060px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.n { text-align: right; }
img { max-width: 100%; height: auto; }
p.caption { color: #444; font-size: 0.92em; } li.note { color: #555; }
code { font-size: 0.95em; }
"""

# Sets data-images on <html> to "loaded N/N" once every <img> has decoded (complete, with a width),
# "missing K/N" otherwise.
CHECK_IMAGES = """
(function () {
  function check() {
    var images = document.images, loaded = 0;
    for (var i = 0; i < images.length; i++) if (images[i].complete && images[i].naturalWidth > 0) loaded++;
    document.documentElement.setAttribute("data-images",
      (loaded === images.length ? "loaded " : "missing ") + loaded + "/" + images.length);
  }
  if (document.readyState === "complete") check(); else window.addEventListener("load", check);
})();
"""


def _table(rows, header=None, numeric=()):
    out = ["<table>"]
    if header:
        out.append("<tr>" + "".join("<th>%s</th>" % html.escape(h) for h in header) + "</tr>")
    for row in rows:
        cells = []
        for k, cell in enumerate(row):
            css = ' class="n"' if k in numeric else ""
            cells.append("<td%s>%s</td>" % (css, html.escape(str(cell))))
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _key_value(rows):
    return _table([(k, v) for k, v in rows])


def render(data, tables, figures):
    """The page's text. `tables`: the tables module's rows; `figures`: Drawn figures, drawn or not."""
    title = "hpo report: %s" % data.path
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             "<title>%s</title>" % html.escape(title), "<style>%s</style>" % STYLE, "</head>", "<body>",
             "<h1>%s</h1>" % html.escape(title)]
    parts += ['<section id="summary">', "<h2>Run</h2>", _key_value(tables["summary"]), "</section>"]
    parts += ['<section id="statuses">', "<h2>Trials per status</h2>",
              _table(tables["statuses"], header=("status", "trials", "share"), numeric=(1, 2)), "</section>"]
    if tables["best"]:
        parts += ['<section id="best">', "<h2>Best trial</h2>", _key_value(tables["best"]), "</section>"]
    parts += ['<section id="configuration">', "<h2>Configuration</h2>", _key_value(tables["configuration"]),
              "</section>"]
    for figure in figures:
        if figure.png is None:
            continue
        source = "data:image/png;base64," + base64.b64encode(figure.png).decode("ascii")
        parts += ['<section class="figure" id="figure-%s">' % figure.name, "<h2>%s</h2>" % html.escape(figure.title),
                  '<p class="caption">%s</p>' % html.escape(figure.caption),
                  '<img src="%s" alt="%s">' % (source, html.escape(figure.title)), "</section>"]
    skipped = [figure for figure in figures if figure.png is None]
    if skipped:
        parts += ['<section id="not-drawn">', "<h2>Not drawn</h2>", "<ul>"]
        parts += ['<li class="note" id="note-%s"><b>%s</b>: %s</li>' % (f.name, html.escape(f.title),
                                                                       html.escape(f.note)) for f in skipped]
        parts += ["</ul>", "</section>"]
    parts += ["<script>%s</script>" % CHECK_IMAGES, "</body>", "</html>", ""]
    return "\n".join(parts)
