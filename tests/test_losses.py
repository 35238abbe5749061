"""Tests for nnlib.losses: MSELoss and SoftmaxCrossEntropy values, gradients and input checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.gradcheck import numerical_gradient
from nnlib.losses import MSELoss, SoftmaxCrossEntropy

FAST = settings(max_examples=25, deadline=None)
sizes = st.integers(1, 5)
seeds = st.integers(0, 2**32 - 1)


def test_mse_value_and_gradient_by_hand() -> None:
    loss = MSELoss()
    pred, target = np.array([[1.0, 2.0], [3.0, 4.0]]), np.ones((2, 2))
    value = loss(pred, target)
    assert value == pytest.approx(3.5), (
        f"expected mean(0, 1, 4, 9) = 3.5 (mean over all 4 elements), got {value}"
    )
    np.testing.assert_allclose(
        loss.backward(), [[0.0, 0.5], [1.0, 1.5]], err_msg="2 (pred - target) / 4"
    )


def test_cross_entropy_value_and_gradient_by_hand() -> None:
    loss = SoftmaxCrossEntropy()
    logits = np.array([[0.0, np.log(3.0)], [0.0, np.log(3.0)]])  # softmax rows: [0.25, 0.75]
    value = loss(logits, np.array([1, 0]))
    expected = -(np.log(0.75) + np.log(0.25)) / 2
    assert value == pytest.approx(expected), (
        f"expected -(ln 0.75 + ln 0.25) / 2 = {expected:.6f}, got {value}"
    )
    np.testing.assert_allclose(
        loss.backward(),
        [[0.125, -0.125], [-0.375, 0.375]],
        err_msg="(softmax - onehot) / N with N = 2",
    )


def test_cross_entropy_is_stable_for_huge_logits() -> None:
    loss = SoftmaxCrossEntropy()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = loss(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([1, 1]))
        grad = loss.backward()
    assert value == pytest.approx(500.0), f"expected (1000 + 0) / 2 = 500, got {value}"
    np.testing.assert_allclose(
        grad, [[0.5, -0.5], [0.0, 0.0]], atol=1e-12, err_msg="gradient at saturated logits"
    )


@FAST
@given(shape=st.tuples(sizes, sizes), seed=seeds)
def test_mse_gradient_matches_numerical(shape: tuple[int, int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    pred, target = rng.standard_normal(shape), rng.standard_normal(shape)
    loss = MSELoss()
    loss(pred, target)
    analytic = loss.backward()
    numerical = numerical_gradient(lambda p: loss(p, target), pred)
    np.testing.assert_allclose(
        analytic, numerical, rtol=1e-6, atol=1e-9, err_msg="MSELoss.backward vs numerical"
    )


@FAST
@given(n=sizes, c=sizes, seed=seeds)
def test_cross_entropy_gradient_matches_numerical(n: int, c: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    logits, labels = rng.normal(0, 3, (n, c)), rng.integers(0, c, n)
    loss = SoftmaxCrossEntropy()
    loss(logits, labels)
    analytic = loss.backward()
    numerical = numerical_gradient(lambda z: loss(z, labels), logits)
    np.testing.assert_allclose(
        analytic, numerical, rtol=1e-6, atol=1e-9, err_msg="SoftmaxCrossEntropy vs numerical"
    )


def test_backward_can_be_called_again_with_the_same_result() -> None:
    loss = SoftmaxCrossEntropy()
    loss(np.array([[1.0, 2.0, 3.0]]), np.array([2]))
    first, second = loss.backward(), loss.backward()
    np.testing.assert_array_equal(
        first, second, err_msg="backward must not change the cached state"
    )


def test_losses_keep_float32() -> None:
    mse = MSELoss()
    mse(np.ones((2, 3), dtype=np.float32), np.zeros((2, 3)))
    assert mse.backward().dtype == np.float32, (
        f"MSE grad must stay float32, got {mse.backward().dtype}"
    )
    ce = SoftmaxCrossEntropy()
    ce(np.ones((2, 3), dtype=np.float32), np.array([0, 2]))
    assert ce.backward().dtype == np.float32, (
        f"cross-entropy grad must stay float32, got {ce.backward().dtype}"
    )


@pytest.mark.parametrize(
    "loss", [MSELoss(), SoftmaxCrossEntropy()], ids=["MSELoss", "SoftmaxCrossEntropy"]
)
def test_backward_before_the_loss_raises(loss: MSELoss | SoftmaxCrossEntropy) -> None:
    with pytest.raises(RuntimeError, match=f"{type(loss).__name__}.backward was called before"):
        loss.backward()


def test_mse_shape_mismatch_names_both_shapes() -> None:
    with pytest.raises(ValueError, match=r"pred \(3, 2\) and target \(3,\)"):
        MSELoss()(np.ones((3, 2)), np.ones(3))


def test_mse_rejects_empty_input() -> None:
    with pytest.raises(ValueError, match=r"at least one element.*\(0, 2\)"):
        MSELoss()(np.ones((0, 2)), np.ones((0, 2)))


def test_cross_entropy_rejects_float_labels_naming_the_dtype() -> None:
    with pytest.raises(TypeError, match="integer class labels, got dtype float64"):
        SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array([0.0, 1.0]))


@pytest.mark.parametrize(
    ("labels", "named"), [([0, 3], r"\[3\]"), ([-1, 2], r"\[-1\]"), ([5, 7], r"\[5, 7\]")]
)
def test_cross_entropy_rejects_out_of_range_labels_naming_them_and_c(
    labels: list[int], named: str
) -> None:
    with pytest.raises(
        ValueError, match=rf"\[0, 3\) for 3 classes; got out-of-range value\(s\) {named}"
    ):
        SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array(labels))


def test_cross_entropy_batch_size_mismatch_names_both_shapes() -> None:
    with pytest.raises(
        ValueError, match=r"logits \(2, 3\) need labels of shape \(2,\), got \(3,\)"
    ):
        SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array([0, 1, 2]))


def test_cross_entropy_rejects_column_labels() -> None:
    with pytest.raises(ValueError, match=r"labels of shape \(2,\), got \(2, 1\)"):
        SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array([[0], [1]]))


def test_cross_entropy_rejects_logits_that_are_not_2d() -> None:
    with pytest.raises(ValueError, match=r"logits of shape \(N, C\).*got \(3,\)"):
        SoftmaxCrossEntropy()(np.zeros(3), np.array([0]))
