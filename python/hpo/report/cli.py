"""The command line of ``python3 -m hpo.report`` and ``hpo report``: the arguments, and every error
as a message and an exit status like the hpo program's (2 for bad usage or a file that is not a
sound checkpoint, as ``hpo show``; 1 for any other error)."""

import argparse
import os
import sys
import time

EXIT_FAILURE, EXIT_USAGE = 1, 2


def _error(message, status):
    sys.stderr.write("hpo: error: %s\n" % message)
    return status


def _parser():
    parser = argparse.ArgumentParser(
        prog=os.environ.get("HPO_REPORT_PROG", "python3 -m hpo.report"),
        description="Draws what the checkpoint FILE.h5 holds as one self-contained HTML page (every figure "
                    "embedded: it opens without a network) and, with --png, each figure as a PNG: the "
                    "optimization history, the FoM against each parameter, parallel coordinates of the best "
                    "quarter, parameter importance, learning curves (runs with --prune), the lineage and the best "
                    "trial's schedule (pbt, @checkpoint), the worker timeline; and tables of the statuses and the "
                    "configuration. It can read a run that is still going. docs/report.md says more.",
        epilog="Exit status: 0, 1 for an error (matplotlib missing, an output that cannot be written), or 2 for bad "
               "usage or a file that is not a readable hpo checkpoint.")
    parser.add_argument("checkpoint", metavar="FILE.h5", help="the checkpoint")
    parser.add_argument("-o", "--output", metavar="FILE.html",
                        help="the page (default: the checkpoint's name with .html, in the current directory)")
    parser.add_argument("--png", metavar="DIR", help="also write each figure as DIR/<name>.png (created if needed)")
    parser.add_argument("--no-html", action="store_true", help="write no page (with --png: the PNGs only)")
    parser.add_argument("-v", "--verbose", action="store_true", help="say on stderr how long each figure took")
    return parser


def default_output(checkpoint):
    name = os.path.basename(checkpoint)
    stem = name[:-3] if name.endswith(".h5") and len(name) > 3 else name
    return stem + ".html"


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def main(argv=None):
    args = _parser().parse_args(argv)
    path = args.checkpoint
    output = None if args.no_html else (args.output or default_output(path))
    if output is not None and _same_file(output, path):
        return _error("-o '%s' is the checkpoint itself" % output, EXIT_USAGE)
    if args.png is not None and os.path.exists(args.png) and not os.path.isdir(args.png):
        return _error("--png '%s' is not a directory" % args.png, EXIT_USAGE)
    from .. import CheckpointError
    from .run_data import RunData

    log = (lambda line: sys.stderr.write("hpo report: %s\n" % line)) if args.verbose else None
    if log:
        log("the package in %s, run by %s" % (os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
            __file__)))), sys.executable))
    # The checkpoint first: a bad file is refused (exit 2) before matplotlib is even imported.
    started = (time.monotonic(), time.process_time())
    try:
        data = RunData(path)
    except CheckpointError as error:
        message = str(error)  # as hpo show says it: naming the file
        return _error(message if path in message else "checkpoint '%s': %s" % (path, message), EXIT_USAGE)
    if log:
        log("read %d trials: %.2f s (CPU %.2f s)" % (data.n, time.monotonic() - started[0],
                                                     time.process_time() - started[1]))
    os.environ.setdefault("MPLBACKEND", "Agg")  # never a display (the report uses the Agg canvas anyway)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return _error("hpo report draws with matplotlib, which %s cannot import: install it (Debian: "
                      "apt-get install python3-matplotlib)" % sys.executable, EXIT_FAILURE)
    from .build import make_report

    try:
        figures = make_report(path, html_path=output, png_dir=args.png, log=log, data=data)
    except OSError as error:
        return _error("cannot write the report: %s" % error, EXIT_FAILURE)
    drawn = [f for f in figures if f.png is not None]
    skipped = [f.name for f in figures if f.png is None]
    where = [] if output is None else [output]
    if args.png is not None:
        where.append(os.path.join(args.png, "<name>.png"))
    sys.stdout.write("hpo report: %d figures%s in %s%s\n" % (
        len(drawn), " (%s)" % ", ".join(f.name for f in drawn) if drawn else "", " and ".join(where) or "nothing",
        "; not drawn: %s" % ", ".join(skipped) if skipped else ""))
    return 0
