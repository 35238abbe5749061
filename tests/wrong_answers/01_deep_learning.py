"""Plausible wrong answers to the exercises of solutions/01_deep_learning.md; each must lose the
points of its test cell.

One-line mistakes are edits of the master's solution (`replace`), so they follow the master when it
changes; rewrites are full sources. REFERENCE_CALLS holds answers that only call nnlib's own
version.
"""

from __future__ import annotations

from fixtures.learners import master_solutions, replace

MASTER = master_solutions("01_deep_learning")
MATVEC, CENTER, ONE_HOT, SPLIT, ACCURACY = (
    MASTER[k] for k in ("matvec", "center_columns", "one_hot", "train_test_split", "accuracy")
)

WRONG_ANSWERS: dict[str, list[str]] = {
    "matvec": [
        # a Python loop over the rows (right values, but not vectorised)
        replace(MATVEC, "return X @ w", "return np.array([row @ w for row in X])"),
        # sums every product into one number instead of one per row
        replace(MATVEC, "return X @ w", "return np.sum(X * w)"),
        # reduces over the wrong axis (columns instead of rows); square inputs hide it
        replace(MATVEC, "return X @ w", "return (X * w[:, None]).sum(axis=0)"),
        # no shape check: NumPy's own error does not name the shapes
        "def matvec(X, w):\n    return X @ w\n",
        # checks only the feature count, so a column vector w (d, 1) gives (N, 1), not (N,)
        replace(
            MATVEC,
            "if X.ndim != 2 or w.ndim != 1 or X.shape[1] != w.shape[0]:",
            "if X.shape[1] != w.shape[0]:",
        ),
        # the message names only one of the two shapes
        replace(MATVEC, "got X {X.shape} and w {w.shape}", "got w {w.shape}"),
    ],
    "center_columns": [
        # subtracts the mean of the whole matrix
        replace(CENTER, "X.mean(axis=0)", "X.mean()"),
        # subtracts each row's mean
        replace(CENTER, "X.mean(axis=0)", "X.mean(axis=1, keepdims=True)"),
        # centres in place, changing the caller's data
        replace(CENTER, "return X - X.mean(axis=0)", "X -= X.mean(axis=0)\n    return X"),
        # standardises (also divides by the standard deviation)
        replace(CENTER, "return X - X.mean(axis=0)", "return (X - X.mean(axis=0)) / X.std(axis=0)"),
        # a Python loop over the rows
        replace(
            CENTER,
            "return X - X.mean(axis=0)",
            "mean = X.mean(axis=0)\n    return np.array([row - mean for row in X])",
        ),
    ],
    "one_hot": [
        # no range check: -1 silently becomes the last class
        "def one_hot(labels, num_classes):\n"
        "    return np.eye(num_classes, dtype=np.float32)[labels]\n",
        # transposed: (C, N)
        replace(ONE_HOT, "[labels.astype(np.int64)]", "[labels.astype(np.int64)].T"),
        # sets whole columns: every row gets a 1 for every label present
        replace(
            ONE_HOT,
            "return np.eye(num_classes, dtype=np.float32)[labels.astype(np.int64)]",
            "out = np.zeros((len(labels), num_classes), dtype=np.float32)\n"
            "    out[:, labels.astype(np.int64)] = 1\n"
            "    return out",
        ),
        # off by one, as if labels started at 1
        replace(ONE_HOT, "[labels.astype(np.int64)]", "[labels.astype(np.int64) - 1]"),
        # checks only the upper end of the range
        replace(ONE_HOT, "(labels < 0) | ", ""),
        # names only the first bad label
        replace(ONE_HOT, "got {bad.tolist()}", "got {bad[0]}"),
        # no check for whole numbers: the label 1.5 silently becomes class 1
        replace(ONE_HOT, " | (labels % 1 != 0)", ""),
        # float64, not the course's float32
        replace(ONE_HOT, "np.eye(num_classes, dtype=np.float32)", "np.eye(num_classes)"),
        # a Python loop over the labels
        replace(
            ONE_HOT,
            "return np.eye(num_classes, dtype=np.float32)[labels.astype(np.int64)]",
            "out = np.zeros((len(labels), num_classes), dtype=np.float32)\n"
            "    for i, label in enumerate(labels.astype(np.int64)):\n"
            "        out[i, label] = 1.0\n"
            "    return out",
        ),
    ],
    "train_test_split": [
        # no shuffle: the test set is just the last rows
        "def train_test_split(x, y, test_size=0.2, rng=None):\n"
        "    if x.shape[0] != y.shape[0]:\n"
        "        raise ValueError(f'x {x.shape} and y {y.shape}')\n"
        "    n_train = x.shape[0] - int(np.ceil(test_size * x.shape[0]))\n"
        "    return x[:n_train], x[n_train:], y[:n_train], y[n_train:]\n",
        # shuffles x and y with different permutations: examples lose their labels
        replace(
            SPLIT,
            "return x[train], x[test], y[train], y[test]",
            "gen = np.random.default_rng(rng)\n"
            "    x, y = x[gen.permutation(n)], y[gen.permutation(n)]\n"
            "    return x[n_test:], x[:n_test], y[n_test:], y[:n_test]",
        ),
        # ignores the seed: a different split on every call
        replace(SPLIT, "np.random.default_rng(rng).permutation(n)", "np.random.permutation(n)"),
        # draws the test set with replacement: duplicates, and overlap with the training set
        replace(
            SPLIT,
            "test, train = order[:n_test], order[n_test:]",
            "test, train = np.random.default_rng(rng).integers(0, n, size=n_test), order[n_test:]",
        ),
        # returns the parts in the wrong order (x_train, y_train, x_test, y_test)
        replace(
            SPLIT,
            "return x[train], x[test], y[train], y[test]",
            "return x[train], y[train], x[test], y[test]",
        ),
        # rounds the test size down
        replace(SPLIT, "int(np.ceil(test_size * n))", "int(test_size * n)"),
        # the test set is the LAST n_test shuffled indices, not the first
        replace(
            SPLIT,
            "test, train = order[:n_test], order[n_test:]",
            "train, test = order[:n - n_test], order[n - n_test:]",
        ),
        # sorts the indices of each part: the statistics are right, the rows' order is not
        replace(
            SPLIT,
            "test, train = order[:n_test], order[n_test:]",
            "test, train = np.sort(order[:n_test]), np.sort(order[n_test:])",
        ),
        # a Python loop that gathers the rows one at a time
        replace(
            SPLIT,
            "return x[train], x[test], y[train], y[test]",
            "return tuple(np.array([a[i] for i in part]) for a, part in ((x, train), (x, test), "
            "(y, train), (y, test)))",
        ),
        # the message names only one of the two shapes
        replace(SPLIT, "got x {x.shape} and y {y.shape}", "got y {y.shape}"),
    ],
    "accuracy": [
        # counts the correct predictions instead of averaging them
        replace(ACCURACY, "np.mean(pred == labels)", "np.sum(pred == labels)"),
        # argmax over the examples instead of the classes
        replace(ACCURACY, "pred.argmax(axis=1)", "pred.argmax(axis=0)"),
        # no length check: one prediction broadcasts against every label
        "def accuracy(pred, labels):\n"
        "    if pred.ndim == 2:\n"
        "        pred = pred.argmax(axis=1)\n"
        "    return float(np.mean(pred == labels))\n",
        # forgets to turn scores into labels
        "def accuracy(pred, labels):\n    return float(np.mean(pred == labels))\n",
        # a percentage instead of a fraction
        replace(ACCURACY, "float(np.mean(pred == labels))", "float(100 * np.mean(pred == labels))"),
        # a Python loop over the examples
        replace(
            ACCURACY,
            "float(np.mean(pred == labels))",
            "sum(p == l for p, l in zip(pred, labels)) / len(labels)",
        ),
        # argmax only for square score matrices (checks the shape against the labels' length)
        replace(
            ACCURACY, "if pred.ndim == 2:", "if pred.ndim == 2 and pred.shape[1] == pred.shape[0]:"
        ),
    ],
}

# Answers that only call the course library's own version of the exercise (the grader scores them
# 0).
REFERENCE_CALLS: dict[str, list[str]] = {
    "one_hot": [
        "from nnlib.data import one_hot as reference_one_hot\n\n"
        "def one_hot(labels, num_classes):\n    return reference_one_hot(labels, num_classes)\n",
        "import nnlib.data\none_hot = nnlib.data.one_hot\n",
    ],
    "train_test_split": ["from nnlib.data import train_test_split\n"],
    "accuracy": [
        "import nnlib.metrics as metrics\n\ndef accuracy(pred, labels):\n"
        "    return metrics.accuracy(pred, labels)\n",
    ],
}
