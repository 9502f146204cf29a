#!/usr/bin/env bash
# docs/python.md agrees with the package the build assembled: each optimizer's table lists every
# option of its strategy's table (keyword, CLI flag, default) and every seed's alias, the settings
# table every setting with its default, the Evaluator's tables every keyword, and the CrayAI
# mapping quotes the ValueError each refused keyword really raises.
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
# shellcheck source=lib/common.bash
source "$here/lib/common.bash"

: "${HPO_SOURCE_DIR:?HPO_SOURCE_DIR must name the source tree (ctest sets it)}"
# shellcheck source=lib/python.bash
source "$here/lib/python.bash"

set +e
"$python" - "$HPO_SOURCE_DIR/docs/python.md" > out.txt 2> err.txt << 'PYTHON'
import inspect
import re
import sys

import hpo
from hpo import _core
from hpo._optimizer import _SETTINGS

doc = open(sys.argv[1]).read()
problems = []


def section(start, end):
    """The text of docs/python.md from the line holding `start` to the next holding `end`."""
    begin = doc.find(start)
    if begin < 0:
        problems.append("no section %r" % start)
        return ""
    stop = doc.find(end, begin + len(start))
    return doc[begin:stop if stop >= 0 else len(doc)]


def shown(value):
    """A default as the tables show it: a string quoted, True, False and None as code, a number as it is."""
    if isinstance(value, str):
        return '`"%s"`' % value
    return "`%r`" % value if value is None or isinstance(value, bool) else "%r" % value


def row(text, cells, where):
    line = re.sub(" +", " ", "| " + " | ".join(cells) + " |")  # an empty cell is "| |"
    if line not in text:
        problems.append("%s: no row starting %r" % (where, line))


names = _core.strategy_names()
for i, name in enumerate(names):
    optimizer = getattr(hpo, name).Optimizer
    text = section("**`hpo.%s.Optimizer(" % name, "**The settings**" if i == len(names) - 1 else "\n**")
    for option in _core.strategy_options(name):
        row(text, ["`%s`" % option["keyword"], "`%s`" % option["flag"], shown(option["default"])], name)
    for alias in optimizer._aliases:
        row(text, ["`%s`" % alias, "", ""], name + " (the seed's name: no flag, no default of its own)")

pruning = section("**Pruning**", "\n## ")
for option in _core.prune_options():
    row(pruning, ["`%s`" % option["keyword"], "`%s`" % option["flag"], shown(option["default"])], "pruning")

settings = section("**The settings**", "\n## ")
for name, default, _ in _SETTINGS:
    row(settings, ["`%s`" % name, shown(default)], "settings")

evaluator = section("## The kernel's evaluator", "\n## ")
mapping = section("## From CrayAI HPO", "\n**The optimizers**")
for keyword in inspect.signature(hpo.Evaluator.__init__).parameters:
    if keyword in ("self", "command"):
        continue
    if "`%s`" % keyword not in evaluator and "`%s`" % keyword not in mapping:
        problems.append("Evaluator keyword %s is not in docs/python.md" % keyword)

refused = [(lambda: hpo.Evaluator("true", launcher="urika")),
           (lambda: hpo.Evaluator("true", urika_args="-x"))]
for make in refused:
    try:
        make()
        problems.append("a refused keyword was accepted")
    except ValueError as error:
        if "`ValueError: %s`" % error not in doc:
            problems.append("the mapping does not quote: ValueError: %s" % error)

print("\n".join(problems) if problems else "ok")
sys.exit(1 if problems else 0)
PYTHON
rc=$?
set -e
expect_rc 0 "docs/python.md against the package"
echo "python docs: ok"
