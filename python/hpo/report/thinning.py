"""Thinning dense scatters: at most a limit of points drawn, the best trials always among them."""

import numpy


def thin(rows, limit, keep=(), seed=0):
    """`rows` (an index array) cut down to about `limit` rows drawn at random (a fixed seed, so a
    report is the same each time), plus every row of `keep` that is in `rows`; sorted."""
    rows = numpy.asarray(rows)
    if len(rows) <= limit:
        return rows
    rng = numpy.random.default_rng(seed)
    chosen = rng.choice(rows, size=limit, replace=False)
    keep = numpy.intersect1d(numpy.asarray(keep, dtype=rows.dtype), rows)
    return numpy.union1d(chosen, keep)


def best_keep(data, fraction=0.01, minimum=50):
    """The rows that thinning must keep: the best `fraction` of the ok trials (at least `minimum`)."""
    count = max(minimum, int(fraction * int(numpy.isfinite(data.loss).sum())))
    return data.best_rows(count)
