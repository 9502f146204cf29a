#!/usr/bin/env python3
"""A training kernel for the checkpoint-directory tests (pbt, genetic with @checkpoint).

Its "model" is a position and a round count in `model` in its checkpoint directory (the path after
--ckpt=, which must be HPO_CHECKPOINT_DIR); each run trains one round: the position moves by the
learning rate --lr towards nothing in particular, and the FoM is the distance to 3. It also appends
its trial id to `history`, so that a directory tells the lineage it was copied through, and it
rewrites `model` in place (the same inode), as torch.save does: a directory shared with its parent
by hard links would change the parent's. Deterministic: the same lineage gives the same FoM.

CRASH_TRIALS="5 9": those trials ruin their model (in place) and kill themselves mid-round.
--pause=S: seconds each round takes (for kill tests)."""
import os
import signal
import sys
import time


def main():
    lr, pause, ckpt = 0.0, 0.0, None
    for arg in sys.argv[1:]:
        name, _, value = arg.partition("=")
        if name == "--lr":
            lr = float(value)
        elif name == "--pause":
            pause = float(value)
        elif name == "--ckpt":
            ckpt = value
    env_dir = os.environ.get("HPO_CHECKPOINT_DIR")
    if ckpt is None or ckpt != env_dir or not os.path.isabs(ckpt) or not os.path.isdir(ckpt):
        print(f"--ckpt={ckpt!r} is not HPO_CHECKPOINT_DIR={env_dir!r}, an existing absolute directory", file=sys.stderr)
        sys.exit(4)
    model = os.path.join(ckpt, "model")
    position, rounds = 0.0, 0
    if os.path.exists(model):
        with open(model) as f:
            position_text, rounds_text = f.read().split()
        position, rounds = float(position_text), int(rounds_text)
    trial = os.environ["HPO_TRIAL_ID"]
    if trial in os.environ.get("CRASH_TRIALS", "").split():
        with open(model, "w") as f:  # in place: the parent's copy must not see this
            f.write("ruined 0\n")
        with open(os.path.join(ckpt, "history"), "a") as f:
            f.write(f"{trial} crashed\n")
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(pause)
    position += lr
    rounds += 1
    with open(model, "w") as f:
        f.write(f"{position!r} {rounds}\n")
    with open(os.path.join(ckpt, "history"), "a") as f:
        f.write(f"{trial}\n")
    print(f"rounds: {rounds}")
    print(f"FoM: {abs(3.0 - position)!r}")


main()
