#!/usr/bin/env python3
"""A noisy training kernel for the confirmation tests (--confirm-top): FoM = x + noise, the noise
drawn from its seed (--seed=N, where the command holds --seed=@repeat) and x, so that one lucky run
can look better than a configuration that is better on average. Deterministic: the same x and seed
give the same FoM. It writes its arguments to argv.bin (NUL after each) and checks that HPO_REPEAT holds the same number as its --seed (exit 3 if not).

--pause=S: seconds it takes (for the kill tests)."""
import hashlib
import os
import sys
import time


def main():
    with open("argv.bin", "wb") as f:  # in its trial directory: the words it got
        f.write(b"".join(a.encode() + b"\0" for a in sys.argv[1:]))
    args = dict(a.split("=", 1) for a in sys.argv[1:])
    x, seed = float(args["--x"]), int(args["--seed"])
    if os.environ.get("HPO_REPEAT") != str(seed):
        print("HPO_REPEAT %r is not the --seed %d" % (os.environ.get("HPO_REPEAT"), seed), file=sys.stderr)
        return 3
    time.sleep(float(args.get("--pause", "0")))
    digest = hashlib.sha256(("%r %d" % (x, seed)).encode()).digest()
    noise = int.from_bytes(digest[:4], "little") / 2**32  # uniform in [0, 1)
    print("FoM: %r" % (x + 0.8 * noise))
    return 0


if __name__ == "__main__":
    sys.exit(main())
