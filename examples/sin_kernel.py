#!/usr/bin/env python3
"""Example training kernel: fits sin(x) on [-pi, pi] with a one-hidden-layer network.

Its hyperparameters arrive as flags (`--lr=0.01` or `--lr 0.01`), and it prints its figure of
merit, the validation mean squared error, as `FoM: <value>`: the contract in the README (The training kernel). Python
standard library only; deterministic (fixed data and initial weights), a tenth of a second.
"""
import argparse
import math
import random
import sys


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lr", type=float, default=0.05, help="learning rate")
    parser.add_argument("--momentum", type=float, default=0.5, help="heavy-ball momentum")
    parser.add_argument("--hidden", type=int, default=4, help="hidden units")
    parser.add_argument("--activation", choices=["tanh", "relu", "sigmoid"], default="tanh")
    parser.add_argument("--init-scale", type=float, default=1.0, help="scale of the initial weights")
    parser.add_argument("--epochs", type=int, default=100, help="full-batch gradient steps")
    return parser.parse_args(argv)


ACTIVATIONS = {
    # name: (f, f' expressed through the output y = f(z))
    "tanh": (math.tanh, lambda y: 1.0 - y * y),
    "relu": (lambda z: z if z > 0.0 else 0.0, lambda y: 1.0 if y > 0.0 else 0.0),
    "sigmoid": (lambda z: 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z)))), lambda y: y * (1.0 - y)),
}


def train(args):
    f, df = ACTIVATIONS[args.activation]
    rng = random.Random(12345)
    xs = [-math.pi + 2 * math.pi * i / 15 for i in range(16)]
    ys = [math.sin(x) for x in xs]
    h = args.hidden
    w1 = [rng.gauss(0, args.init_scale) for _ in range(h)]
    b1 = [rng.gauss(0, args.init_scale) for _ in range(h)]
    w2 = [rng.gauss(0, args.init_scale / math.sqrt(h)) for _ in range(h)]
    b2 = 0.0
    vw1, vb1, vw2, vb2 = [0.0] * h, [0.0] * h, [0.0] * h, 0.0
    n = len(xs)
    for _ in range(args.epochs):
        gw1, gb1, gw2, gb2 = [0.0] * h, [0.0] * h, [0.0] * h, 0.0
        for x, y in zip(xs, ys):
            a = [f(w1[j] * x + b1[j]) for j in range(h)]
            err = sum(w2[j] * a[j] for j in range(h)) + b2 - y
            gb2 += err
            for j in range(h):
                gw2[j] += err * a[j]
                d = err * w2[j] * df(a[j])
                gw1[j] += d * x
                gb1[j] += d
        scale = 2.0 / n
        for j in range(h):
            vw1[j] = args.momentum * vw1[j] - args.lr * scale * gw1[j]
            vb1[j] = args.momentum * vb1[j] - args.lr * scale * gb1[j]
            vw2[j] = args.momentum * vw2[j] - args.lr * scale * gw2[j]
            w1[j] += vw1[j]
            b1[j] += vb1[j]
            w2[j] += vw2[j]
        vb2 = args.momentum * vb2 - args.lr * scale * gb2
        b2 += vb2
        if not all(math.isfinite(w) for w in w2):
            return math.inf  # diverged: a legitimate, very bad FoM
    # Validation on points between the training points.
    total = 0.0
    for i in range(50):
        x = -math.pi + 2 * math.pi * (i + 0.5) / 50
        prediction = sum(w2[j] * f(w1[j] * x + b1[j]) for j in range(h)) + b2
        total += (prediction - math.sin(x)) ** 2
    return total / 50


def main(argv):
    args = parse_args(argv)
    try:
        mse = train(args)
    except OverflowError:
        mse = math.inf
    print(f"hidden={args.hidden} activation={args.activation} lr={args.lr:g} momentum={args.momentum:g}")
    print(f"FoM: {mse:.6e}")


if __name__ == "__main__":
    main(sys.argv[1:])
