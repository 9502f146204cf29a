"""Pruning kernel (b): a LeNet-5 CNN in PyTorch (CPU, one thread) on the digits
(digits_data.py), the 8x8 images upsampled to 16x16 (bilinear), SGD with momentum; prints
`FoM: <validation error>` after every epoch.

usage: lenet_kernel.py [--server=SOCKET] [--epochs=R] [--seed=S] [--train=N] --lr=F --momentum=F
                       --weight-decay=F --batch=N
LeNet-5's layers as LeCun et al. 1998 draw them: conv 5x5 -> 6 maps (padded by 2, as LeNet on
28x28 MNIST is), 2x2 average pooling, conv 5x5 -> 16 maps, pooling, fully connected -> 120 -> 84
-> 10, tanh; at 16x16 rather than 32x32 input an epoch costs a quarter (0.07-0.15 s of CPU).
One epoch is one pass over the first --train (default 1,000: the unshifted training digits) of
the training images, in an order drawn from --seed, which also draws the initial weights.
With --server=SOCKET the flags go to stream_server.py (PyTorch imported once, a fresh fork per
request).
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kernel_flags  # noqa: E402

FLAGS = {"epochs": (int, 27), "seed": (int, 0), "train": (int, 1000), "lr": (float, None),
         "momentum": (float, None), "weight-decay": (float, None), "batch": (int, None)}

_tensors = None


def preload():
    import torch
    torch.set_num_threads(1)
    tensors()


def tensors():
    """The digits as 16x16 tensors: (x_train, y_train, x_val, y_val)."""
    global _tensors
    if _tensors is None:
        import torch
        import torch.nn.functional as F
        import digits_data
        x_train, y_train, x_val, y_val = digits_data.load()

        def images(x):
            return F.interpolate(torch.from_numpy(x).unsqueeze(1), size=(16, 16), mode="bilinear",
                                 align_corners=False)
        _tensors = (images(x_train), torch.from_numpy(y_train).long(), images(x_val), torch.from_numpy(y_val).long())
    return _tensors


def lenet5():
    from torch import nn
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(),
                         nn.Linear(16 * 2 * 2, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10))


def train(args):
    """Yields the validation error after each epoch of training with the flags in args."""
    import torch
    from torch import nn

    f = kernel_flags.parse(args, FLAGS)
    torch.set_num_threads(1)
    x_train, y_train, x_val, y_val = tensors()
    n = min(max(f["train"], 1), len(x_train))
    x_train, y_train = x_train[:n], y_train[:n]
    generator = torch.Generator().manual_seed(f["seed"])
    torch.manual_seed(f["seed"])
    model = lenet5()
    optimizer = torch.optim.SGD(model.parameters(), lr=f["lr"], momentum=f["momentum"],
                                weight_decay=f["weight-decay"])
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(f["epochs"]):
        model.train()
        perm = torch.randperm(n, generator=generator)
        for i in range(0, n, f["batch"]):
            batch = perm[i:i + f["batch"]]
            optimizer.zero_grad()
            loss_fn(model(x_train[batch]), y_train[batch]).backward()  # a diverged model just errs
            optimizer.step()
        model.eval()
        with torch.no_grad():
            errors = (model(x_val).argmax(1) != y_val).sum().item()
        yield errors / len(y_val)


if __name__ == "__main__":
    import stream_client
    stream_client.main("lenet_kernel", train)
