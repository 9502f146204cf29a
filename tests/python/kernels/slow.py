"""A slow test kernel: writes its own pid and its child's to ./pids (its trial directory), waits
--sleep seconds (default 1) for that child (a `sleep`), then prints FoM = (x - 0.3)^2 from --x.
A kernel, or its child, that outlives the run stopping is a process left behind."""
import os
import subprocess
import sys

args = dict(a.split("=", 1) for a in sys.argv[1:] if "=" in a)
child = subprocess.Popen(["sleep", args.get("--sleep", "1")])
with open("pids", "w") as f:
    f.write("%d %d\n" % (os.getpid(), child.pid))
child.wait()
print("FoM: %r" % ((float(args.get("--x", 0.3)) - 0.3) ** 2))
