"""Parameter importance: from the Gaussian process's length scales for a bayes run whose model was
fitted (the saved state's `fit` line), otherwise from a random forest (scikit-learn) fitted to the
successful trials: choices one-hot, log ranges in log10, impurity importances summed per parameter."""

import numpy

from .figure import drawn, new_figure, not_drawn, short

NAME, TITLE = "importance", "Parameter importance"
MIN_TRIALS = 10
FOREST_TRIALS = 5000  # a larger run's forest is fitted to this many trials drawn at random (the best kept)
TREES = 100


def gp_length_scales(data):
    """The fitted length scales (one per parameter, in the unit cube) and how many results the model
    was fitted to, from a bayes state; None when there is none (no fit yet, another strategy)."""
    if data.strategy != "bayes" or not data.strategy_state:
        return None
    try:
        text = bytes(data.strategy_state).decode("ascii")
    except UnicodeDecodeError:
        return None
    for line in text.splitlines():
        words = line.split(" ")
        # fit 1 BASE LENGTH_SCALE... SIGNAL_VARIANCE NOISE_VARIANCE
        if words[0] == "fit" and len(words) == 3 + len(data.parameters) + 2 and words[1] == "1":
            try:
                scales = [float(w) for w in words[3:3 + len(data.parameters)]]
                return numpy.array(scales), int(words[2])
            except ValueError:
                return None
    return None


def _features(data, rows):
    """The design matrix of `rows` and, per column, the index of its parameter."""
    columns, owner = [], []
    for k, parameter in enumerate(data.parameters):
        x = data.values[parameter.flag][rows]
        if parameter.is_choice:
            for option in range(len(parameter.options)):
                columns.append((x == option).astype(float))
                owner.append(k)
        else:
            columns.append(numpy.log10(x) if parameter.log else x)
            owner.append(k)
    return numpy.column_stack(columns), numpy.array(owner)


def forest_importance(data):
    """Impurity importances per parameter (summing to 1) and the number of trials used; or a
    string saying why there are none."""
    rows = numpy.flatnonzero(numpy.isfinite(data.loss))
    if len(rows) < MIN_TRIALS:
        return "too few successful trials (%d) to estimate importance: it needs at least %d" % (len(rows), MIN_TRIALS)
    try:
        from sklearn.ensemble import RandomForestRegressor
    except ImportError:
        return "scikit-learn is not installed (Debian: python3-sklearn): no random forest to estimate importance"
    if len(rows) > FOREST_TRIALS:
        rng = numpy.random.default_rng(2)
        rows = numpy.union1d(rng.choice(rows, FOREST_TRIALS, replace=False), data.best_rows(100))
    x, owner = _features(data, rows)
    y = data.fom[rows]
    if y.min() > 0 and y.max() / y.min() > 1e3:
        y = numpy.log10(y)
    x = numpy.where(numpy.isfinite(x), x, 0.0)
    if numpy.ptp(y) == 0:
        return "every successful trial has the same FoM: no parameter matters"
    forest = RandomForestRegressor(n_estimators=TREES, min_samples_leaf=2, random_state=0, n_jobs=1)
    forest.fit(x, y)
    per_column = forest.feature_importances_
    importance = numpy.array([per_column[owner == k].sum() for k in range(len(data.parameters))])
    return importance, len(rows)


def draw(data):
    if not data.parameters:
        return not_drawn(NAME, TITLE, "the search space has no parameter")
    fitted = gp_length_scales(data)
    if fitted is not None:
        scales, base = fitted
        importance = 1.0 / scales
        importance /= importance.sum()
        caption = ("From the Gaussian process's length scales (bayes, fitted to %d results): a parameter's relevance "
                   "is 1 / its length scale in the unit cube, normalized to sum to 1. A short length scale: "
                   "the FoM changes fast along it." % base)
        xlabel = "relevance (1 / length scale, normalized)"
    else:
        result = forest_importance(data)
        if isinstance(result, str):
            return not_drawn(NAME, TITLE, result)
        importance, used = result
        caption = ("A random forest (scikit-learn, %d trees) fitted to %d successful trials' FoMs (choices one-hot, "
                   "log ranges in log10); each parameter's share of the impurity decrease." % (TREES, used))
        xlabel = "importance (share of the impurity decrease)"
    order = numpy.argsort(importance)
    figure = new_figure(max(2.5, 0.45 * len(order) + 1.2))
    axes = figure.subplots()
    labels = [short(data.parameters[k].flag, 24) for k in order]
    axes.barh(range(len(order)), importance[order], color="#1f77b4")
    axes.set_yticks(range(len(order)))
    axes.set_yticklabels(labels)
    for y, value in enumerate(importance[order]):
        axes.text(value, y, " %.2f" % value, va="center", fontsize=8)
    axes.set_xlim(0, max(importance.max() * 1.15, 1e-9))
    axes.set_xlabel(xlabel)
    axes.grid(axis="x", alpha=0.3)
    return drawn(NAME, TITLE, caption, figure)
