"""Correct answers to the exercises of solutions/01_deep_learning.md written differently from the
master.

Each must earn the full points of its test cell: the tests grade behaviour, not one implementation.
"""

from __future__ import annotations

ALTERNATIVE_ANSWERS: dict[str, list[str]] = {
    "matvec": [
        # einsum, with two separate checks (one message each, both naming the shapes)
        "def matvec(X, w):\n"
        "    if X.ndim != 2 or w.ndim != 1:\n"
        "        raise ValueError(f'X must be 2-D and w 1-D, got X {X.shape} and w {w.shape}')\n"
        "    if X.shape[1] != len(w):\n"
        "        raise ValueError(f'X has {X.shape[1]} columns but w has {len(w)} entries: X "
        "{X.shape}, w {w.shape}')\n"
        "    return np.einsum('nd,d->n', X, w)\n",
        # element-wise product summed over the features, checks through the shapes tuple
        "def matvec(X, w):\n"
        "    if len(X.shape) != 2 or len(w.shape) != 1 or X.shape[-1] != w.shape[0]:\n"
        "        raise ValueError('shapes do not fit: X ' + str(X.shape) + ' and w ' + "
        "str(w.shape))\n"
        "    return np.sum(X * w, axis=1)\n",
        # broadcasting w as a row with [np.newaxis, :] (vectorised indexing, no loop)
        "def matvec(X, w):\n"
        "    if X.ndim != 2 or w.ndim != 1 or X.shape[1] != w.shape[0]:\n"
        "        raise ValueError(f'X {X.shape} and w {w.shape} do not fit')\n"
        "    return (X * w[np.newaxis, :]).sum(axis=1)\n",
        # a matrix-matrix product with w as a column, then its only column
        "def matvec(X, w):\n"
        "    if X.ndim != 2 or w.ndim != 1 or X.shape[1] != w.shape[0]:\n"
        "        raise ValueError(f'X {X.shape} and w {w.shape} do not fit')\n"
        "    return (X @ w[:, None])[:, 0]\n",
        # np.dot on float64 copies
        "def matvec(X, w):\n"
        "    X, w = np.asarray(X, dtype=np.float64), np.asarray(w, dtype=np.float64)\n"
        "    if not (X.ndim == 2 and w.ndim == 1 and X.shape[1] == w.shape[0]):\n"
        "        raise ValueError(f'cannot multiply X {X.shape} by w {w.shape}')\n"
        "    return np.dot(X, w)\n",
    ],
    "center_columns": [
        # copy, then centre the copy in place
        "def center_columns(X):\n"
        "    out = X.copy()\n"
        "    out -= out.mean(axis=0, keepdims=True)\n"
        "    return out\n",
        # the column means as a matrix product ones @ X / N
        "def center_columns(X):\n"
        "    n = X.shape[0]\n"
        "    mu = np.ones(n) @ X / n\n"
        "    return X - mu[np.newaxis, :]\n",
        # float64 internally, np.subtract with the explicit sum / N
        "def center_columns(X):\n"
        "    X64 = np.asarray(X, dtype=np.float64)\n"
        "    return np.subtract(X64, X64.sum(axis=0) / X64.shape[0])\n",
    ],
    "one_hot": [
        # comparison against the class indices; whole numbers checked with np.round
        "def one_hot(labels, num_classes):\n"
        "    labels = np.asarray(labels)\n"
        "    bad = (labels < 0) | (labels >= num_classes) | (np.round(labels) != labels)\n"
        "    if np.any(bad):\n"
        "        raise ValueError(f'labels out of range [0, {num_classes}) or not whole: "
        "{labels[bad]}')\n"
        "    return (labels[:, None] == np.arange(num_classes)[None, :]).astype(np.float32)\n",
        # zeros and one fancy-indexed assignment; the integer check through a cast
        "def one_hot(labels, num_classes):\n"
        "    as_int = np.asarray(labels).astype(np.int64)\n"
        "    invalid = (as_int < 0) | (as_int >= num_classes) | (as_int != labels)\n"
        "    if invalid.any():\n"
        "        raise ValueError('invalid labels: ' + ', '.join(str(v) for v in "
        "np.asarray(labels)[invalid]))\n"
        "    out = np.zeros((as_int.shape[0], num_classes), dtype=np.float32)\n"
        "    out[np.arange(as_int.shape[0]), as_int] = 1.0\n"
        "    return out\n",
        # float64 identity, cast at the end; the check names the distinct bad labels, sorted
        "def one_hot(labels, num_classes):\n"
        "    bad = np.unique(labels[np.logical_or.reduce([labels < 0, labels >= num_classes, "
        "np.mod(labels, 1) != 0])])\n"
        "    if bad.size > 0:\n"
        "        raise ValueError(f'{bad.tolist()} are not classes 0..{num_classes - 1}')\n"
        "    return np.identity(num_classes)[labels.astype(int)].astype(np.float32)\n",
    ],
    "train_test_split": [
        # shuffle an index array in place, math.ceil, Generator passed through as is
        "import math\n"
        "\n"
        "def train_test_split(x, y, test_size=0.2, rng=None):\n"
        "    if len(x) != len(y):\n"
        "        raise ValueError(f'x {x.shape} and y {y.shape} have different numbers of rows')\n"
        "    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)\n"
        "    n = len(x)\n"
        "    n_test = math.ceil(test_size * n)\n"
        "    order = np.arange(n)\n"
        "    gen.shuffle(order)\n"
        "    return x[order[n_test:]], x[order[:n_test]], y[order[n_test:]], y[order[:n_test]]\n",
        # shuffle both arrays with the same permutation, then slice
        "def train_test_split(x, y, test_size=0.2, rng=None):\n"
        "    n = x.shape[0]\n"
        "    if y.shape[0] != n:\n"
        "        raise ValueError('x ' + str(x.shape) + ' and y ' + str(y.shape) + ' do not "
        "match')\n"
        "    perm = np.random.default_rng(rng).permutation(n)\n"
        "    x_shuffled, y_shuffled = x[perm], y[perm]\n"
        "    n_test = int(np.ceil(n * test_size))\n"
        "    return x_shuffled[n_test:], x_shuffled[:n_test], y_shuffled[n_test:], "
        "y_shuffled[:n_test]\n",
        # np.take and np.split of the permutation
        "def train_test_split(x, y, test_size=0.2, rng=None):\n"
        "    if x.shape[0] != y.shape[0]:\n"
        "        raise ValueError(f'x {x.shape} vs y {y.shape}')\n"
        "    n_test = int(np.ceil(test_size * x.shape[0]))\n"
        "    test, train = np.split(np.random.default_rng(rng).permutation(x.shape[0]), [n_test])\n"
        "    return np.take(x, train, axis=0), np.take(x, test, axis=0), np.take(y, train, "
        "axis=0), np.take(y, test, axis=0)\n",
    ],
    "accuracy": [
        # count_nonzero / len, argmax over the last axis, len for the check
        "def accuracy(pred, labels):\n"
        "    pred, labels = np.asarray(pred), np.asarray(labels)\n"
        "    if pred.ndim > 1:\n"
        "        pred = np.argmax(pred, axis=-1)\n"
        "    if len(pred) != len(labels):\n"
        "        raise ValueError(f'{len(pred)} predictions for {len(labels)} labels')\n"
        "    return np.count_nonzero(pred == labels) / len(labels)\n",
        # a sum divided by the size, returned with .item()
        "def accuracy(pred, labels):\n"
        "    predicted = pred.argmax(axis=1) if pred.ndim == 2 else pred\n"
        "    if predicted.shape != labels.shape:\n"
        "        raise ValueError(f'pred {pred.shape} does not match labels {labels.shape}')\n"
        "    return ((predicted == labels).sum() / labels.size).item()\n",
        # np.equal and the mean as a NumPy float64 (a subclass of Python's float)
        "def accuracy(pred, labels):\n"
        "    if np.ndim(pred) == 2:\n"
        "        pred = np.argmax(pred, axis=1)\n"
        "    if np.shape(pred)[0] != np.shape(labels)[0]:\n"
        "        raise ValueError('pred and labels have different numbers of examples')\n"
        "    return np.equal(pred, labels).mean()\n",
    ],
}
