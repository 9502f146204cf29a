"""Search-quality kernel: validation error of a scikit-learn MLP on the digits set.

usage: mlp_digits_kernel.py [--epochs=N] [--server=SOCKET] --lr=F --alpha=F --hidden=N --batch=N
Prints `FoM: <validation error>` (1 - accuracy on the held-out half of the digits). The split
and the model's random_state are fixed and BLAS runs on one thread, so the FoM is a
deterministic function of the flags.

Importing scikit-learn costs about 0.5 s of CPU, more than a small training run. With
--server=SOCKET this process only forwards its flags to mlp_digits_server.py, which has
scikit-learn loaded and trains in a fresh fork per request (the same train() as here), so the
import is paid once per benchmark instead of once per evaluation.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # deterministic sums, and no oversubscription when runs share cores

import socket
import sys

FLAGS = ("epochs", "lr", "alpha", "hidden", "batch")


def parse(args):
    """The flags as a dict; raises ValueError naming a bad or missing one."""
    flags = {"epochs": "30"}
    for arg in args:
        name, sep, value = arg.lstrip("-").partition("=")
        if not sep or name not in FLAGS:
            raise ValueError("unexpected argument %r" % arg)
        flags[name] = value
    missing = set(FLAGS) - flags.keys()
    if missing:
        raise ValueError("missing " + ", ".join(sorted("--" + m for m in missing)))
    return flags


_data = None


def load_data():
    """The fixed split: half of the digits for training, half for validation (stratified)."""
    global _data
    if _data is None:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
        x, y = load_digits(return_X_y=True)
        _data = train_test_split(x / 16.0, y, test_size=0.5, stratify=y, random_state=0)
    return _data


def train(args):
    """Trains on the flags in args (`--name=value` strings); returns the validation error."""
    import warnings
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    flags = parse(args)
    x_train, x_val, y_train, y_val = load_data()
    epochs = int(flags["epochs"])
    model = MLPClassifier(hidden_layer_sizes=(int(flags["hidden"]),),
                          learning_rate_init=float(flags["lr"]), alpha=float(flags["alpha"]),
                          batch_size=int(flags["batch"]), max_iter=epochs, n_iter_no_change=epochs,
                          solver="adam", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x_train, y_train)
    return 1.0 - model.score(x_val, y_val)


def ask_server(path, args):
    """Sends the flags to the server; returns its one-line answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(path)
        s.sendall("\0".join(args).encode())
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks).decode()


def main():
    args = sys.argv[1:]
    server = [a for a in args if a.startswith("--server=")]
    args = [a for a in args if not a.startswith("--server=")]
    try:
        if server:
            answer = ask_server(server[-1].split("=", 1)[1], args)
            if not answer.startswith("FoM: "):
                raise RuntimeError(answer or "no answer from the server")
            print(answer.strip())
        else:
            print("FoM: %.10g" % train(args))
    except (ValueError, RuntimeError, OSError) as e:
        sys.exit("mlp_digits_kernel: %s" % e)


if __name__ == "__main__":
    main()
