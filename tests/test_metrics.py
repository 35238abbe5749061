"""Tests of nnlib.metrics: hand-computed values, properties, and every error path."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.metrics import accuracy, confusion_matrix, precision_recall_f1

Y_TRUE = np.array([0, 0, 1, 1, 1, 2])
Y_PRED = np.array([0, 1, 1, 1, 0, 0])


def test_accuracy_of_labels() -> None:
    assert accuracy(Y_PRED, Y_TRUE) == pytest.approx(3 / 6)


def test_accuracy_of_scores_uses_argmax() -> None:
    scores = np.array([[2.0, 1.0, 0.0], [0.1, 0.5, 0.2], [0.0, 0.0, 3.0], [5.0, -1.0, 0.0]])
    assert accuracy(scores, np.array([0, 1, 1, 1])) == pytest.approx(2 / 4)


def test_confusion_matrix_by_hand() -> None:
    expected = np.array([[1, 1, 0], [1, 2, 0], [1, 0, 0]])
    m = confusion_matrix(Y_TRUE, Y_PRED)
    assert m.dtype == np.int64
    np.testing.assert_array_equal(m, expected)


def test_confusion_matrix_pads_to_num_classes() -> None:
    m = confusion_matrix([0, 1], [1, 1], num_classes=4)
    assert m.shape == (4, 4) and m[0, 1] == 1 and m[1, 1] == 1 and m.sum() == 2


def test_precision_recall_f1_by_hand() -> None:
    precision, recall, f1 = precision_recall_f1(Y_TRUE, Y_PRED)
    # class 0: TP 1, predicted 3, actual 2; class 1: TP 2, predicted 3, actual 3; class 2: never
    # predicted
    np.testing.assert_allclose(precision, [1 / 3, 2 / 3, 0.0])
    np.testing.assert_allclose(recall, [1 / 2, 2 / 3, 0.0])
    np.testing.assert_allclose(f1, [2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2), 2 / 3, 0.0])


def test_undefined_ratios_are_zero_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        precision, recall, f1 = precision_recall_f1([0, 0], [0, 0], num_classes=3)
    np.testing.assert_array_equal(precision, [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(recall, [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(f1, [1.0, 0.0, 0.0])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=60))
def test_confusion_matrix_properties(pairs: list[tuple[int, int]]) -> None:
    t, p = (np.array(v) for v in zip(*pairs))
    m = confusion_matrix(t, p, num_classes=5)
    assert m.sum() == len(pairs)
    np.testing.assert_array_equal(m.sum(axis=1), np.bincount(t, minlength=5))
    np.testing.assert_array_equal(m.sum(axis=0), np.bincount(p, minlength=5))
    assert np.trace(m) / len(pairs) == pytest.approx(accuracy(p, t))
    precision, recall, f1 = precision_recall_f1(t, p, num_classes=5)
    for arr in (precision, recall, f1):
        assert arr.shape == (5,) and np.all((arr >= 0) & (arr <= 1))


def test_accuracy_length_mismatch_names_both_lengths() -> None:
    with pytest.raises(ValueError, match="pred has 3 rows but labels has 2"):
        accuracy(np.array([0, 1, 2]), np.array([0, 1]))


def test_accuracy_rejects_3d_scores() -> None:
    with pytest.raises(ValueError, match=r"got shape \(2, 3, 4\)"):
        accuracy(np.zeros((2, 3, 4)), np.zeros(2))


def test_accuracy_rejects_2d_labels() -> None:
    with pytest.raises(ValueError, match=r"labels must have shape \(N,\), got \(2, 1\)"):
        accuracy(np.zeros(2), np.zeros((2, 1)))


def test_accuracy_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        accuracy(np.zeros(0), np.zeros(0))


def test_confusion_matrix_length_mismatch() -> None:
    with pytest.raises(ValueError, match="same length, got 3 and 2"):
        confusion_matrix([0, 1, 1], [0, 1])


def test_confusion_matrix_label_beyond_num_classes() -> None:
    with pytest.raises(ValueError, match="labels must be < num_classes=2, got label 5"):
        confusion_matrix([0, 5], [0, 1], num_classes=2)


def test_confusion_matrix_negative_label() -> None:
    with pytest.raises(ValueError, match=r"y_pred must be non-negative class labels, got \[-1\]"):
        confusion_matrix([0, 1], [0, -1])


def test_confusion_matrix_non_integer_labels() -> None:
    with pytest.raises(
        ValueError,
        match=r"y_true must hold integer class labels, got dtype float64 with values \[0.5, 1.0\]",
    ):
        confusion_matrix([0.5, 1.0], [0, 1])


def test_confusion_matrix_scores_instead_of_labels() -> None:
    with pytest.raises(
        ValueError, match=r"y_pred must be a 1-D array of class labels \(N,\), got shape \(2, 3\)"
    ):
        confusion_matrix([0, 1], np.zeros((2, 3)))


def test_precision_recall_f1_bad_num_classes() -> None:
    with pytest.raises(ValueError, match="num_classes must be positive, got 0"):
        precision_recall_f1([0], [0], num_classes=0)
