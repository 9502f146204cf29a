"""The engine's messages in the package's words: the C++ checks name the command line's options
(``--run-dir``); a Python user wrote ``run_path``."""

import contextlib

# The command line's words and the keywords that set the same thing, longest first.
_KEYWORD_OF = [
    ("--launcher srun or mpirun", "launcher='wlm' (or 'srun', 'mpirun')"),
    ("give at least one --param", "give hpo.Params at least one parameter"),
    ("--keep-checkpoints", "keep_checkpoints"),
    ("--checkpoint-root", "checkpoint"),
    ("--nodes-per-eval", "nodes_per_eval"),
    ("--worker-timeout", "worker_timeout"),
    ("--launch-args", "launch_args"),
    ("--fom-prefix", "fom"),
    ("--launcher", "launcher"),
    ("--parallel", "parallel"),
    ("--run-dir", "run_path"),
    ("--timeout", "timeout"),
    ("--stage", "src_path"),
]


def in_package_words(message):
    for cli_words, keyword in _KEYWORD_OF:
        message = message.replace(cli_words, keyword)
    return message


@contextlib.contextmanager
def engine_errors():
    """Re-raises a ValueError or TypeError of the engine with its message in the package's words."""
    try:
        yield
    except (ValueError, TypeError) as error:
        translated = in_package_words(str(error))
        if translated == str(error):
            raise
        raise type(error)(translated) from None
