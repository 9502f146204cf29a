"""A test kernel that trains in rounds, as PBT's kernels do: its "model" is a file `state` in its
checkpoint directory holding the rounds trained so far and the trial ids that trained them, one a
line. It loads the file if the directory holds one, trains one round (adds a line), saves it back
and prints FoM = (lr - 0.3)^2 + 1 / rounds: the hyperparameter and the training both count.

The directory is --dir (the command's `--dir @checkpoint`), else HPO_CHECKPOINT_DIR; when both are
there they must agree (exit 3). The seed's spelling: --load_checkpoint=FILE --save_checkpoint=FILE.
Exits 1 when --fail is set, before it writes anything."""
import os
import sys

args = dict(a.split("=", 1) for a in sys.argv[1:] if "=" in a)
directory = args.get("--dir", os.environ.get("HPO_CHECKPOINT_DIR"))
if "--dir" in args and args["--dir"] != os.environ.get("HPO_CHECKPOINT_DIR"):
    print("--dir %s is not HPO_CHECKPOINT_DIR %s" % (args["--dir"], os.environ.get("HPO_CHECKPOINT_DIR")))
    sys.exit(3)
load = args.get("--load_checkpoint", os.path.join(directory, "state"))
save = args.get("--save_checkpoint", os.path.join(directory, "state"))
if args.get("--fail"):
    sys.exit(1)
history = open(load).read().split() if os.path.exists(load) else []
history.append(os.environ["HPO_TRIAL_ID"])
with open(save, "w") as f:  # rewritten in place, as h5py's and torch's savers do: the parent's copy must not change
    f.write("\n".join(history) + "\n")
print("FoM: %r" % ((float(args.get("--lr", 0.3)) - 0.3) ** 2 + 1.0 / len(history)))
