"""Plausible wrong answers to the exercises of solutions/01_deep_learning.md; each must lose the points of its test cell."""
from __future__ import annotations

WRONG_ANSWERS: dict[str, list[str]] = {
    "matvec": [
        # a Python loop over the rows (right values, but not vectorised)
        "def matvec(X, w):\n"
        "    if X.shape[1] != w.shape[0]:\n"
        "        raise ValueError(f'X {X.shape} and w {w.shape}')\n"
        "    return np.array([row @ w for row in X])\n",
        # sums every product into one number instead of one per row
        "def matvec(X, w):\n"
        "    if X.shape[1] != w.shape[0]:\n"
        "        raise ValueError(f'X {X.shape} and w {w.shape}')\n"
        "    return np.sum(X * w)\n",
        # reduces over the wrong axis (columns instead of rows); square inputs hide it
        "def matvec(X, w):\n"
        "    if X.shape[1] != w.shape[0]:\n"
        "        raise ValueError(f'X {X.shape} and w {w.shape}')\n"
        "    return (X * w[:, None]).sum(axis=0)\n",
        # no shape check: NumPy's own error does not name the shapes
        "def matvec(X, w):\n    return X @ w\n",
        # checks only the feature count, so a column vector w (d, 1) gives (N, 1), not (N,)
        "def matvec(X, w):\n"
        "    if X.shape[1] != w.shape[0]:\n"
        "        raise ValueError(f'X {X.shape} and w {w.shape}')\n"
        "    return X @ w\n",
    ],
    "center_columns": [
        # subtracts the mean of the whole matrix
        "def center_columns(X):\n    return X - X.mean()\n",
        # subtracts each row's mean
        "def center_columns(X):\n    return X - X.mean(axis=1, keepdims=True)\n",
        # centres in place, changing the caller's data
        "def center_columns(X):\n    X -= X.mean(axis=0)\n    return X\n",
        # standardises (also divides by the standard deviation)
        "def center_columns(X):\n    return (X - X.mean(axis=0)) / X.std(axis=0)\n",
    ],
    "one_hot": [
        # no range check: -1 silently becomes the last class
        "def one_hot(labels, num_classes):\n    return np.eye(num_classes, dtype=np.float32)[labels]\n",
        # transposed: (C, N)
        "def one_hot(labels, num_classes):\n"
        "    labels = np.asarray(labels)\n"
        "    bad = labels[(labels < 0) | (labels >= num_classes)]\n"
        "    if bad.size:\n"
        "        raise ValueError(f'bad labels {bad.tolist()}')\n"
        "    return np.eye(num_classes, dtype=np.float32)[labels].T\n",
        # sets whole columns: every row gets a 1 for every label present
        "def one_hot(labels, num_classes):\n"
        "    labels = np.asarray(labels)\n"
        "    bad = labels[(labels < 0) | (labels >= num_classes)]\n"
        "    if bad.size:\n"
        "        raise ValueError(f'bad labels {bad.tolist()}')\n"
        "    out = np.zeros((len(labels), num_classes), dtype=np.float32)\n"
        "    out[:, labels] = 1\n"
        "    return out\n",
        # off by one, as if labels started at 1
        "def one_hot(labels, num_classes):\n"
        "    labels = np.asarray(labels)\n"
        "    bad = labels[(labels < 0) | (labels >= num_classes)]\n"
        "    if bad.size:\n"
        "        raise ValueError(f'bad labels {bad.tolist()}')\n"
        "    return np.eye(num_classes, dtype=np.float32)[labels - 1]\n",
        # checks only the upper end of the range
        "def one_hot(labels, num_classes):\n"
        "    labels = np.asarray(labels)\n"
        "    if labels.max() >= num_classes:\n"
        "        raise ValueError(f'labels must be < {num_classes}, got {labels.max()}')\n"
        "    return np.eye(num_classes, dtype=np.float32)[labels]\n",
    ],
    "train_test_split": [
        # no shuffle: the test set is just the last rows
        "def train_test_split(x, y, test_size=0.2, rng=None):\n"
        "    if x.shape[0] != y.shape[0]:\n"
        "        raise ValueError(f'x {x.shape} and y {y.shape}')\n"
        "    n_train = x.shape[0] - int(np.ceil(test_size * x.shape[0]))\n"
        "    return x[:n_train], x[n_train:], y[:n_train], y[n_train:]\n",
        # shuffles x and y with different permutations: examples lose their labels
        "def train_test_split(x, y, test_size=0.2, rng=None):\n"
        "    if x.shape[0] != y.shape[0]:\n"
        "        raise ValueError(f'x {x.shape} and y {y.shape}')\n"
        "    gen = np.random.default_rng(rng)\n"
        "    n_test = int(np.ceil(test_size * x.shape[0]))\n"
        "    x, y = x[gen.permutation(len(x))], y[gen.permutation(len(y))]\n"
        "    return x[n_test:], x[:n_test], y[n_test:], y[:n_test]\n",
        # ignores the seed: a different split on every call
        "def train_test_split(x, y, test_size=0.2, rng=None):\n"
        "    if x.shape[0] != y.shape[0]:\n"
        "        raise ValueError(f'x {x.shape} and y {y.shape}')\n"
        "    n_test = int(np.ceil(test_size * x.shape[0]))\n"
        "    order = np.random.permutation(x.shape[0])\n"
        "    test, train = order[:n_test], order[n_test:]\n"
        "    return x[train], x[test], y[train], y[test]\n",
        # draws the test set with replacement: duplicates, and overlap with the training set
        "def train_test_split(x, y, test_size=0.2, rng=None):\n"
        "    if x.shape[0] != y.shape[0]:\n"
        "        raise ValueError(f'x {x.shape} and y {y.shape}')\n"
        "    gen = np.random.default_rng(rng)\n"
        "    n = x.shape[0]\n"
        "    n_test = int(np.ceil(test_size * n))\n"
        "    test = gen.integers(0, n, size=n_test)\n"
        "    train = gen.permutation(n)[: n - n_test]\n"
        "    return x[train], x[test], y[train], y[test]\n",
        # returns the parts in the wrong order (x_train, y_train, x_test, y_test)
        "def train_test_split(x, y, test_size=0.2, rng=None):\n"
        "    if x.shape[0] != y.shape[0]:\n"
        "        raise ValueError(f'x {x.shape} and y {y.shape}')\n"
        "    n_test = int(np.ceil(test_size * x.shape[0]))\n"
        "    order = np.random.default_rng(rng).permutation(x.shape[0])\n"
        "    test, train = order[:n_test], order[n_test:]\n"
        "    return x[train], y[train], x[test], y[test]\n",
        # rounds the test size down
        "def train_test_split(x, y, test_size=0.2, rng=None):\n"
        "    if x.shape[0] != y.shape[0]:\n"
        "        raise ValueError(f'x {x.shape} and y {y.shape}')\n"
        "    n_test = int(test_size * x.shape[0])\n"
        "    order = np.random.default_rng(rng).permutation(x.shape[0])\n"
        "    test, train = order[:n_test], order[n_test:]\n"
        "    return x[train], x[test], y[train], y[test]\n",
    ],
    "accuracy": [
        # counts the correct predictions instead of averaging them
        "def accuracy(pred, labels):\n"
        "    if pred.ndim == 2:\n"
        "        pred = pred.argmax(axis=1)\n"
        "    if pred.shape[0] != labels.shape[0]:\n"
        "        raise ValueError(f'{pred.shape[0]} predictions, {labels.shape[0]} labels')\n"
        "    return float(np.sum(pred == labels))\n",
        # argmax over the examples instead of the classes
        "def accuracy(pred, labels):\n"
        "    if pred.ndim == 2:\n"
        "        pred = pred.argmax(axis=0)\n"
        "    if pred.shape[0] != labels.shape[0]:\n"
        "        raise ValueError(f'{pred.shape[0]} predictions, {labels.shape[0]} labels')\n"
        "    return float(np.mean(pred == labels))\n",
        # no length check: one prediction broadcasts against every label
        "def accuracy(pred, labels):\n"
        "    if pred.ndim == 2:\n"
        "        pred = pred.argmax(axis=1)\n"
        "    return float(np.mean(pred == labels))\n",
        # forgets to turn scores into labels
        "def accuracy(pred, labels):\n    return float(np.mean(pred == labels))\n",
        # a percentage instead of a fraction
        "def accuracy(pred, labels):\n"
        "    if pred.ndim == 2:\n"
        "        pred = pred.argmax(axis=1)\n"
        "    if pred.shape[0] != labels.shape[0]:\n"
        "        raise ValueError(f'{pred.shape[0]} predictions, {labels.shape[0]} labels')\n"
        "    return float(100 * np.mean(pred == labels))\n",
    ],
}
