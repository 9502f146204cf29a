"""PBT kernel (b): the pruning bench's LeNet-5 on the digits (bench/pruning/lenet_kernel.py: its
model and data, imported), trained in rounds that resume from a checkpoint directory.

usage: lenet_pbt_kernel.py [--server=SOCKET] [--checkpoint-dir=DIR] [--rounds=R] [--epochs=E]
                           [--seed=S] [--train=N] --lr=F --momentum=F --weight-decay=F --batch=N
One round is E (2) epochs of SGD with momentum over the first N (1,000) training digits; the
kernel prints `FoM: <validation error>` after every epoch (the last one is the trial's FoM).
With --checkpoint-dir (hpo's `@checkpoint`) it loads the model, the optimizer's momentum and its
epoch count from DIR/model.pt when it is there, sets the optimizer to this trial's --lr,
--momentum and --weight-decay (the batch size is simply used), trains R (1) rounds and saves
back after each (to a temporary name, then renamed: a file hpo linked from the parent's
directory is replaced, never rewritten). Without a directory it starts fresh and keeps nothing:
`--rounds=R` is then one full training, as random search and asha run it.
Epoch n's batch order comes from (S, n) and the first weights from S: R one-round trials chained
through the directory compute what one R-round trial computes.
With --server=SOCKET the flags go to bench/pruning/stream_server.py (PyTorch imported once, a
fresh fork per request; bench/pbt/run.sh starts it with this directory on PYTHONPATH).
"""
import os
import sys

_pruning = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pruning")
sys.path.insert(0, _pruning)
import kernel_flags  # noqa: E402
import lenet_kernel  # noqa: E402  (sets the BLAS/OpenMP thread counts before torch loads)

FLAGS = {"checkpoint-dir": (str, ""), "rounds": (int, 1), "epochs": (int, 2), "seed": (int, 0),
         "train": (int, 1000), "lr": (float, None), "momentum": (float, None),
         "weight-decay": (float, None), "batch": (int, None)}
MODEL = "model.pt"


def preload():
    lenet_kernel.preload()


def _load(directory, model, optimizer):
    """The epochs trained so far (0 without a saved model); model and optimizer restored."""
    import torch
    path = os.path.join(directory, MODEL) if directory else ""
    if not path or not os.path.exists(path):
        return 0
    state = torch.load(path)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    return int(state["epoch"])


def _save(directory, model, optimizer, epoch):
    import torch
    path = os.path.join(directory, MODEL)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, path + ".tmp")
    os.replace(path + ".tmp", path)


def train(args):
    """Yields the validation error after each epoch."""
    import torch
    from torch import nn

    f = kernel_flags.parse(args, FLAGS)
    if f["rounds"] < 1 or f["batch"] < 1:
        raise ValueError("--rounds and --batch must be at least 1")
    directory = f["checkpoint-dir"]
    if directory and not os.path.isdir(directory):
        raise ValueError("--checkpoint-dir=%s: no such directory" % directory)
    torch.set_num_threads(1)
    x_train, y_train, x_val, y_val = lenet_kernel.tensors()
    n = min(max(f["train"], 1), len(x_train))
    x_train, y_train = x_train[:n], y_train[:n]
    torch.manual_seed(f["seed"])
    model = lenet_kernel.lenet5()
    optimizer = torch.optim.SGD(model.parameters(), lr=f["lr"], momentum=f["momentum"],
                                weight_decay=f["weight-decay"])
    epoch = _load(directory, model, optimizer)
    for group in optimizer.param_groups:  # this trial's hyperparameters, whatever the parent's were
        group.update(lr=f["lr"], momentum=f["momentum"], weight_decay=f["weight-decay"])
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(f["rounds"]):
        for e in range(f["epochs"]):
            model.train()
            generator = torch.Generator().manual_seed(f["seed"] * 1000003 + epoch)
            perm = torch.randperm(n, generator=generator)
            for i in range(0, n, f["batch"]):
                batch = perm[i:i + f["batch"]]
                optimizer.zero_grad()
                loss_fn(model(x_train[batch]), y_train[batch]).backward()  # a diverged model just errs
                optimizer.step()
            epoch += 1
            model.eval()
            with torch.no_grad():
                error = (model(x_val).argmax(1) != y_val).sum().item() / len(y_val)
            if directory and e == f["epochs"] - 1:
                _save(directory, model, optimizer, epoch)  # on disk before the round's last FoM
            yield error


if __name__ == "__main__":
    import stream_client
    stream_client.main("lenet_pbt_kernel", train)
