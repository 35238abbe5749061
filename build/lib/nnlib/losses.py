"""Loss functions: a number that says how wrong the predictions are, and its gradient.

Usage: `value = loss(pred, target)` (a Python float), then `grad = loss.backward()`, the
gradient of that value with respect to `pred` (same shape as `pred`).
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnlib.module import Array


class MSELoss:
    """Mean squared error over every element (as PyTorch), L = mean((pred - target)^2).

    Backward: dL/dpred = 2 (pred - target) / pred.size.
    """

    def __init__(self) -> None:
        self._diff: Array | None = None

    def __call__(self, pred: Array, target: Array) -> float:
        """L = (1 / n) sum_j (pred_j - target_j)^2 over all n = pred.size elements.

        Args:
            pred: predictions, any shape, e.g. (batch, outputs).
            target: targets of exactly the shape of pred (no broadcasting).
        Returns:
            the loss, a float >= 0.
        """
        pred, target = np.asarray(pred), np.asarray(target)
        if pred.shape != target.shape:
            raise ValueError(
                f"MSELoss needs pred and target of the same shape, got pred {pred.shape} and "
                f"target {target.shape}"
            )
        if pred.size == 0:
            raise ValueError(f"MSELoss needs at least one element, got pred of shape {pred.shape}")
        dtype = pred.dtype if np.issubdtype(pred.dtype, np.floating) else np.float64
        self._diff = np.subtract(pred, target, dtype=dtype)
        return float(np.mean(self._diff * self._diff))

    def backward(self) -> Array:
        """dL/dpred = 2 (pred - target) / pred.size, of the shape of pred."""
        if self._diff is None:
            raise RuntimeError(
                "MSELoss.backward was called before the loss was computed: call loss(pred, target) first"
            )
        grad: Array = self._diff * (2 / self._diff.size)
        return grad


class SoftmaxCrossEntropy:
    """Softmax followed by cross-entropy on integer labels, L = mean_i(-log softmax(z_i)[y_i]).

    Computed stably for large logits: with shifted = z - max(z) and s = sum_j exp(shifted_j),
    log softmax(z)_y = shifted_y - log s, where s >= 1. Backward:
    dL/dz = (softmax(z) - onehot(y)) / N.
    """

    def __init__(self) -> None:
        self._probs: Array | None = None
        self._labels: NDArray[np.integer[Any]] | None = None

    def __call__(self, logits: Array, labels: NDArray[np.integer[Any]]) -> float:
        """L = -(1 / N) sum_i log softmax(z_i)[y_i].

        Args:
            logits: scores z of shape (N, C), one row per example.
            labels: integer class labels y of shape (N,), each in [0, C).
        Returns:
            the mean loss over the batch, a float >= 0.
        """
        logits, labels = np.asarray(logits), np.asarray(labels)
        if logits.ndim != 2 or 0 in logits.shape:
            raise ValueError(
                f"SoftmaxCrossEntropy needs logits of shape (N, C) with N, C >= 1, got {logits.shape}"
            )
        if labels.dtype.kind not in "iu":  # signed or unsigned integers
            raise TypeError(
                f"SoftmaxCrossEntropy needs integer class labels, got dtype {labels.dtype} "
                "(convert with labels.astype(int); one-hot rows can be turned into labels with argmax(axis=1))"
            )
        n, c = logits.shape
        if labels.shape != (n,):
            raise ValueError(
                f"SoftmaxCrossEntropy needs one label per row of logits: logits {logits.shape} "
                f"need labels of shape ({n},), got {labels.shape}"
            )
        if labels.min() < 0 or labels.max() >= c:
            bad = np.unique(labels[(labels < 0) | (labels >= c)])
            raise ValueError(
                f"labels must be in [0, {c}) for {c} classes; got out-of-range value(s) {bad[:10].tolist()}"
            )
        shifted = logits - logits.max(axis=1, keepdims=True)  # the largest logit of each row becomes 0
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)  # (N, 1), each >= 1: its log is safe
        self._probs = e / s
        self._labels = labels
        # L = -(1/N) sum_i (shifted[i, y_i] - log s_i)
        return float((np.log(s).sum() - shifted[np.arange(n), labels].sum()) / n)

    def backward(self) -> Array:
        """dL/dz = (softmax(z) - onehot(y)) / N, of shape (N, C)."""
        if self._probs is None or self._labels is None:
            raise RuntimeError(
                "SoftmaxCrossEntropy.backward was called before the loss was computed: "
                "call loss(logits, labels) first"
            )
        n = self._labels.shape[0]
        grad = self._probs / n
        grad[np.arange(n), self._labels] -= 1 / n
        return grad
