"""Tests of nnlib.data: helpers, synthetic generators, the bundled real data sets, error paths."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.data import (
    load_breast_cancer,
    load_digits,
    make_circles,
    make_moons,
    make_spirals,
    make_xor,
    one_hot,
    standardize,
    train_test_split,
)

# one_hot --------------------------------------------------------------------------------------


def test_one_hot_by_hand() -> None:
    expected = np.array([[0, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 0]], dtype=np.float32)
    out = one_hot(np.array([2, 0, 2, 1]), 3)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, expected)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=40))
def test_one_hot_rows_sum_to_one_and_argmax_back(labels: list[int]) -> None:
    out = one_hot(np.array(labels), 7, dtype=np.float64)
    assert out.shape == (len(labels), 7)
    np.testing.assert_array_equal(out.sum(axis=1), 1.0)
    np.testing.assert_array_equal(out.argmax(axis=1), labels)


def test_one_hot_out_of_range_names_the_labels() -> None:
    with pytest.raises(ValueError, match=r"labels must be in \[0, 3\), got \[3, 7\]"):
        one_hot(np.array([0, 3, 7, 3]), 3)


def test_one_hot_negative_label() -> None:
    with pytest.raises(ValueError, match=r"non-negative class labels, got \[-2\]"):
        one_hot(np.array([0, -2]), 3)


def test_one_hot_non_integer_labels() -> None:
    with pytest.raises(
        ValueError, match=r"integer class labels, got dtype float64 with values \[0.0, 1.5\]"
    ):
        one_hot(np.array([0.0, 1.5]), 3)


def test_one_hot_bad_num_classes() -> None:
    with pytest.raises(ValueError, match="num_classes must be positive, got 0"):
        one_hot(np.array([0]), 0)


# train_test_split -----------------------------------------------------------------------------


def test_split_sizes_disjoint_and_complete() -> None:
    x = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.25, rng=0)
    assert len(y_te) == 3 and len(y_tr) == 7  # ceil(0.25 * 10)
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == list(range(10))
    np.testing.assert_array_equal(x_tr[:, 0], 2 * y_tr)  # rows stay paired
    np.testing.assert_array_equal(x_te[:, 0], 2 * y_te)


def test_split_is_reproducible_with_a_seed_and_accepts_a_count() -> None:
    x, y = np.arange(30).reshape(15, 2), np.arange(15)
    first = train_test_split(x, y, test_size=4, rng=3)
    second = train_test_split(x, y, test_size=4, rng=np.random.default_rng(3))
    assert len(first[3]) == 4
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_stratified_split_keeps_class_proportions() -> None:
    y = np.repeat([0, 1, 2], [80, 15, 5])
    x = np.arange(100, dtype=np.float32)[:, None]
    _, _, y_tr, y_te = train_test_split(x, y, test_size=0.2, rng=1, stratify=True)
    np.testing.assert_array_equal(np.bincount(y_te), [16, 3, 1])
    np.testing.assert_array_equal(np.bincount(y_tr), [64, 12, 4])


def test_split_length_mismatch() -> None:
    with pytest.raises(ValueError, match=r"x \(5, 2\) and y \(4,\)"):
        train_test_split(np.zeros((5, 2)), np.zeros(4))


@pytest.mark.parametrize("test_size", [0.0, 1.0, -3, 1.5])
def test_split_bad_test_size(test_size: float) -> None:
    with pytest.raises(ValueError, match=f"test_size={test_size}|got {test_size}"):
        train_test_split(np.zeros((5, 2)), np.zeros(5), test_size=test_size)


def test_split_test_size_too_large_count() -> None:
    with pytest.raises(ValueError, match="leaves 5 of 5 samples for testing"):
        train_test_split(np.zeros((5, 2)), np.zeros(5), test_size=5)


def test_stratified_split_needs_labels() -> None:
    with pytest.raises(ValueError, match=r"y \(stratify=True\) must hold integer class labels"):
        train_test_split(np.zeros((4, 2)), np.array([0.5, 1.0, 0.0, 1.0]), stratify=True)


# standardize ----------------------------------------------------------------------------------


def test_standardize_uses_training_statistics() -> None:
    x_train = np.array([[1.0, 10.0, 5.0], [3.0, 30.0, 5.0]], dtype=np.float32)
    x_test = np.array([[2.0, 50.0, 7.0]], dtype=np.float32)
    s_train, s_test = standardize(x_train, x_test)
    # mean (2, 20, 5), std (1, 10, 0 -> 1): the constant feature is only centred
    np.testing.assert_allclose(s_train, [[-1, -1, 0], [1, 1, 0]])
    np.testing.assert_allclose(s_test, [[0, 3, 2]])
    assert s_train.dtype == np.float32 and s_test.dtype == np.float32
    assert x_train[0, 0] == 1.0, "the input must not be modified"


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 30), f=st.integers(1, 5), seed=st.integers(0, 1000))
def test_standardized_train_has_zero_mean_unit_std(n: int, f: int, seed: int) -> None:
    x = np.random.default_rng(seed).normal(5.0, 3.0, (n, f))
    (z,) = standardize(x)
    assert z.dtype == np.float64
    np.testing.assert_allclose(z.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(z.std(axis=0), 1.0, rtol=1e-9)


def test_standardize_integer_input_gives_float32() -> None:
    (z,) = standardize(np.array([[0], [2]]))
    assert z.dtype == np.float32
    np.testing.assert_array_equal(z, [[-1], [1]])


def test_standardize_feature_mismatch_names_shapes() -> None:
    with pytest.raises(ValueError, match=r"array 1 of others has shape \(3, 4\).*x_train \(5, 3\)"):
        standardize(np.zeros((5, 3)), np.zeros((3, 4)))


def test_standardize_needs_a_2d_train_set() -> None:
    with pytest.raises(ValueError, match=r"got \(5,\)"):
        standardize(np.zeros(5))


# synthetic data sets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "n", "classes"),
    [
        (lambda rng: make_xor(101, 0.1, rng), 101, 2),
        (lambda rng: make_spirals(40, 4, 0.2, rng), 160, 4),
        (lambda rng: make_moons(99, 0.1, rng), 99, 2),
        (lambda rng: make_circles(99, 0.05, rng=rng), 99, 2),
    ],
)
def test_generators_shapes_dtypes_balance_and_seed(make, n: int, classes: int) -> None:  # type: ignore[no-untyped-def]
    x, y = make(0)
    assert x.shape == (n, 2) and x.dtype == np.float32 and y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert len(counts) == classes and counts.max() - counts.min() <= 1
    x2, y2 = make(0)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(make(1)[0], x)
    assert not np.array_equal(y[: n // 2], np.sort(y[: n // 2])), "samples must come shuffled"


def test_xor_labels_are_sign_disagreement() -> None:
    x, y = make_xor(200, noise=0.1, rng=0)
    np.testing.assert_array_equal(y, (np.sign(x[:, 0]) != np.sign(x[:, 1])).astype(int))


def test_circles_without_noise_lie_on_their_radius() -> None:
    x, y = make_circles(50, noise=0.0, factor=0.3, rng=0, dtype=np.float64)
    np.testing.assert_allclose(np.hypot(x[:, 0], x[:, 1]), np.where(y == 0, 1.0, 0.3))


def test_moons_without_noise_lie_on_their_half_circles() -> None:
    x, y = make_moons(60, noise=0.0, rng=0, dtype=np.float64)
    centre = np.where(y[:, None] == 0, [0.0, 0.0], [1.0, 0.5])
    np.testing.assert_allclose(np.hypot(*(x - centre).T), 1.0)
    assert np.all(x[y == 0, 1] >= 0) and np.all(x[y == 1, 1] <= 0.5)


def test_spirals_radius_grows_to_one() -> None:
    x, _ = make_spirals(50, 3, noise=0.0, rng=0, dtype=np.float64)
    r = np.hypot(x[:, 0], x[:, 1])
    assert r.min() == 0.0 and r.max() == pytest.approx(1.0)


def test_generator_errors_name_the_value() -> None:
    with pytest.raises(
        ValueError, match="noise is a standard deviation and must be >= 0, got -0.1"
    ):
        make_xor(10, noise=-0.1)
    with pytest.raises(ValueError, match="need at least 2 samples, got n=1"):
        make_moons(1)
    with pytest.raises(ValueError, match="n_classes must be >= 2, got 1"):
        make_spirals(10, n_classes=1)
    with pytest.raises(ValueError, match=r"factor .* must be in \(0, 1\), got 1.5"):
        make_circles(10, factor=1.5)


# real data sets -------------------------------------------------------------------------------


def test_load_digits() -> None:
    x, y = load_digits()
    assert x.shape == (1797, 64) and x.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    np.testing.assert_array_equal(np.unique(y), np.arange(10))


def test_load_breast_cancer() -> None:
    x, y = load_breast_cancer(dtype=np.float64)
    assert x.shape == (569, 30) and x.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [212, 357])


def test_loaders_explain_a_missing_scikit_learn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(
        ImportError,
        match=r"load_digits\(\) reads a data file bundled "
        r"with scikit-learn.*pip install scikit-learn",
    ):
        load_digits()
