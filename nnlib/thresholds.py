"""Choosing a decision threshold: the precision-recall curve and a recall target.

A binary classifier gives each sample a score (e.g. the probability of fraud); the threshold
t turns it into a decision, positive when score >= t. Lowering t catches more positives
(recall TP / (TP + FN) rises) at the cost of more false alarms (precision TP / (TP + FP)
usually falls). Where to stand on that trade-off is a business or medical decision, not a
property of the model. Used by chapter 6, "Healthcare" and "Finance".
"""

from __future__ import annotations

import numpy as np

from nnlib.metrics import as_labels

__all__ = ["precision_recall_curve", "threshold_for_recall"]


def precision_recall_curve(
    y_true: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision and recall of the rule "positive when score >= t" at every distinct score t.

    Args:
        y_true: labels `(N,)` in {0, 1}, at least one 1.
        scores: `(N,)`, higher = more likely positive.

    Returns:
        (precision, recall, thresholds), each float64 `(K,)` for the K distinct scores in
        decreasing order: recall rises from its smallest value to 1.
    """
    y = as_labels(y_true, "y_true")
    s = np.asarray(scores, dtype=np.float64)
    if s.shape != y.shape:
        raise ValueError(f"scores must have the shape of y_true {y.shape}, got {s.shape}")
    if y.max(initial=0) > 1:
        raise ValueError(
            f"y_true must be binary labels in {{0, 1}}, got {sorted(set(y.tolist()))[:5]}"
        )
    positives = int(y.sum())
    if positives == 0:
        raise ValueError("y_true has no positive sample: recall is undefined")
    if not np.all(np.isfinite(s)):
        raise ValueError("scores contain NaN or infinity")
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    tp = np.cumsum(y_sorted)
    fp = np.arange(1, y.size + 1) - tp
    last = np.flatnonzero(
        np.r_[s_sorted[1:] != s_sorted[:-1], True]
    )  # last sample of each distinct score
    return tp[last] / (tp[last] + fp[last]), tp[last] / positives, s_sorted[last]


def threshold_for_recall(y_true: np.ndarray, scores: np.ndarray, target_recall: float) -> float:
    """The threshold with the best precision among those whose recall reaches `target_recall`.

    Ties in precision go to the highest threshold (fewest samples flagged).

    Args:
        y_true: labels `(N,)` in {0, 1}.
        scores: `(N,)`.
        target_recall: in (0, 1].

    Returns:
        t, a value of `scores`: predict positive where scores >= t.
    """
    if not 0 < target_recall <= 1:
        raise ValueError(f"target_recall must be in (0, 1], got {target_recall}")
    precision, recall, thresholds = precision_recall_curve(y_true, scores)
    ok = np.flatnonzero(recall >= target_recall)
    best = ok[np.argmax(precision[ok])]  # argmax takes the first maximum: the highest threshold
    return float(thresholds[best])
