"""Classification metrics: accuracy, confusion matrix, precision / recall / F1 per class.

Accuracy alone hides what goes wrong when classes are imbalanced (a fraud detector that says
"no fraud" to everyone is 99% accurate); the confusion matrix shows every kind of mistake and
precision and recall summarise it per class.
"""

from __future__ import annotations

import numpy as np

__all__ = ["accuracy", "as_labels", "confusion_matrix", "precision_recall_f1"]


def as_labels(values: np.ndarray, what: str) -> np.ndarray:
    """Check a 1-D array of integer class labels (integral floats allowed) and return it as
    `np.intp`.

    `np.intp` is what `np.bincount` and indexing take without a cast: int64 on a desktop, int32
    in the browser's wasm32 Python, where `np.bincount` refuses int64 input.

    Args:
        values: class labels `(N,)`, non-negative integers (or floats holding integers).
        what: the argument's name, used in the error messages.
    Returns:
        the labels as `np.intp`, shape `(N,)`.
    """
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be a 1-D array of class labels (N,), got shape {arr.shape}")
    integral = (
        np.issubdtype(arr.dtype, np.integer)
        or arr.dtype == np.bool_
        or (
            np.issubdtype(arr.dtype, np.floating)
            and bool(np.all(np.isfinite(arr) & (arr == np.round(arr))))
        )
    )
    if not integral:
        raise ValueError(
            f"{what} must hold integer class labels, got dtype {arr.dtype} "
            f"with values {arr[:5].tolist()}"
        )
    labels = arr.astype(np.intp)
    if labels.size and labels.min() < 0:
        raise ValueError(
            f"{what} must be non-negative class labels, "
            f"got {sorted(set(labels[labels < 0].tolist()))[:5]}"
        )
    return labels


def _pair(
    y_true: np.ndarray, y_pred: np.ndarray, num_classes: int | None
) -> tuple[np.ndarray, np.ndarray, int]:
    """Validate two label vectors of equal length and find the number of classes C."""
    t = as_labels(y_true, "y_true")
    p = as_labels(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(
            f"y_true and y_pred must have the same length, got {t.shape[0]} and {p.shape[0]}"
        )
    seen = int(max(t.max(initial=-1), p.max(initial=-1))) + 1
    if num_classes is None:
        return t, p, seen
    if num_classes <= 0:
        raise ValueError(f"num_classes must be positive, got {num_classes}")
    if seen > num_classes:
        raise ValueError(f"labels must be < num_classes={num_classes}, got label {seen - 1}")
    return t, p, num_classes


def accuracy(pred: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of correct predictions: mean(pred_i == labels_i).

    Args:
        pred: predicted labels `(N,)`, or scores / logits / probabilities `(N, C)` whose
            argmax along the classes is the prediction.
        labels: true class labels `(N,)`.

    Returns:
        A float in [0, 1].
    """
    pred = np.asarray(pred)
    labels = np.asarray(labels)
    if pred.ndim == 2:
        pred = pred.argmax(axis=1)
    elif pred.ndim != 1:
        raise ValueError(f"pred must be labels (N,) or scores (N, C), got shape {pred.shape}")
    if labels.ndim != 1:
        raise ValueError(f"labels must have shape (N,), got {labels.shape}")
    if pred.shape[0] != labels.shape[0]:
        raise ValueError(f"pred has {pred.shape[0]} rows but labels has {labels.shape[0]}")
    if pred.shape[0] == 0:
        raise ValueError("accuracy of an empty batch is undefined (got 0 predictions)")
    return float(np.mean(pred == labels))


def confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, num_classes: int | None = None
) -> np.ndarray:
    """Count matrix M with M[i, j] = number of samples of true class i predicted as class j.

    Args:
        y_true: true labels `(N,)`, integers in [0, C).
        y_pred: predicted labels `(N,)`, integers in [0, C).
        num_classes: C; by default 1 + the largest label seen.

    Returns:
        int64 array `(C, C)`: rows are true classes, columns predicted classes; the diagonal
        holds the correct predictions.
    """
    t, p, c = _pair(y_true, y_pred, num_classes)
    return np.bincount(t * c + p, minlength=c * c).reshape(c, c).astype(np.int64)


def precision_recall_f1(
    y_true: np.ndarray, y_pred: np.ndarray, num_classes: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-class precision TP/(TP+FP), recall TP/(TP+FN) and F1 = 2PR/(P+R).

    A ratio whose denominator is 0 (a class never predicted, or never present) is 0, without
    a warning.

    Args:
        y_true: true labels `(N,)`.
        y_pred: predicted labels `(N,)`.
        num_classes: C; by default 1 + the largest label seen.

    Returns:
        (precision, recall, f1), each float64 `(C,)`, entry k for class k.
    """
    m = confusion_matrix(y_true, y_pred, num_classes).astype(np.float64)
    tp = np.diag(m)
    predicted = m.sum(axis=0)  # TP + FP
    actual = m.sum(axis=1)  # TP + FN
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros_like(tp), where=both > 0)
    return precision, recall, f1
