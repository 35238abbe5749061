"""Data for the course, all offline: helpers (one-hot, splits, standardisation), synthetic
2-D problems generated in NumPy, and two real data sets bundled with scikit-learn.

Every function takes `rng`: a `np.random.Generator`, an int seed, or None (fresh entropy).
Features are float32 by default (`dtype=` to change), labels `np.intp`: the platform's index
type (int64 on a desktop, int32 in the browser's wasm32 Python), so `np.bincount(y)` works in both.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from nnlib.metrics import as_labels
from nnlib.module import Array, RNGLike

__all__ = [
    "load_breast_cancer",
    "load_digits",
    "make_circles",
    "make_moons",
    "make_spirals",
    "make_xor",
    "one_hot",
    "standardize",
    "train_test_split",
]


def one_hot(labels: np.ndarray, num_classes: int, dtype: type = np.float32) -> np.ndarray:
    """Encode integer labels as rows of the identity: out[i, labels[i]] = 1, else 0.

    Args:
        labels: integer class labels `(N,)` in [0, num_classes).
        num_classes: C, the number of columns.
        dtype: dtype of the result.

    Returns:
        array `(N, C)`.
    """
    y = as_labels(labels, "labels")
    if num_classes <= 0:
        raise ValueError(f"num_classes must be positive, got {num_classes}")
    out_of_range = y[y >= num_classes]
    if out_of_range.size:
        raise ValueError(
            f"labels must be in [0, {num_classes}), got {sorted(set(out_of_range.tolist()))[:5]}"
        )
    out: Array = np.zeros((y.shape[0], num_classes), dtype=dtype)
    out[np.arange(y.shape[0]), y] = 1  # fancy indexing: one entry per row, no loop
    return out


def train_test_split(
    x: np.ndarray,
    y: np.ndarray,
    test_size: float | int = 0.2,
    rng: RNGLike = None,
    stratify: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle and split into a training and a held-out test set.

    The test set gets ceil(test_size * N) samples (or `test_size` samples when it is an int).
    With `stratify=True` each class is split in that proportion separately (round(frac * N_c)
    test samples from class c), so both sets keep the class balance.

    Args:
        x: features `(N, ...)`.
        y: labels or targets `(N, ...)`.
        test_size: fraction in (0, 1) or number of test samples.
        rng: generator or seed for the shuffle.
        stratify: keep the class proportions of `y` (integer labels `(N,)`) in both parts.

    Returns:
        (x_train, x_test, y_train, y_test).
    """
    x = np.asarray(x)
    y = np.asarray(y)
    n = x.shape[0]
    if y.shape[0] != n:
        raise ValueError(
            f"x and y must have the same number of samples, got x {x.shape} and y {y.shape}"
        )
    if isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        n_test = int(test_size)
    elif 0 < test_size < 1:
        n_test = int(np.ceil(test_size * n))
    else:
        raise ValueError(
            f"test_size must be a fraction in (0, 1) or a number of samples, got {test_size}"
        )
    if not 0 < n_test < n:
        raise ValueError(
            f"test_size={test_size} leaves {n_test} of {n} samples for testing; "
            "both parts must be non-empty"
        )
    gen = np.random.default_rng(rng)
    if stratify:
        labels = as_labels(y, "y (stratify=True)")
        test_parts = []
        for c in np.unique(labels):
            members = gen.permutation(np.flatnonzero(labels == c))
            test_parts.append(members[: int(round(n_test / n * members.size))])
        test = gen.permutation(np.concatenate(test_parts))
        if not 0 < test.size < n:
            raise ValueError(
                f"stratified test_size={test_size} puts {test.size} of {n} samples in the test "
                "set; both parts must be non-empty"
            )
        in_test = np.zeros(n, dtype=bool)
        in_test[test] = True
        train = gen.permutation(np.flatnonzero(~in_test))
    else:
        order = gen.permutation(n)
        test, train = order[:n_test], order[n_test:]
    return x[train], x[test], y[train], y[test]


def standardize(x_train: np.ndarray, *others: np.ndarray) -> tuple[np.ndarray, ...]:
    """Scale every feature to mean 0 and std 1 using statistics of the TRAINING set only.

    z = (x - mean_train) / std_train, per feature (column); a constant feature (std 0) is
    only centred. Fitting the statistics on the training set keeps the test set unseen.

    Args:
        x_train: `(N, F)`, source of the mean and std.
        *others: more arrays `(M, F)` (validation, test) to transform the same way.

    Returns:
        A tuple of new arrays (x_train first, then `others` in order), same shapes, floating
        dtype of the input (float32 for integer input). Unpack even one: `(x,) = standardize(x)`.
    """
    x_train = np.asarray(x_train)
    if x_train.ndim < 2 or x_train.shape[0] < 1:
        raise ValueError(f"x_train must have shape (N, features) with N >= 1, got {x_train.shape}")
    for i, other in enumerate(others):
        if np.shape(other)[1:] != x_train.shape[1:]:
            raise ValueError(
                f"array {i + 1} of others has shape {np.shape(other)}; "
                f"its features must match x_train {x_train.shape}"
            )
    dtype = x_train.dtype if np.issubdtype(x_train.dtype, np.floating) else np.float32
    mean = x_train.mean(axis=0, dtype=np.float64)
    std = x_train.std(axis=0, dtype=np.float64)
    std[std == 0] = 1.0
    return tuple(
        ((np.asarray(a, dtype=np.float64) - mean) / std).astype(dtype) for a in (x_train, *others)
    )


def _finish(
    x: np.ndarray, y: np.ndarray, gen: np.random.Generator, dtype: type
) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle the generated points and cast: features to `dtype`, labels to `np.intp`."""
    order = gen.permutation(len(y))
    return x[order].astype(dtype), y[order].astype(np.intp)


def _check_count(n: int, noise: float, minimum: int = 1) -> None:
    if n < minimum:
        raise ValueError(f"need at least {minimum} samples, got n={n}")
    if noise < 0:
        raise ValueError(f"noise is a standard deviation and must be >= 0, got {noise}")


def make_xor(
    n: int = 200, noise: float = 0.1, rng: RNGLike = None, dtype: type = np.float32
) -> tuple[np.ndarray, np.ndarray]:
    """The XOR problem: Gaussian blobs at the corners (+-1, +-1); label 1 where the signs differ.

    y = [sign(x1) != sign(x2)], no line separates the classes. The n points are spread evenly
    over the four corners, each blurred by N(0, noise^2).

    Returns:
        (x `(n, 2)`, y `(n,)` in {0, 1}).
    """
    _check_count(n, noise)
    gen = np.random.default_rng(rng)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    which = np.arange(n) % 4
    x = corners[which] + noise * gen.standard_normal((n, 2))
    y = (which == 1) | (which == 2)
    return _finish(x, y, gen, dtype)


def make_spirals(
    n_per_class: int = 100,
    n_classes: int = 3,
    noise: float = 0.2,
    rng: RNGLike = None,
    dtype: type = np.float32,
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class (the CS231n spiral data).

    Class k: radius r = linspace(0, 1), angle t = 4k + 4r + N(0, noise^2),
    point = r * (sin t, cos t).

    Returns:
        (x `(n_per_class * n_classes, 2)`, y in [0, n_classes)).
    """
    _check_count(n_per_class, noise)
    if n_classes < 2:
        raise ValueError(f"n_classes must be >= 2, got {n_classes}")
    gen = np.random.default_rng(rng)
    r = np.tile(np.linspace(0.0, 1.0, n_per_class), n_classes)
    y = np.repeat(np.arange(n_classes), n_per_class)
    t = 4.0 * y + 4.0 * r + noise * gen.standard_normal(r.size)
    x = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    return _finish(x, y, gen, dtype)


def make_moons(
    n: int = 200, noise: float = 0.1, rng: RNGLike = None, dtype: type = np.float32
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: class 0 (cos t, sin t), class 1 (1 - cos t, 0.5 - sin t).

    t runs evenly over [0, pi]; Gaussian noise of std `noise` is added to both coordinates.

    Returns:
        (x `(n, 2)`, y `(n,)` in {0, 1}); class 0 gets ceil(n / 2) points.
    """
    _check_count(n, noise, minimum=2)
    gen = np.random.default_rng(rng)
    n0 = (n + 1) // 2
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n - n0)
    x = np.concatenate(
        [np.stack([np.cos(t0), np.sin(t0)], 1), np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], 1)]
    )
    x += noise * gen.standard_normal(x.shape)
    y = np.concatenate([np.zeros(n0), np.ones(n - n0)])
    return _finish(x, y, gen, dtype)


def make_circles(
    n: int = 200,
    noise: float = 0.05,
    factor: float = 0.5,
    rng: RNGLike = None,
    dtype: type = np.float32,
) -> tuple[np.ndarray, np.ndarray]:
    """A circle inside a circle: class 0 on radius 1, class 1 on radius `factor`.

    Angles are uniform in [0, 2 pi); Gaussian noise of std `noise` is added to both coordinates.

    Returns:
        (x `(n, 2)`, y `(n,)` in {0, 1}); class 0 gets ceil(n / 2) points.
    """
    _check_count(n, noise, minimum=2)
    if not 0 < factor < 1:
        raise ValueError(f"factor (inner radius / outer radius) must be in (0, 1), got {factor}")
    gen = np.random.default_rng(rng)
    n0 = (n + 1) // 2
    y = np.concatenate([np.zeros(n0), np.ones(n - n0)])
    radius = np.where(y == 0, 1.0, factor)
    t = gen.uniform(0.0, 2.0 * np.pi, n)
    x = radius[:, None] * np.stack([np.cos(t), np.sin(t)], 1) + noise * gen.standard_normal((n, 2))
    return _finish(x, y, gen, dtype)


def _sklearn_datasets(loader: str) -> ModuleType:
    """Import sklearn.datasets lazily: nnlib itself depends on NumPy only."""
    try:
        import sklearn.datasets
    except ImportError as err:
        raise ImportError(
            f"{loader}() reads a data file bundled with scikit-learn, which is not installed; "
            "install it with `pip install scikit-learn` "
            "(or the course extra: `pip install -e '.[course]'`)"
        ) from err
    return sklearn.datasets


def load_digits(dtype: type = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """The 8x8 hand-written digits: 1797 images of the digits 0-9.

    Provenance: "Optical Recognition of Handwritten Digits" (E. Alpaydin, C. Kaynak, 1998),
    UCI Machine Learning Repository, CC BY 4.0; the copy read here ships inside scikit-learn
    (BSD-3-Clause), no download. Each pixel counts set bits in a 4x4 block (0-16); it is
    divided by 16 so features lie in [0, 1]. Reshape a row to (8, 8) to see the image.

    Returns:
        (x `(1797, 64)` in [0, 1], y `(1797,)` intp in [0, 10)).
    """
    bunch = _sklearn_datasets("load_digits").load_digits()
    return (bunch.data / 16.0).astype(dtype), bunch.target.astype(np.intp)


def load_breast_cancer(dtype: type = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Wisconsin Diagnostic Breast Cancer: 569 tumours, 30 measurements of cell nuclei each.

    Provenance: W. H. Wolberg, W. N. Street, O. L. Mangasarian (1995), UCI Machine Learning
    Repository, CC BY 4.0; the copy read here ships inside scikit-learn (BSD-3-Clause), no
    download. Labels: 0 = malignant (212), 1 = benign (357). The features keep their physical
    units (radii to areas, 1e-3 to 4e3): scale them with `standardize` fitted on the TRAINING
    split, so the test set stays unseen.

    Returns:
        (x `(569, 30)`, y `(569,)` intp in {0, 1}).
    """
    bunch = _sklearn_datasets("load_breast_cancer").load_breast_cancer()
    return bunch.data.astype(dtype), bunch.target.astype(np.intp)
