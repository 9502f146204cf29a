"""The search-quality problems, defined once: each one's parameters and the kernel command.

Every tool evaluates a point by running the problem's kernel command with one `--flag=value`
argument per parameter and reading the last `FoM: ` line it prints (the contract hpo uses).
"""
import math
import os
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class Param:
    name: str          # the kernel flag is --name
    lo: float
    hi: float
    integer: bool = False
    log: bool = False

    def hpo_spec(self):
        """The parameter for `hpo run --param`: `[lo,hi]` is an integer range only if both
        bounds are integer literals, so float bounds are always written with a decimal point."""
        bound = (lambda v: str(int(v))) if self.integer else (lambda v: repr(float(v)))
        return "--%s [%s,%s]%s" % (self.name, bound(self.lo), bound(self.hi), " log" if self.log else "")

    def from_unit(self, u):
        """Maps u in [0,1] onto the domain (log-uniformly where asked); integers own equal cells."""
        u = min(max(u, 0.0), 1.0)
        if not self.integer:
            if self.log:
                return math.exp(math.log(self.lo) + u * (math.log(self.hi) - math.log(self.lo)))
            return self.lo + u * (self.hi - self.lo)
        if self.log:
            value = math.exp(math.log(self.lo) + u * (math.log(self.hi + 1) - math.log(self.lo)))
        else:
            value = self.lo + u * (self.hi - self.lo + 1)
        return int(min(max(math.floor(value), self.lo), self.hi))


def _box(d, lo, hi):
    return tuple(Param("x%d" % i, lo, hi) for i in range(d))


MLP_PARAMS = (
    Param("lr", 1e-4, 1e-1, log=True),        # learning_rate_init
    Param("alpha", 1e-6, 1e-1, log=True),     # L2 penalty
    Param("hidden", 8, 128, integer=True, log=True),
    Param("batch", 16, 256, integer=True, log=True),
)

# name -> (parameters, description). Standard domains; test functions have known minima.
PROBLEMS = {
    "branin": ((Param("x0", -5, 10), Param("x1", 0, 15)),
               "Branin, x0 in [-5,10], x1 in [0,15]; min 0.397887"),
    "hartmann6": (_box(6, 0, 1), "Hartmann-6 on [0,1]^6; min -3.32237"),
    "ackley5": (_box(5, -32.768, 32.768), "Ackley 5-D on [-32.768,32.768]^5; min 0 at the origin"),
    "rosenbrock4": (_box(4, -5, 10), "Rosenbrock 4-D on [-5,10]^4; min 0 at (1,...,1)"),
    "levy6": (_box(6, -10, 10), "Levy 6-D on [-10,10]^6; min 0 at (1,...,1)"),
    "poly7": (_box(7, -10, 10), "7 coefficients of a degree-6 polynomial fitted to sin on [-pi,pi] "
              "(sum of squared errors at 50 points), each in [-10,10]; min about 1e-5"),
    "mlp_digits": (MLP_PARAMS, "scikit-learn MLPClassifier on digits, validation error; "
                   "lr, alpha (log), hidden units, batch size (integer, log)"),
}
ORDER = ("branin", "hartmann6", "ackley5", "rosenbrock4", "levy6", "poly7", "mlp_digits")


def params(problem):
    return PROBLEMS[problem][0]


def kernel_command(problem, kernel_dir):
    """The kernel command for a problem; kernel_dir holds the compiled test-function kernel
    and, for the MLP, the file `mlp_command` (one argument per line) written by the harness."""
    if problem == "mlp_digits":
        with open(os.path.join(kernel_dir, "mlp_command")) as f:
            return [line.rstrip("\n") for line in f if line.strip()]
    return [os.path.join(kernel_dir, "test_function_kernel"), "--problem", problem]


def format_value(value):
    return str(value) if isinstance(value, int) else repr(float(value))


def evaluate(command, values, cwd):
    """Runs the kernel once (fork/exec, no shell) and returns its FoM; raises if it fails."""
    argv = command + ["--%s=%s" % (name, format_value(v)) for name, v in values.items()]
    done = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    fom = None
    for line in done.stdout.splitlines():
        if "FoM: " in line:
            fom = float(line.split("FoM: ", 1)[1])
    if done.returncode != 0 or fom is None:
        raise RuntimeError("kernel failed (exit %d): %s\n%s" % (done.returncode, " ".join(argv), done.stderr))
    return fom
