"""The two pruning kernels, defined once: each one's search space and its command (the same
program for hpo and for Optuna; the harness writes the command, server socket included, into
KERNEL_DIR/<kernel>_command, one argument per line)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "quality"))
from problems import Param, format_value  # noqa: E402,F401  (the search-quality bench's parameter type)

SPACES = {
    "mlp": (
        Param("lr", 1e-4, 3e-1, log=True),        # adam's learning_rate_init: the top end diverges
        Param("alpha", 1e-6, 1e-1, log=True),     # L2 penalty
        Param("hidden", 8, 128, integer=True, log=True),
        Param("batch", 16, 256, integer=True, log=True),
    ),
    "lenet": (
        Param("lr", 1e-3, 1.0, log=True),         # SGD's step: the top end diverges
        Param("momentum", 0.0, 0.95),
        Param("weight-decay", 1e-6, 1e-2, log=True),
        Param("batch", 16, 128, integer=True, log=True),
    ),
}
MODULES = {"mlp": "mlp_kernel", "lenet": "lenet_kernel"}
TITLES = {"mlp": "scikit-learn MLPClassifier (partial_fit per epoch)",
          "lenet": "LeNet-5 in PyTorch (CPU, one thread)"}


def command(kernel, kernel_dir):
    with open(os.path.join(kernel_dir, kernel + "_command")) as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def flags(values):
    """--name=value arguments, as hpo passes them (its default argument style)."""
    return ["--%s=%s" % (name, format_value(v)) for name, v in values.items()]
