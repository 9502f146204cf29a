"""The search space: ``hpo.Params`` in the seed's list form, and explicit domains."""

import numbers

from . import _core

__all__ = ["Domain", "range", "log_range", "choice", "Params", "params"]

_INT_LIMIT = 2**53  # integers beyond are not exact doubles: the engine refuses them


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class Domain:
    """Where one hyperparameter lives: a float range, an integer range or a choice.

    Made by :func:`hpo.range`, :func:`hpo.log_range` and :func:`hpo.choice`; the seed's list form
    makes the same from a tuple ``(lo, hi)`` or a list of options.
    """

    def __init__(self, core, options=None):
        self._core = core
        # A choice's options as the user gave them (16, 0.1, "adam"): results give these back.
        self._options = list(options) if options is not None else None

    @property
    def kind(self):
        """``"float_range"``, ``"int_range"`` or ``"choice"``."""
        return self._core.kind

    @property
    def is_log(self):
        return self._core.is_log

    @property
    def options(self):
        return list(self._options) if self._options is not None else None

    def log(self):
        """The same range sampled and mutated on a logarithmic scale (needs lo > 0)."""
        return Domain(self._core.log())

    def value_of(self, text):
        """The user's own option for an option's text (choices), else ``text``."""
        if self._options is not None:
            for option in self._options:
                if _option_text(option) == text:
                    return option
        return text

    def __repr__(self):
        if self.kind == "choice":
            return "hpo.choice(%r)" % (self._options,)
        bounds = (self._core.lo, self._core.hi)
        if self.kind == "int_range":
            bounds = tuple(int(b) for b in bounds)
        return "hpo.%s(%r, %r)" % ("log_range" if self.is_log else "range", *bounds)


def range(lo, hi):  # noqa: A001 - the seed's name
    """A range from ``lo`` to ``hi``: integers if both are ints (``hpo.range(2, 8)``), else floats."""
    for bound in (lo, hi):
        if not _is_number(bound):
            raise TypeError("a range's bounds must be numbers, not %s" % type(bound).__name__)
    if _is_int(lo) and _is_int(hi):
        for bound in (lo, hi):
            if abs(int(bound)) > _INT_LIMIT:
                raise ValueError("integer range bounds must lie within +-2^53, got %d" % bound)
        return Domain(_core.Domain.int_range(int(lo), int(hi)))
    return Domain(_core.Domain.float_range(float(lo), float(hi)))


def log_range(lo, hi):
    """A range sampled on a logarithmic scale, e.g. a learning rate: ``hpo.log_range(1e-5, 0.1)``."""
    return range(lo, hi).log()


def _option_text(option):
    if isinstance(option, bool):
        return str(option)  # True -> "True", as the seed's drivers passed it
    if not isinstance(option, (str, numbers.Real)):
        raise TypeError("a choice's options must be strings, numbers or bools, not %s" % type(option).__name__)
    if _is_int(option):
        return str(int(option))
    if isinstance(option, numbers.Real):
        return repr(float(option))
    return option


def choice(options):
    """One of ``options`` (strings or numbers): ``hpo.choice(["adam", "sgd"])``."""
    if isinstance(options, (str, bytes)) or not hasattr(options, "__iter__"):
        raise TypeError("choice() takes a list of options, not %s" % type(options).__name__)
    options = list(options)
    return Domain(_core.Domain.choice([_option_text(option) for option in options]), options)


def _domain_of(flag, spec):
    if isinstance(spec, Domain):
        return spec
    if isinstance(spec, tuple):
        if len(spec) != 2:
            raise ValueError("parameter %s: a range is a tuple (lo, hi), got %r" % (flag, spec))
        return range(*spec)
    if isinstance(spec, list):
        return choice(spec)
    raise TypeError(
        "parameter %s: the domain must be a tuple (lo, hi), a list of choices or an hpo.range/"
        "hpo.log_range/hpo.choice, not %s" % (flag, type(spec).__name__))


class Params:
    """The search space, in the seed's list form::

        hpo.Params([["--lr", 0.001, (1e-5, 0.1)],             # flag, default, (lo, hi)
                    ["--optimizer", "Adam", ["Adam", "SGD"]],   # a list: a choice
                    ["--c1_sz", 4, (2, 8)],                     # integer bounds: integers
                    ["--dropout", (0.01, 1.0)],                 # no default: drawn at random
                    ["--wd", 1e-4, hpo.log_range(1e-6, 1e-2)]]) # what the list form cannot say

    Each entry is ``[flag, default, domain]`` or ``[flag, domain]``. A default must lie in its
    domain; ValueError names the flag of a bad entry.
    """

    def __init__(self, params=()):
        self._core = _core.Params()
        self._entries = []  # (flag, default or None, Domain)
        if isinstance(params, (str, bytes)) or not hasattr(params, "__iter__"):
            raise TypeError("Params takes a list of [flag, default, domain] entries, not %s" % type(params).__name__)
        for entry in params:
            self.add(*self._split(entry))

    @staticmethod
    def _split(entry):
        if not isinstance(entry, (list, tuple)) or not 2 <= len(entry) <= 3:
            raise ValueError("a parameter is [flag, default, domain] or [flag, domain], got %r" % (entry,))
        if not isinstance(entry[0], str):
            raise TypeError("a parameter's flag must be a str, got %r" % (entry[0],))
        if len(entry) == 2:
            return entry[0], entry[1], None
        return entry[0], entry[2], entry[1]

    def add(self, flag, domain, default=None):
        """Adds a parameter: ``params.add("--lr", hpo.log_range(1e-5, 0.1), default=0.001)``."""
        domain = _domain_of(flag, domain)
        core_default = default
        if default is None:
            pass
        elif domain.kind == "choice" and isinstance(default, (str, bool)):
            core_default = _option_text(default)
        elif isinstance(default, bool):
            raise TypeError("parameter %s: a range's default must be a number, not a bool" % flag)
        elif _is_int(default):
            # a number picks the option equal to it (32.0 picks 32)
            if abs(int(default)) > _INT_LIMIT:
                raise ValueError("parameter %s: the default %d is beyond +-2^53" % (flag, default))
            core_default = int(default)
        elif isinstance(default, numbers.Real):
            core_default = float(default)
        self._core.add(flag, domain._core, core_default)
        self._entries.append((flag, default, domain))
        return self

    def get_params(self):
        """The defaults, as a dict flag -> value (None where the value is drawn at random)."""
        return {flag: default for flag, default, _ in self._entries}

    @property
    def flags(self):
        return [flag for flag, _, _ in self._entries]

    def domain(self, flag):
        for name, _, domain in self._entries:
            if name == flag:
                return domain
        raise KeyError(flag)

    def __len__(self):
        return len(self._entries)

    def __iter__(self):
        return iter(self.flags)

    def __repr__(self):
        return "hpo.Params(%s)" % "; ".join(self._core.specs())


def params(entries=()):
    """The talk's spelling of :class:`Params`: ``hpo.params([["--lr", 0.001, (1e-5, 0.1)]])``."""
    return Params(entries)
