"""A test kernel: FoM = (x - 0.3)^2 + (n - 3)^2 + (0 if opt is 'b' else 1), from --x, --n, --opt
(any of them may be missing); exits 1 when --fail is set, sleeps --sleep seconds first."""
import sys
import time

args = dict(a.split("=", 1) for a in sys.argv[1:] if "=" in a)
time.sleep(float(args.get("--sleep", 0)))
if args.get("--fail"):
    sys.exit(1)
fom = (float(args.get("--x", 0.3)) - 0.3) ** 2 + (int(args.get("--n", 3)) - 3) ** 2 + (0 if args.get("--opt", "b") == "b" else 1)
print("epoch 1 FoM: %r" % (fom + 1))
print("FoM: %r" % fom)
