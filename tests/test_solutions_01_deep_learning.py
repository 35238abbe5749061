"""The master solutions of chapter 1 (solutions/01_deep_learning.md) behave like the reference
nnlib."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from masters import solution_namespace
from nnlib.data import one_hot, standardize, train_test_split
from nnlib.layers import Dense
from nnlib.metrics import accuracy

SHAPES = [(1, 1), (5, 3), (3, 5), (32, 8)]


@pytest.fixture(scope="module")
def ns() -> dict[str, Any]:
    return solution_namespace("01_deep_learning")


@pytest.mark.parametrize("shape", SHAPES)
def test_matvec_is_a_dense_layer_without_bias(ns: dict[str, Any], shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    X = rng.normal(size=shape)
    w = rng.normal(size=shape[1])
    layer = Dense(shape[1], 1, dtype=np.float64)
    layer.weight.data[:, 0] = w
    np.testing.assert_allclose(ns["matvec"](X, w), layer(X)[:, 0], rtol=1e-12, atol=1e-12)


def test_matvec_and_dense_both_reject_a_feature_mismatch(ns: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(2,\)"):
        ns["matvec"](np.ones((4, 3)), np.ones(2))
    with pytest.raises(ValueError, match=r"\(4, 3\)"):
        Dense(2, 1)(np.ones((4, 3)))


@pytest.mark.parametrize("shape", SHAPES[1:])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_center_columns_is_standardize_times_std(
    ns: dict[str, Any], shape: tuple[int, int], dtype: type
) -> None:
    X = np.random.default_rng(shape[0]).normal(loc=3.0, scale=2.0, size=shape).astype(dtype)
    centred = ns["center_columns"](X)
    (z,) = standardize(X)
    assert centred.dtype == z.dtype == dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(centred, z * X.std(axis=0), rtol=tol, atol=tol)


@pytest.mark.parametrize(("n", "num_classes"), [(1, 1), (10, 3), (100, 10)])
def test_one_hot_matches_nnlib(ns: dict[str, Any], n: int, num_classes: int) -> None:
    labels = np.random.default_rng(n).integers(0, num_classes, size=n)
    mine, reference = ns["one_hot"](labels, num_classes), one_hot(labels, num_classes)
    assert mine.dtype == reference.dtype
    np.testing.assert_array_equal(mine, reference)


@pytest.mark.parametrize("bad", [[-1], [0, 3], [7, 1]])
def test_one_hot_rejects_the_labels_nnlib_rejects(ns: dict[str, Any], bad: list[int]) -> None:
    with pytest.raises(ValueError):
        one_hot(np.array(bad), 3)
    with pytest.raises(ValueError, match=str(max(bad, key=abs))):
        ns["one_hot"](np.array(bad), 3)


@pytest.mark.parametrize(
    ("n", "test_size", "seed"), [(2, 0.5, 0), (10, 0.3, 1), (10, 0.25, 2), (101, 0.2, 3)]
)
def test_train_test_split_equals_nnlib_for_the_same_seed(
    ns: dict[str, Any], n: int, test_size: float, seed: int
) -> None:
    x = np.random.default_rng(seed).normal(size=(n, 3))
    y = np.arange(n)
    for rng in (seed, np.random.default_rng(seed)):
        mine = ns["train_test_split"](x, y, test_size=test_size, rng=rng)
        reference = train_test_split(x, y, test_size=test_size, rng=np.random.default_rng(seed))
        for a, b in zip(mine, reference, strict=True):
            np.testing.assert_array_equal(a, b)


def test_train_test_split_rejects_unpaired_data_like_nnlib(ns: dict[str, Any]) -> None:
    for split in (ns["train_test_split"], train_test_split):
        with pytest.raises(ValueError, match=r"\(5, 2\).*\(4,\)"):
            split(np.ones((5, 2)), np.ones(4), rng=0)


@pytest.mark.parametrize(("n", "num_classes"), [(1, 2), (7, 3), (200, 10)])
def test_accuracy_matches_nnlib_on_labels_and_scores(
    ns: dict[str, Any], n: int, num_classes: int
) -> None:
    rng = np.random.default_rng(n)
    labels = rng.integers(0, num_classes, size=n)
    scores = rng.normal(size=(n, num_classes)).astype(np.float32)
    for pred in (scores, scores.argmax(axis=1), labels):
        mine = ns["accuracy"](pred, labels)
        assert isinstance(mine, float)
        assert mine == accuracy(pred, labels)


@pytest.mark.parametrize(
    ("pred", "labels"),
    [(np.array([1]), np.array([1, 1, 0])), (np.zeros((3, 2)), np.zeros(4, dtype=int))],
)
def test_accuracy_rejects_mismatched_lengths_like_nnlib(
    ns: dict[str, Any], pred: np.ndarray, labels: np.ndarray
) -> None:
    for acc in (ns["accuracy"], accuracy):
        with pytest.raises(ValueError):
            acc(pred, labels)
