"""The Slurm allocation an Evaluator with ``launcher="wlm"`` runs in: the one this process is in,
an existing one (``alloc_jobid``), or one created for the run with ``alloc_args`` and released
after it, as the seed did ("Detected Slurm as the workload manager" ... "Nodes deallocated")."""

import contextlib
import os
import re
import shlex
import subprocess
import sys

from . import _core

__all__ = ["Allocation"]


def _slurm(*argv):
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        raise RuntimeError("%s not found: launcher='wlm' needs Slurm's commands on PATH" % argv[0]) from None
    if done.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(argv), (done.stderr or done.stdout).strip()))
    return done.stdout


def _hostnames(hostlist):
    return _slurm("scontrol", "show", "hostnames", hostlist).split()


class Allocation:
    """Where the srun steps of a run go; a context manager around one optimize()."""

    def __init__(self, launcher, nodes=None, alloc_args="", jobid=None):
        self.launcher = launcher
        self.nodes = nodes
        self.alloc_args = shlex.split(alloc_args)
        self.jobid = None if jobid is None else str(jobid)
        if self.jobid is not None and not re.fullmatch(r"\d+(_\d+)?", self.jobid):
            raise ValueError("alloc_jobid=%r is not a Slurm job id" % (jobid,))
        if launcher == "local" and (self.jobid is not None or self.alloc_args):
            raise ValueError("alloc_jobid and alloc_args need launcher='wlm' (Slurm)")

    @contextlib.contextmanager
    def active(self, verbose=True):
        # hpo's mpirun launcher needs no allocation (alone, it runs on this node); it takes one
        # only when asked for with alloc_jobid or alloc_args.
        if self.launcher == "local" or (self.launcher == "mpirun" and self.jobid is None and not self.alloc_args):
            yield
            return
        created = None
        jobid = self.jobid or os.environ.get("SLURM_JOB_ID")
        if jobid is None:
            if _core.launched_by_mpi():
                raise ValueError("launcher='wlm' under mpirun outside a Slurm allocation: run the job inside one "
                                 "(sbatch, salloc) or pass alloc_jobid")
            jobid = created = self._create(verbose)
        saved = {name: os.environ.get(name) for name in ("SLURM_JOB_ID", "SLURM_JOB_NODELIST", "SLURM_JOBID")}
        try:
            nodelist = self._nodelist(jobid)
            os.environ["SLURM_JOB_ID"] = os.environ["SLURM_JOBID"] = jobid
            os.environ["SLURM_JOB_NODELIST"] = nodelist
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            if created is not None:
                subprocess.run(["scancel", created], capture_output=True, timeout=120)
                if verbose:
                    print("hpo: Slurm allocation %s released (nodes deallocated)" % created, file=sys.stderr)

    def _create(self, verbose):
        argv = ["salloc", "--no-shell", "--nodes=%d" % (self.nodes or 1)] + self.alloc_args
        if verbose:
            print("hpo: Slurm detected; creating an allocation: %s" % " ".join(map(shlex.quote, argv)), file=sys.stderr)
        try:
            done = subprocess.run(argv, capture_output=True, text=True)
        except FileNotFoundError:
            raise RuntimeError("launcher='wlm' outside a Slurm allocation needs salloc on PATH to create one; or run "
                               "the driver inside an allocation (sbatch, salloc) or pass alloc_jobid") from None
        match = re.search(r"Granted job allocation (\d+)", done.stderr + done.stdout)
        if done.returncode != 0 or not match:
            raise RuntimeError("salloc could not create an allocation (%s): %s" % (
                " ".join(argv), (done.stderr or done.stdout).strip()))
        return match.group(1)

    def _nodelist(self, jobid):
        if jobid == os.environ.get("SLURM_JOB_ID") and os.environ.get("SLURM_JOB_NODELIST"):
            nodelist = os.environ["SLURM_JOB_NODELIST"]
        else:
            nodelist = _slurm("squeue", "-h", "-j", jobid, "-o", "%N").strip()
            if not nodelist:
                raise RuntimeError("Slurm job %s has no nodes (not running, or not found by squeue)" % jobid)
        if self.nodes is None:
            return nodelist
        hosts = _hostnames(nodelist)
        if self.nodes > len(hosts):
            raise ValueError("nodes=%d but Slurm job %s has %d node(s)" % (self.nodes, jobid, len(hosts)))
        return _slurm("scontrol", "show", "hostlist", ",".join(hosts[: self.nodes])).strip()
