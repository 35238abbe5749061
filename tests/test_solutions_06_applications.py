"""The master of chapter 6 (solutions/06_applications.md) behaves exactly like the reference
nnlib."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib.datasets
from masters import solution_namespace
from nnlib.activations import softmax
from nnlib.datasets import make_transactions
from nnlib.metrics import precision_recall_f1
from nnlib.thresholds import precision_recall_curve, threshold_for_recall
from nnlib.training import predict


@pytest.fixture(scope="module")
def ns() -> dict[str, Any]:
    """The names the master's (non-test) code cells define."""
    return solution_namespace("06_applications")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=60))
def test_binary_metrics_match_nnlib(ns: dict[str, Any], pairs: list[tuple[int, int]]) -> None:
    y_true, y_pred = (np.array(column) for column in zip(*pairs))
    expected = [float(a[1]) for a in precision_recall_f1(y_true, y_pred, num_classes=2)]
    assert ns["binary_metrics"](y_true, y_pred) == pytest.approx(expected, abs=1e-12)


TEXTS = st.lists(
    st.lists(
        st.sampled_from(["Good", "good,", "bad", "isn't", "film!", "goods", "a", "  "]), max_size=12
    ).map(" ".join),
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(
    TEXTS,
    st.lists(
        st.sampled_from(["good", "bad", "isn't", "film", "a", "zzz"]),
        min_size=1,
        max_size=6,
        unique=True,
    ),
)
def test_bag_of_words_matches_nnlib(
    ns: dict[str, Any], texts: list[str], vocabulary: list[str]
) -> None:
    got = ns["bag_of_words"](texts, vocabulary)
    expected = nnlib.datasets.bag_of_words(texts, vocabulary)
    assert got.dtype == expected.dtype == np.float32
    np.testing.assert_array_equal(got, expected)


@settings(max_examples=30, deadline=None)
@given(
    size=st.integers(64, 900),
    frame_length=st.integers(16, 64),
    hop_length=st.integers(1, 80),
    seed=st.integers(0, 2**16),
)
def test_spectrogram_matches_nnlib(
    ns: dict[str, Any], size: int, frame_length: int, hop_length: int, seed: int
) -> None:
    signal = np.random.default_rng(seed).normal(size=size)
    np.testing.assert_allclose(
        ns["spectrogram"](signal, frame_length, hop_length),
        nnlib.datasets.spectrogram(signal, frame_length, hop_length),
        rtol=1e-12,
        atol=1e-12,
    )


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 80),
    decimals=st.integers(1, 3),
    target=st.sampled_from([0.1, 0.5, 0.75, 0.9, 1.0]),
    seed=st.integers(0, 2**16),
)
def test_threshold_for_recall_matches_nnlib(
    ns: dict[str, Any], n: int, decimals: int, target: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int64)
    y[rng.integers(n)] = 1
    scores = np.round(rng.random(n) + 0.3 * y, decimals)
    assert ns["threshold_for_recall"](y, scores, target) == threshold_for_recall(y, scores, target)


def test_precision_recall_curve_by_hand() -> None:
    precision, recall, thresholds = precision_recall_curve(
        np.array([1, 1, 0, 1, 0, 1]), np.array([0.9, 0.8, 0.7, 0.6, 0.6, 0.5])
    )
    np.testing.assert_array_equal(thresholds, [0.9, 0.8, 0.7, 0.6, 0.5])
    np.testing.assert_allclose(recall, [0.25, 0.5, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(precision, [1.0, 1.0, 2 / 3, 3 / 5, 4 / 6])


def test_threshold_for_recall_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="no positive sample"):
        threshold_for_recall(np.zeros(4), np.arange(4.0), 0.5)
    with pytest.raises(ValueError, match=r"target_recall must be in \(0, 1\], got 1.5"):
        threshold_for_recall(np.array([0, 1]), np.array([0.1, 0.9]), 1.5)
    with pytest.raises(ValueError, match="shape of y_true"):
        precision_recall_curve(np.array([0, 1]), np.array([0.1, 0.9, 0.3]))


@pytest.mark.slow
def test_master_fraud_model_meets_the_bar_on_unseen_months(ns: dict[str, Any]) -> None:
    model, threshold = ns["train_fraud_model"](
        ns["X_FRAUD"], ns["Y_FRAUD"], np.random.default_rng(5)
    )
    for seed in (101, 202):
        x, y = make_transactions(100_000, rng=seed)
        flagged = softmax(predict(model, ns["scale"](x)))[:, 1] >= threshold
        recall, precision = np.mean(flagged[y == 1]), np.mean(y[flagged] == 1)
        assert recall >= 0.7 and precision >= 0.1, (
            f"month {seed}: recall {recall:.1%}, precision {precision:.1%}"
        )
