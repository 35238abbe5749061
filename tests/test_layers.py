"""Tests for nnlib.layers: Dense and Sequential, forward by hand, backward against finite
differences."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradients import assert_backward_matches_numerical, assert_backward_params_matches_backward
from nnlib.activations import ReLU, Sigmoid, Tanh
from nnlib.init import get_initializer, xavier_uniform
from nnlib.layers import Dense, Sequential
from nnlib.module import Array

FAST = settings(max_examples=25, deadline=None)
sizes = st.integers(1, 4)
seeds = st.integers(0, 2**32 - 1)


def known_dense() -> Dense:
    """Dense(3, 2) with W = [[1, 2], [3, 4], [5, 6]] and b = [0.5, -0.5], in float64."""
    layer = Dense(3, 2, dtype=np.float64)
    layer.weight.data[...] = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    layer.bias.data[...] = [0.5, -0.5]
    return layer


def test_dense_parameters_shapes_and_defaults() -> None:
    layer = Dense(3, 5, rng=0)
    assert layer.weight.shape == (3, 5), (
        f"expected weight (in, out) = (3, 5), got {layer.weight.shape}"
    )
    assert layer.bias.shape == (5,), f"expected bias (5,), got {layer.bias.shape}"
    assert not layer.bias.data.any(), f"expected a zero bias, got {layer.bias.data}"
    assert layer.weight.data.dtype == np.float32, (
        f"expected float32 by default, got {layer.weight.data.dtype}"
    )
    assert [n for n, _ in layer.named_parameters()] == ["weight", "bias"], (
        "parameters are named weight, bias"
    )


def test_dense_uses_the_named_initializer_with_the_given_rng() -> None:
    layer = Dense(3, 4, init="xavier", rng=7)
    np.testing.assert_array_equal(
        layer.weight.data,
        xavier_uniform(3, 4, 7),
        err_msg="init='xavier', rng=7 must equal xavier_uniform(3, 4, 7)",
    )
    custom = Dense(
        2, 3, init=lambda fan_in, fan_out, rng, dtype: np.full((fan_in, fan_out), 0.5, dtype)
    )
    np.testing.assert_array_equal(
        custom.weight.data, np.full((2, 3), 0.5), err_msg="a callable init is used as given"
    )


@pytest.mark.parametrize("init", ["he", "he_uniform", "xavier", "xavier_normal", "normal"])
def test_a_float64_dense_draws_its_weights_in_float64(init: str) -> None:
    layer = Dense(20, 30, init=init, rng=3, dtype=np.float64)
    expected = get_initializer(init)(20, 30, 3, dtype=np.float64)
    np.testing.assert_array_equal(
        layer.weight.data, expected, err_msg=f"init={init!r} must be drawn in float64"
    )
    rounded = layer.weight.data.astype(np.float32).astype(np.float64)
    assert not np.array_equal(layer.weight.data, rounded), (
        f"init={init!r}: the weights were rounded to float32"
    )


def test_dense_forward_by_hand() -> None:
    y = known_dense()(np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 0.0]]))
    np.testing.assert_allclose(
        y, [[-3.5, -4.5], [3.5, 3.5]], err_msg="y = x @ W + b, with [1,0,-1] @ W = [-4, -4]"
    )


def test_dense_keeps_its_dtype_for_float64_input() -> None:
    y = Dense(3, 2, rng=0)(np.ones((4, 3), dtype=np.float64))
    assert y.dtype == np.float32, (
        f"a float32 layer must not upcast: expected float32 output, got {y.dtype}"
    )


@FAST
@given(n=sizes, d_in=sizes, d_out=sizes, seed=seeds)
def test_dense_backward_matches_numerical_gradients(
    n: int, d_in: int, d_out: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    layer = Dense(d_in, d_out, init="xavier", rng=rng, dtype=np.float64)
    layer.bias.data[...] = rng.standard_normal(d_out)
    x, g = rng.standard_normal((n, d_in)), rng.standard_normal((n, d_out))
    assert_backward_matches_numerical(layer, x, g, "Dense")


def test_dense_backward_accumulates_and_zero_grad_resets() -> None:
    layer = known_dense()
    x, g = np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, -1.0]])
    layer(x)
    layer.backward(g)
    once = (layer.weight.grad.copy(), layer.bias.grad.copy())
    layer.backward(g)
    np.testing.assert_allclose(
        layer.weight.grad, 2 * once[0], err_msg="a second backward must double dL/dW"
    )
    np.testing.assert_allclose(
        layer.bias.grad, 2 * once[1], err_msg="a second backward must double dL/db"
    )
    layer.zero_grad()
    assert not layer.weight.grad.any() and not layer.bias.grad.any(), (
        "zero_grad must reset both gradients"
    )


def test_dense_backward_params_accumulates_the_same_gradients_and_returns_nothing() -> None:
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    assert_backward_params_matches_backward(known_dense(), known_dense(), x, g)


@pytest.mark.parametrize("shape", [(4,), (2, 5), (2, 3, 1)])
def test_dense_forward_rejects_bad_shapes_naming_expected_and_actual(
    shape: tuple[int, ...],
) -> None:
    message = f"Dense(3, 2, init='he') expects input of shape (batch, 3), got {shape}"
    with pytest.raises(ValueError, match=re.escape(message)):
        known_dense()(np.ones(shape))


def test_dense_backward_before_forward_names_the_module() -> None:
    with pytest.raises(RuntimeError, match=r"Dense\.backward was called before forward"):
        known_dense().backward(np.ones((1, 2)))


def test_dense_backward_rejects_a_gradient_of_the_wrong_shape() -> None:
    layer = known_dense()
    layer(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"expected grad_out of shape \(4, 2\).*got \(4, 3\)"):
        layer.backward(np.ones((4, 3)))


@pytest.mark.parametrize(("d_in", "d_out"), [(0, 2), (2, 0)])
def test_dense_rejects_non_positive_sizes(d_in: int, d_out: int) -> None:
    with pytest.raises(ValueError, match=f"in_features={d_in}, out_features={d_out}"):
        Dense(d_in, d_out)


def test_dense_rejects_an_initializer_returning_the_wrong_shape() -> None:
    with pytest.raises(ValueError, match=r"returned shape \(3, 2\), expected \(2, 3\)"):
        Dense(2, 3, init=lambda fan_in, fan_out, rng, dtype: np.zeros((fan_out, fan_in)))


def test_sequential_forward_is_the_composition() -> None:
    first, second = known_dense(), Dense(2, 1, dtype=np.float64)
    second.weight.data[...] = [[1.0], [-1.0]]
    net = Sequential(first, ReLU(), second)
    x = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
    # first: [[-3.5, -4.5], [3.5, 3.5]] -> relu: [[0, 0], [3.5, 3.5]] -> [1, -1] weights: [[0], [0]]
    np.testing.assert_allclose(
        net(x), [[0.0], [0.0]], err_msg="Sequential(Dense, ReLU, Dense) by hand"
    )
    second.weight.data[...] = [[2.0], [1.0]]
    np.testing.assert_allclose(
        net(x), [[0.0], [10.5]], err_msg="Sequential(Dense, ReLU, Dense) by hand"
    )


def test_sequential_container_protocol_and_names() -> None:
    layers = [Dense(3, 4, rng=0), ReLU(), Dense(4, 2, rng=1)]
    net = Sequential(*layers)
    assert len(net) == 3 and list(net) == layers, (
        f"expected len 3 and the modules in order, got {list(net)}"
    )
    assert net[2] is layers[2], "net[2] must be the third module itself"
    tail = net[1:]
    assert isinstance(tail, Sequential) and list(tail) == layers[1:], (
        f"net[1:] must be a Sequential, got {tail!r}"
    )
    names = [name for name, _ in net.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias"], (
        f"expected dotted positional names, got {names}"
    )


def test_sequential_train_eval_propagate() -> None:
    inner_dense = Dense(2, 1)
    inner = Sequential(ReLU(), inner_dense)
    net = Sequential(Dense(2, 2), inner)
    net.eval()
    modes = [net.training, net[0].training, inner.training, inner_dense.training]
    assert modes == [False] * 4, f"expected eval mode everywhere, got {modes}"
    net.train()
    modes = [net.training, net[0].training, inner.training, inner_dense.training]
    assert modes == [True] * 4, f"expected training mode everywhere, got {modes}"


@FAST
@given(n=sizes, d_in=sizes, hidden=sizes, d_out=sizes, seed=seeds)
def test_sequential_network_backward_matches_numerical_gradients(
    n: int, d_in: int, hidden: int, d_out: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    net = Sequential(
        Dense(d_in, hidden, init="xavier", rng=rng, dtype=np.float64),
        Tanh(),
        Dense(hidden, d_out, init="xavier", rng=rng, dtype=np.float64),
        Sigmoid(),
    )
    for p in net.parameters():
        p.data[...] = rng.standard_normal(p.shape)
    x, g = rng.standard_normal((n, d_in)), rng.standard_normal((n, d_out))
    assert_backward_matches_numerical(net, x, g, "Sequential")


class NoInputGrad(Dense):
    """A Dense whose backward must not be called: proves Sequential skips the first layer's
    dL/dx."""

    def backward(self, grad_out: Array) -> Array:
        raise AssertionError("Sequential.backward_params called backward on its first module")


def test_sequential_backward_params_skips_the_first_input_gradient() -> None:
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    reference = Sequential(
        Dense(3, 4, rng=1, dtype=np.float64), ReLU(), Dense(4, 2, rng=2, dtype=np.float64)
    )
    skipping = Sequential(
        NoInputGrad(3, 4, rng=1, dtype=np.float64), ReLU(), Dense(4, 2, rng=2, dtype=np.float64)
    )
    assert_backward_params_matches_backward(reference, skipping, x, g)


def test_sequential_rejects_no_modules() -> None:
    with pytest.raises(ValueError, match="at least one module"):
        Sequential()


def test_sequential_rejects_a_class_instead_of_an_instance() -> None:
    with pytest.raises(TypeError, match=r"argument 1 .* type type, not a Module instance"):
        Sequential(Dense(2, 2), ReLU)  # type: ignore[arg-type]
