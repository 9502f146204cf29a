"""Each rank's stdout of an mpirun job in its own file: mpirun merges the ranks' output in chunks
that need not end at a line's end, so lines of several ranks can run into one another."""

import os

from conftest import mpirun

_TO_FILE = 'exec "$@" > "stdout.rank${OMPI_COMM_WORLD_RANK:-${PMI_RANK:?no MPI rank in the environment}}"'


def launcher(ranks):
    """The argv prefix for run_python(..., launcher=...) that starts `ranks` ranks, each writing its
    stdout to stdout.rank<r> in the job's folder (stderr stays mpirun's)."""
    return mpirun(ranks) + ["sh", "-c", _TO_FILE, "sh"]


def stdouts(folder, ranks):
    """Each rank's stdout, by rank."""
    out = []
    for rank in range(ranks):
        with open(os.path.join(folder, "stdout.rank%d" % rank)) as f:
            out.append(f.read())
    return out
