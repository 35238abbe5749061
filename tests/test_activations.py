"""Tests for nnlib.activations: values, stability, derivatives and the activation modules."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.activations import (
    ReLU,
    Sigmoid,
    Tanh,
    log_softmax,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    tanh,
    tanh_derivative,
)
from nnlib.gradcheck import numerical_gradient
from nnlib.module import Array, Module

FAST = settings(max_examples=25, deadline=None)
shapes = st.tuples(st.integers(1, 4), st.integers(1, 5))
seeds = st.integers(0, 2**32 - 1)


def away_from_zero(shape: tuple[int, ...], seed: int) -> Array:
    """Standard-normal float64 values pushed at least 0.01 away from 0 (relu's kink)."""
    z = np.random.default_rng(seed).standard_normal(shape)
    return z + np.where(z >= 0, 0.01, -0.01)


def test_forward_values_by_hand() -> None:
    np.testing.assert_allclose(
        sigmoid(np.array([0.0, np.log(3.0)])), [0.5, 0.75], err_msg="sigmoid(0), sigmoid(ln 3)"
    )
    np.testing.assert_allclose(
        tanh(np.array([0.0, np.log(2.0)])), [0.0, 0.6], err_msg="tanh(0), tanh(ln 2) = 1.5/2.5"
    )
    np.testing.assert_array_equal(
        relu(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 2.0], err_msg="relu(-1, 0, 2)"
    )
    np.testing.assert_allclose(
        softmax(np.array([[0.0, np.log(3.0)]])), [[0.25, 0.75]], err_msg="softmax(0, ln 3)"
    )
    np.testing.assert_allclose(
        log_softmax(np.array([[0.0, np.log(3.0)]])),
        np.log([[0.25, 0.75]]),
        err_msg="log_softmax(0, ln 3)",
    )


def test_derivative_values_by_hand() -> None:
    np.testing.assert_allclose(
        sigmoid_derivative(np.array([0.0, np.log(3.0)])), [0.25, 0.1875], err_msg="s(1-s)"
    )
    np.testing.assert_allclose(
        tanh_derivative(np.array([0.0, np.log(2.0)])), [1.0, 0.64], err_msg="1 - tanh^2"
    )
    np.testing.assert_array_equal(
        relu_derivative(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0], err_msg="relu' is 0 at z == 0"
    )


def test_sigmoid_is_stable_and_exact_at_large_magnitudes() -> None:
    z = np.array([-1000.0, -40.0, 40.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = sigmoid(z)
        ds = sigmoid_derivative(z)
    np.testing.assert_allclose(
        s, [0.0, np.exp(-40.0), 1.0, 1.0], rtol=1e-12, err_msg="sigmoid at large |z|"
    )
    assert np.all(np.isfinite(ds)), f"expected finite derivatives, got {ds}"


def test_softmax_and_log_softmax_are_stable_for_huge_logits() -> None:
    z = np.array([[1000.0, 1000.0 + np.log(3.0)], [-1000.0, -1000.0 + np.log(3.0)]])
    with np.errstate(over="raise", invalid="raise"):
        p = softmax(z)
        logp = log_softmax(z)
    np.testing.assert_allclose(p, [[0.25, 0.75]] * 2, err_msg="softmax must be shift invariant")
    np.testing.assert_allclose(
        logp, np.log([[0.25, 0.75]] * 2), err_msg="log_softmax must be shift invariant"
    )


def test_activations_keep_float32() -> None:
    z = np.linspace(-3, 3, 7, dtype=np.float32)
    for f in (sigmoid, tanh, relu, sigmoid_derivative, tanh_derivative, relu_derivative):
        assert f(z).dtype == np.float32, f"{f.__name__} turned float32 into {f(z).dtype}"
    assert softmax(z.reshape(1, -1)).dtype == np.float32, "softmax must keep float32"


@FAST
@given(shape=shapes, seed=seeds, axis=st.sampled_from([0, 1, -1]))
def test_softmax_sums_to_one_along_axis_and_matches_log_softmax(
    shape: tuple[int, int], seed: int, axis: int
) -> None:
    z = np.random.default_rng(seed).normal(0, 5, shape)
    p = softmax(z, axis=axis)
    np.testing.assert_allclose(
        p.sum(axis=axis), 1.0, err_msg=f"softmax(axis={axis}) must sum to 1 along that axis"
    )
    np.testing.assert_allclose(
        log_softmax(z, axis=axis), np.log(p), atol=1e-12, err_msg="log_softmax = log(softmax)"
    )


@pytest.mark.parametrize(
    ("f", "df"),
    [(sigmoid, sigmoid_derivative), (tanh, tanh_derivative), (relu, relu_derivative)],
    ids=["sigmoid", "tanh", "relu"],
)
@FAST
@given(shape=shapes, seed=seeds)
def test_derivative_matches_numerical_gradient(
    f: Callable[[Array], Array], df: Callable[[Array], Array], shape: tuple[int, int], seed: int
) -> None:
    z = away_from_zero(shape, seed)
    numerical = numerical_gradient(lambda v: float(np.sum(f(v))), z)
    np.testing.assert_allclose(
        df(z), numerical, rtol=1e-6, atol=1e-9, err_msg=f"{df.__name__} vs finite differences"
    )


@pytest.mark.parametrize(
    ("cls", "f"), [(Sigmoid, sigmoid), (Tanh, tanh), (ReLU, relu)], ids=["Sigmoid", "Tanh", "ReLU"]
)
@FAST
@given(shape=shapes, seed=seeds)
def test_module_forward_and_backward(
    cls: type[Module], f: Callable[[Array], Array], shape: tuple[int, int], seed: int
) -> None:
    module = cls()
    x = away_from_zero(shape, seed)
    g = np.random.default_rng(seed + 1).standard_normal(shape)
    np.testing.assert_array_equal(
        module(x), f(x), err_msg=f"{cls.__name__}()(x) must equal {f.__name__}(x)"
    )
    grad_in = module.backward(g)
    numerical = numerical_gradient(lambda v: float(np.sum(module(v) * g)), x)
    np.testing.assert_allclose(
        grad_in, numerical, rtol=1e-6, atol=1e-9, err_msg=f"{cls.__name__}.backward vs numerical"
    )


@pytest.mark.parametrize("cls", [Sigmoid, Tanh, ReLU])
def test_module_backward_before_forward_names_the_module(cls: type[Module]) -> None:
    with pytest.raises(RuntimeError, match=f"{cls.__name__}.backward was called before forward"):
        cls().backward(np.ones((2, 3)))


@pytest.mark.parametrize("cls", [Sigmoid, Tanh, ReLU])
def test_module_backward_rejects_a_gradient_of_the_wrong_shape(cls: type[Module]) -> None:
    module = cls()
    module(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*got \(2, 1\)"):
        module.backward(np.ones((2, 1)))


def test_activation_modules_have_no_parameters() -> None:
    for module in (Sigmoid(), Tanh(), ReLU()):
        assert module.parameters() == [], (
            f"{module!r} should have no parameters, got {module.parameters()}"
        )
