"""Tests for nnlib.normalization: BatchNorm1d in training and evaluation mode."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradients import assert_backward_matches_numerical
from nnlib.normalization import BatchNorm1d

FAST = settings(max_examples=25, deadline=None)
seeds = st.integers(0, 2**32 - 1)


def random_bn(features: int, rng: np.random.Generator) -> BatchNorm1d:
    """A float64 BatchNorm1d with random gamma, beta and running statistics."""
    bn = BatchNorm1d(features, dtype=np.float64)
    bn.weight.data[...] = rng.normal(1.0, 0.5, features)
    bn.bias.data[...] = rng.standard_normal(features)
    bn.running_mean[...] = rng.standard_normal(features)
    bn.running_var[...] = rng.uniform(0.5, 2.0, features)
    return bn


def test_parameters_and_initial_statistics() -> None:
    bn = BatchNorm1d(3)
    names = [name for name, _ in bn.named_parameters()]
    assert names == ["weight", "bias"], (
        f"expected parameters weight (gamma), bias (beta), got {names}"
    )
    np.testing.assert_array_equal(bn.weight.data, np.ones(3), err_msg="gamma starts at ones")
    np.testing.assert_array_equal(bn.bias.data, np.zeros(3), err_msg="beta starts at zeros")
    np.testing.assert_array_equal(
        bn.running_mean, np.zeros(3), err_msg="running_mean starts at zeros"
    )
    np.testing.assert_array_equal(bn.running_var, np.ones(3), err_msg="running_var starts at ones")


def test_train_forward_and_running_statistics_by_hand() -> None:
    bn = BatchNorm1d(2, momentum=0.1, eps=1e-12, dtype=np.float64)
    bn.weight.data[...] = [2.0, 1.0]
    bn.bias.data[...] = [0.0, 1.0]
    y = bn(np.array([[1.0, 2.0], [3.0, 6.0]]))
    # mean [2, 4], biased var [1, 4] -> x_hat [[-1, -1], [1, 1]]
    np.testing.assert_allclose(
        y, [[-2.0, 0.0], [2.0, 2.0]], atol=1e-9, err_msg="y = gamma * x_hat + beta"
    )
    # unbiased var [2, 8]
    np.testing.assert_allclose(bn.running_mean, [0.2, 0.4], err_msg="0.9 * 0 + 0.1 * mean")
    np.testing.assert_allclose(bn.running_var, [1.1, 1.7], err_msg="0.9 * 1 + 0.1 * unbiased var")
    bn(np.array([[0.0, 0.0], [0.0, 2.0], [3.0, 1.0]]))
    # mean [1, 1], unbiased var [3, 1]
    np.testing.assert_allclose(
        bn.running_mean, [0.28, 0.46], err_msg="0.9 * [0.2, 0.4] + 0.1 * [1, 1]"
    )
    np.testing.assert_allclose(
        bn.running_var, [1.29, 1.63], err_msg="0.9 * [1.1, 1.7] + 0.1 * [3, 1]"
    )


@FAST
@given(n=st.integers(2, 6), c=st.integers(1, 4), momentum=st.floats(0.0, 1.0), seed=seeds)
def test_running_statistics_follow_the_formula(n: int, c: int, momentum: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    bn = random_bn(c, rng)
    bn.momentum = momentum
    old_mean, old_var = bn.running_mean.copy(), bn.running_var.copy()
    x = rng.normal(3.0, 2.0, (n, c))
    y = bn(x)
    np.testing.assert_allclose(
        bn.running_mean,
        (1 - momentum) * old_mean + momentum * x.mean(axis=0),
        err_msg="running_mean update",
    )
    np.testing.assert_allclose(
        bn.running_var,
        (1 - momentum) * old_var + momentum * x.var(axis=0, ddof=1),
        err_msg="running_var update",
    )
    x_hat = (y - bn.bias.data) / bn.weight.data
    np.testing.assert_allclose(
        x_hat.mean(axis=0), 0.0, atol=1e-9, err_msg="training output: x_hat has mean 0"
    )


def test_eval_forward_uses_running_statistics_and_leaves_them_alone() -> None:
    bn = BatchNorm1d(2, eps=1e-12, dtype=np.float64)
    bn.running_mean[...] = [1.0, -1.0]
    bn.running_var[...] = [4.0, 0.25]
    bn.bias.data[...] = [0.5, 0.0]
    bn.eval()
    y = bn(np.array([[3.0, -1.0]]))
    np.testing.assert_allclose(
        y, [[1.5, 0.0]], err_msg="(x - running_mean) / sqrt(running_var) + beta"
    )
    np.testing.assert_array_equal(
        bn.running_mean, [1.0, -1.0], err_msg="eval must not update running_mean"
    )
    np.testing.assert_array_equal(
        bn.running_var, [4.0, 0.25], err_msg="eval must not update running_var"
    )


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@FAST
@given(n=st.integers(2, 5), c=st.integers(1, 4), seed=seeds)
def test_backward_matches_numerical_gradients(training: bool, n: int, c: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    bn = random_bn(c, rng).train(training)
    x, g = rng.normal(1.0, 2.0, (n, c)), rng.standard_normal((n, c))
    mode = "train" if training else "eval"
    assert_backward_matches_numerical(bn, x, g, f"BatchNorm1d ({mode})", rtol=1e-5, atol=1e-8)


def test_backward_uses_the_mode_of_the_forward_pass() -> None:
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    reference, switched = (
        random_bn(2, np.random.default_rng(1)),
        random_bn(2, np.random.default_rng(1)),
    )
    reference(x)
    switched(x)
    switched.eval()
    np.testing.assert_allclose(
        switched.backward(g),
        reference.backward(g),
        err_msg="eval() between forward and backward changed dL/dx",
    )


def test_backward_accumulates() -> None:
    bn = random_bn(3, np.random.default_rng(0))
    x, g = np.random.default_rng(1).standard_normal((4, 3)), np.ones((4, 3))
    bn(x)
    bn.backward(g)
    once = bn.weight.grad.copy()
    bn.backward(g)
    np.testing.assert_allclose(
        bn.weight.grad, 2 * once, err_msg="a second backward must double dL/dgamma"
    )


def test_float32_stays_float32() -> None:
    bn = BatchNorm1d(3)
    y = bn(np.random.default_rng(0).standard_normal((4, 3)))
    assert y.dtype == np.float32, f"expected float32 output, got {y.dtype}"
    assert bn.backward(np.ones((4, 3))).dtype == np.float32, "expected a float32 input gradient"
    assert bn.running_var.dtype == np.float32, (
        f"running_var must stay float32, got {bn.running_var.dtype}"
    )


def test_batch_of_one_in_training_mode_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"at least 2 rows.*got input of shape \(1, 3\)"):
        BatchNorm1d(3)(np.ones((1, 3)))
    y = BatchNorm1d(3).eval()(np.ones((1, 3)))
    assert y.shape == (1, 3), (
        f"a batch of one works in eval mode; expected shape (1, 3), got {y.shape}"
    )


@pytest.mark.parametrize("shape", [(4, 2), (4,), (2, 3, 1)])
def test_wrong_input_shape_names_expected_and_actual(shape: tuple[int, ...]) -> None:
    message = f"BatchNorm1d(3) expects input of shape (batch, 3), got {shape}"
    with pytest.raises(ValueError, match=re.escape(message)):
        BatchNorm1d(3)(np.ones(shape))


def test_backward_before_forward_names_the_module() -> None:
    with pytest.raises(RuntimeError, match=r"BatchNorm1d\.backward was called before forward"):
        BatchNorm1d(3).backward(np.ones((2, 3)))


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"momentum": 1.5}, "momentum must be in"), ({"eps": 0.0}, "eps")]
)
def test_bad_hyperparameters_are_named(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BatchNorm1d(3, **kwargs)
