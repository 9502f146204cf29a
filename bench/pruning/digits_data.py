"""The data both pruning kernels learn: scikit-learn's bundled digits (1,797 8x8 images), a fixed
stratified split (1,000 for training, 797 for validation), the training images augmented with
their four one-pixel shifts (5,000 training images), pixels scaled to [0, 1].

The split and the augmentation never change (random_state 0), so a kernel's validation error is
a function of its flags and its --seed alone."""
import numpy as np

_cache = None


def _shift(images, dy, dx):
    """Images (n, 8, 8) moved by (dy, dx) pixels, the uncovered border filled with 0."""
    out = np.zeros_like(images)
    src_y = slice(max(0, -dy), 8 - max(0, dy))
    dst_y = slice(max(0, dy), 8 - max(0, -dy))
    src_x = slice(max(0, -dx), 8 - max(0, dx))
    dst_x = slice(max(0, dx), 8 - max(0, -dx))
    out[:, dst_y, dst_x] = images[:, src_y, src_x]
    return out


def load():
    """(x_train (5000, 8, 8), y_train, x_val (797, 8, 8), y_val), float32 images in [0, 1]."""
    global _cache
    if _cache is None:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
        x, y = load_digits(return_X_y=True)
        x = (x / 16.0).astype(np.float32).reshape(-1, 8, 8)
        x_train, x_val, y_train, y_val = train_test_split(x, y, train_size=1000, stratify=y, random_state=0)
        shifts = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]
        x_train = np.concatenate([_shift(x_train, dy, dx) for dy, dx in shifts])
        y_train = np.concatenate([y_train] * len(shifts))
        _cache = (x_train, y_train, x_val, y_val)
    return _cache
