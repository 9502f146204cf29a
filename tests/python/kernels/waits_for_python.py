"""A test kernel that succeeds only while the driver's Python code runs: it waits (at most 30 s)
until the number in the file --ticks (counted up by a thread of the driver) grows, then prints
FoM = (x - 0.3)^2 from --x; exits 1 if it never grows."""
import sys
import time

args = dict(a.split("=", 1) for a in sys.argv[1:] if "=" in a)


def ticks():
    try:
        with open(args["--ticks"]) as f:
            return int(f.read() or 0)
    except (OSError, ValueError):
        return -1


start = ticks()
deadline = time.monotonic() + 30
while ticks() <= start:
    if time.monotonic() > deadline:
        print("the driver's thread did not run while this kernel waited", file=sys.stderr)
        sys.exit(1)
    time.sleep(0.01)
print("FoM: %r" % ((float(args.get("--x", 0.3)) - 0.3) ** 2))
