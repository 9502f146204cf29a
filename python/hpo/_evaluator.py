"""``hpo.Evaluator``: the training kernel and how each evaluation of it runs, with the seed's keywords."""

import numbers
import os
import shutil
import sys

import warnings

from . import _allocation, _core
from ._errors import engine_errors

__all__ = ["Evaluator"]

# The engine's defaults (hpo::EvaluatorOptions), declared there once.
_DEFAULTS = _core.EvaluatorOptions()

_LAUNCHERS = {"local": "local", "wlm": "srun", "srun": "srun", "mpirun": "mpirun"}
_WORKLOAD_MANAGERS = {"local": "local", "slurm": "srun"}


class Evaluator:
    """The training program hpo runs once per trial, with the hyperparameters appended as flags.

    ``command`` is the program without hyperparameters, a string split like a shell would (never
    run through one) or a list of words: ``hpo.Evaluator("python3 ./train.py --epochs 3")``. The
    kernel prints ``FoM: <number>``; lower is better. Keywords (the seed's names):

    - ``launcher``: ``"local"`` (default: processes on this machine, or under mpirun on each
      worker rank's node), ``"wlm"`` (Slurm: each evaluation is an ``srun`` step on its own nodes),
      or hpo's own ``"srun"``/``"mpirun"``. ``workload_manager="slurm"|"local"`` says the same.
    - ``nodes``: nodes the search uses (with ``"wlm"``); ``nodes_per_eval``: nodes per evaluation.
    - ``alloc_args``: arguments of the Slurm allocation created when ``launcher="wlm"`` runs outside
      one (``"-J hpo --time=1:00:00"``); ``alloc_jobid``: use this existing allocation instead.
    - ``launch_args``: extra srun/mpirun arguments (``"-n 8 -u"``).
    - ``num_parallel_evals``: evaluations at once with the local launcher (default: one per core).
    - ``run_path``: where trials run, each in ``<run_path>/<trial id>/`` (default ``hpo-runs``).
    - ``src_path``: a file or directory the kernel needs; it appears in every trial's directory
      under its own name (a link, not a copy).
    - ``verbose``: echo each kernel's output, prefixed by its trial id.
    - ``fom`` (or ``fom_prefix``): the FoM prefix, default ``"FoM: "``.
    - ``checkpoint``: the root of the trials' checkpoint directories, each ``<checkpoint>/<trial id>``
      (the seed's PBT): ``@checkpoint`` in the command is replaced by the trial's directory (also in
      the environment as ``HPO_CHECKPOINT_DIR``), which starts as a copy of its parent trial's.
      Default: ``<run_path>/checkpoints`` when the command names ``@checkpoint`` or the optimizer
      is ``hpo.pbt``; none otherwise.
    - hpo's own: ``timeout`` (seconds per evaluation), ``kill_grace``, ``arg_style``
      (``"equals"``: ``--lr=0.1``; ``"space"``: ``--lr 0.1``).

    ``launcher="urika"`` and ``urika_args`` raise ValueError naming them.
    """

    def __init__(self, command, nodes=None, nodes_per_eval=_DEFAULTS.nodes_per_eval, launcher=None,
                 workload_manager=None, alloc_args=None, alloc_jobid=None, launch_args=_DEFAULTS.launch_args,
                 num_parallel_evals=None, run_path=_DEFAULTS.run_dir, src_path=None, checkpoint=None,
                 verbose=_DEFAULTS.echo_output, fom=None, fom_prefix=None, timeout=_DEFAULTS.timeout,
                 kill_grace=_DEFAULTS.kill_grace, arg_style=_DEFAULTS.arg_style, urika_args=None):
        if urika_args is not None:
            raise ValueError("urika_args: the Urika launcher is not supported; use launcher='wlm' (Slurm) or 'local'")
        self.launcher = self._launcher(launcher, workload_manager)
        self.command = self._command(command)
        if fom is not None and fom_prefix is not None and fom != fom_prefix:
            raise ValueError("fom and fom_prefix are the same setting; give one")
        options = _core.EvaluatorOptions()
        options.fom_prefix = _text("fom", fom if fom is not None else (fom_prefix if fom_prefix is not None else _DEFAULTS.fom_prefix))
        options.timeout = _number("timeout", timeout)
        options.kill_grace = _number("kill_grace", kill_grace)
        options.run_dir = os.fspath(run_path) if isinstance(run_path, os.PathLike) else _text("run_path", run_path)
        options.arg_style = _text("arg_style", arg_style)
        options.launcher = self.launcher
        options.nodes_per_eval = _count("nodes_per_eval", nodes_per_eval, minimum=1)
        options.launch_args = _text("launch_args", launch_args or "")
        if not isinstance(verbose, bool):
            raise TypeError("verbose must be True or False, not %r" % (verbose,))
        options.echo_output = verbose
        if src_path is not None:
            options.stage_paths = _stage_paths(src_path)
        if checkpoint is not None:
            options.checkpoint_root = _path("checkpoint", checkpoint)
        self.nodes = None if nodes is None else _count("nodes", nodes, minimum=1)
        if self.nodes is not None and self.launcher == "local" and self.nodes > 1:
            raise ValueError("nodes=%d needs launcher='wlm' (Slurm): the local launcher runs on this node" % self.nodes)
        if self.nodes is not None and self.nodes < options.nodes_per_eval:
            raise ValueError("nodes=%d is fewer than nodes_per_eval=%d" % (self.nodes, options.nodes_per_eval))
        self.num_parallel_evals = None if num_parallel_evals is None else _count("num_parallel_evals", num_parallel_evals, minimum=1)
        self.allocation = _allocation.Allocation(
            self.launcher, nodes=self.nodes, alloc_args=_text("alloc_args", alloc_args or ""), jobid=alloc_jobid)
        self._options = options
        self._core = self._core_evaluator()  # the C++ checks, here where the mistake is
        self._warn_about_bare_words()

    @staticmethod
    def _launcher(launcher, workload_manager):
        if launcher is not None and workload_manager is not None:
            raise ValueError("launcher and workload_manager are the same setting; give one")
        if workload_manager is not None:
            if workload_manager not in _WORKLOAD_MANAGERS:
                raise ValueError("workload_manager=%r: expected 'slurm' or 'local'" % (workload_manager,))
            return _WORKLOAD_MANAGERS[workload_manager]
        if launcher is None:
            return "local"
        if launcher == "urika":
            raise ValueError("launcher='urika': the Urika launcher is not supported; use 'wlm' (Slurm) or 'local'")
        if launcher not in _LAUNCHERS:
            raise ValueError("launcher=%r: expected 'local', 'wlm', 'srun' or 'mpirun'" % (launcher,))
        return _LAUNCHERS[launcher]

    @staticmethod
    def _command(command):
        if isinstance(command, str):
            words = None
        elif isinstance(command, (list, tuple)) and all(isinstance(w, (str, os.PathLike)) for w in command):
            words = [os.fspath(w) for w in command]
        else:
            raise TypeError("command must be a str or a list of str, not %s" % type(command).__name__)
        if words is None:
            with engine_errors():
                words = _core.split_command(command)  # an empty one: the engine's check names it
        # The seed's scripts say `python train.py`; Debian has no `python`: it means this interpreter.
        if words and words[0] in ("python", "python3") and shutil.which(words[0]) is None:
            words = [sys.executable] + words[1:]
        return words

    def _core_evaluator(self):
        with engine_errors():
            return _core.Evaluator(self.command, self._options)

    def _warn_about_bare_words(self):
        """`python train.py`: a bare word is passed as it is (it may be a value, `--epochs 3`), so
        in the trial's own directory it names nothing; `./train.py` is made absolute."""
        for position, word in enumerate(self.command):
            if _core.command_word(word, position) == "bare" and os.path.isfile(word):
                warnings.warn("the kernel command's word %r names a file here, but a bare word is passed as it "
                              "is and each trial runs in its own directory: write './%s' (or a path with a "
                              "'/') to have it found" % (word, word), stacklevel=3)

    def __repr__(self):
        return "hpo.Evaluator(%r, launcher=%r)" % (" ".join(self.command), self.launcher)


def _stage_paths(src_path):
    """src_path: one path or a list of them, each linked into every trial directory."""
    paths = [src_path] if isinstance(src_path, (str, os.PathLike)) else src_path
    if not isinstance(paths, (list, tuple)) or not all(isinstance(p, (str, os.PathLike)) for p in paths):
        raise TypeError("src_path must be a path or a list of paths, not %r" % (src_path,))
    absolute = [os.path.abspath(os.fspath(p)) for p in paths]
    for path in absolute:
        if not os.path.exists(path):
            raise ValueError("src_path '%s' does not exist" % path)
    return absolute


def _path(name, value):
    """A path keyword: a str or an os.PathLike, not empty."""
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError("%s must be a path, not %s" % (name, type(value).__name__))
    path = os.fspath(value)
    if not isinstance(path, str):
        raise TypeError("%s must be a str path, not bytes" % name)
    if not path:
        raise ValueError("%s must not be empty (leave it unset for the default)" % name)
    return path


def _text(name, value):
    if not isinstance(value, str):
        raise TypeError("%s must be a str, not %s" % (name, type(value).__name__))
    return value


def _number(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError("%s must be a number, not %s" % (name, type(value).__name__))
    return float(value)


def _count(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError("%s must be an int, not %s" % (name, type(value).__name__))
    value = int(value)
    if not minimum <= value <= 2**31 - 1:
        raise ValueError("%s must be >= %d and < 2^31 (got %d)" % (name, minimum, value))
    return value
