"""A test kernel with a known learning curve: 27 epochs, one every 0.05 s, each printing
`epoch N FoM: V` with V = x + 1/N from --x (0.5 without): a trial's values rank as its x at every
step, and a stop sent at an early step arrives long before its training would end."""
import sys
import time

args = dict(a.split("=", 1) for a in sys.argv[1:] if "=" in a)
x = float(args.get("--x", 0.5))
for epoch in range(1, 28):
    time.sleep(0.05)
    print("epoch %d FoM: %r" % (epoch, x + 1.0 / epoch), flush=True)
