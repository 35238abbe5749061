"""Tests for nnlib.dropout: PyTorch's inverted dropout, identity in eval, the same mask in
backward."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.activations import Tanh
from nnlib.dropout import Dropout
from nnlib.gradcheck import check_gradients
from nnlib.layers import Dense, Sequential
from nnlib.losses import SoftmaxCrossEntropy
from nnlib.module import Array


class FixedMaskDropout(Dropout):
    """Dropout that draws the same mask at every forward pass, so finite differences see one
    function."""

    def forward(self, x: Array) -> Array:
        self.rng = np.random.default_rng(7)
        return super().forward(x)


def test_training_zeroes_entries_and_scales_the_rest_by_one_over_keep() -> None:
    x = np.full((200, 50), 2.0, dtype=np.float32)
    y = Dropout(p=0.25, rng=0)(x)
    assert y.dtype == np.float32 and y.shape == x.shape
    values = np.unique(y)
    np.testing.assert_allclose(
        values, [0.0, 2.0 / 0.75], err_msg="entries must be 0 or x / (1 - p) = 2.6667"
    )
    dropped = np.mean(y == 0)
    assert abs(dropped - 0.25) < 0.02, f"about p = 25% of entries must be zeroed, got {dropped:.1%}"
    assert abs(y.mean() - 2.0) < 0.05, (
        f"inverted dropout keeps the mean of x (2.0), got {y.mean():.3f}"
    )


def test_eval_is_the_identity_forward_and_backward() -> None:
    drop = Dropout(p=0.5, rng=0).eval()
    x = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(
        drop(x), x, err_msg="Dropout in eval mode must return x unchanged"
    )
    g = np.ones_like(x)
    np.testing.assert_array_equal(
        drop.backward(g), g, err_msg="Dropout in eval mode must pass dL/dy through"
    )


def test_backward_uses_the_mask_of_the_forward_pass() -> None:
    drop = Dropout(p=0.5, rng=3)
    x = np.ones((4, 6))
    y = drop(x)
    grad = drop.backward(np.full_like(x, 3.0))
    np.testing.assert_array_equal(
        grad, 3.0 * y, err_msg="dL/dx = dL/dy * mask / (1 - p), with the forward's mask"
    )


def test_seeded_masks_repeat_and_successive_masks_differ() -> None:
    x = np.ones((8, 8))
    first, second = Dropout(0.5, rng=1), Dropout(0.5, rng=1)
    np.testing.assert_array_equal(
        first(x), second(x), err_msg="the same seed must give the same mask"
    )
    assert not np.array_equal(first(x), second.eval()(x)), "eval must not drop"
    assert not np.array_equal(first(x), first(x)), "each training forward draws a new mask"


def test_p_zero_and_p_one() -> None:
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(Dropout(0.0)(x), x, err_msg="p = 0 keeps every entry")
    np.testing.assert_array_equal(
        Dropout(1.0)(x), np.zeros_like(x), err_msg="p = 1 zeroes every entry (as PyTorch)"
    )


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_rejects_a_probability_outside_0_1(p: float) -> None:
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\], got"):
        Dropout(p)


def test_backward_before_forward_and_wrong_shape_are_errors() -> None:
    drop = Dropout(0.5)
    with pytest.raises(RuntimeError, match="Dropout.backward was called before forward"):
        drop.backward(np.ones((2, 2)))
    drop(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"expected grad_out of shape \(2, 2\)"):
        drop.backward(np.ones((2, 3)))


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_gradient_check_in_a_network(mode: str) -> None:
    rng = np.random.default_rng(0)
    net = Sequential(Dense(5, 8, rng=rng), Tanh(), FixedMaskDropout(0.4), Dense(8, 3, rng=rng))
    net.train(mode == "train")
    x, y = rng.standard_normal((6, 5)), rng.integers(0, 3, size=6)
    report = check_gradients(net, SoftmaxCrossEntropy(), x, y)
    assert report.passed, (
        f"Dropout's backward disagrees with finite differences ({mode} mode):\n{report}"
    )
    dropped_something = not np.allclose(net(x), net.eval()(x))
    assert dropped_something == (mode == "train"), (
        "the check must run with a real mask in train mode only"
    )
