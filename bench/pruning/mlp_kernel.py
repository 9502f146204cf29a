"""Pruning kernel (a): scikit-learn MLPClassifier on the digits (digits_data.py), trained one
epoch at a time with partial_fit; prints `FoM: <validation error>` after every epoch.

usage: mlp_kernel.py [--server=SOCKET] [--epochs=R] [--seed=S] --lr=F --alpha=F --hidden=N --batch=N
The n-th FoM line is the validation error (1 - accuracy on the 797 held-out digits) after n
epochs over the 5,000 training images. BLAS runs on one thread and the weights and the batch
order come from --seed (default 0), so the curve is a function of the flags. With
--server=SOCKET the flags go to stream_server.py, which has scikit-learn loaded and trains in
a fresh fork (the same train() as here) and streams the lines back as they come.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # deterministic sums, and no oversubscription when runs share cores

import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kernel_flags  # noqa: E402

FLAGS = {"epochs": (int, 27), "seed": (int, 0), "lr": (float, None), "alpha": (float, None),
         "hidden": (int, None), "batch": (int, None)}


def preload():
    """What the server imports once: scikit-learn's MLP and the data."""
    import sklearn.neural_network  # noqa: F401
    import digits_data
    digits_data.load()


def train(args):
    """Yields the validation error after each epoch of training with the flags in args."""
    import warnings
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    import digits_data

    f = kernel_flags.parse(args, FLAGS)
    x_train, y_train, x_val, y_val = digits_data.load()
    x_train, x_val = x_train.reshape(len(x_train), -1), x_val.reshape(len(x_val), -1)
    model = MLPClassifier(hidden_layer_sizes=(f["hidden"],), learning_rate_init=f["lr"], alpha=f["alpha"],
                          batch_size=f["batch"], solver="adam", random_state=f["seed"])
    order = np.random.default_rng(f["seed"])
    classes = np.arange(10)
    for _ in range(f["epochs"]):
        # partial_fit makes one pass in the order given: the harness shuffles, seeded.
        perm = order.permutation(len(x_train))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.partial_fit(x_train[perm], y_train[perm], classes=classes)
        yield 1.0 - model.score(x_val, y_val)


if __name__ == "__main__":
    import stream_client
    stream_client.main("mlp_kernel", train)
