"""Tests for nnlib.residual: y = x + block(x), its gradients, and its place in a network."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradients import assert_backward_matches_numerical, assert_backward_params_matches_backward
from nnlib.activations import ReLU, Tanh
from nnlib.layers import Dense, Sequential
from nnlib.normalization import BatchNorm1d
from nnlib.residual import Residual

FAST = settings(max_examples=20, deadline=None)
seeds = st.integers(0, 2**32 - 1)


def test_forward_by_hand() -> None:
    block = Dense(2, 2, dtype=np.float64)
    block.weight.data[...] = [[1.0, 2.0], [0.0, -1.0]]
    block.bias.data[...] = [0.5, 0.0]
    y = Residual(block)(np.array([[1.0, 1.0], [2.0, 0.0]]))
    # block: [[1.5, 1.0], [2.5, 4.0]]; plus x
    np.testing.assert_allclose(y, [[2.5, 2.0], [4.5, 4.0]], err_msg="y = x + x @ W + b")


def test_zero_block_passes_input_and_gradient_through() -> None:
    block = Dense(3, 3, dtype=np.float64)
    block.weight.data[...] = 0.0
    res = Residual(block)
    x, g = np.arange(6.0).reshape(2, 3), np.ones((2, 3))
    np.testing.assert_array_equal(
        res(x), x, err_msg="with a zero block the residual is the identity"
    )
    np.testing.assert_array_equal(res.backward(g), g, err_msg="with a zero block dL/dx = dL/dy")


@FAST
@given(n=st.integers(1, 4), width=st.integers(1, 4), seed=seeds)
def test_backward_matches_numerical_gradients(n: int, width: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    res = Residual(
        Sequential(Dense(width, width, init="xavier", rng=rng, dtype=np.float64), Tanh())
    )
    for p in res.parameters():
        p.data[...] = rng.standard_normal(p.shape)
    x, g = rng.standard_normal((n, width)), rng.standard_normal((n, width))
    assert_backward_matches_numerical(res, x, g, "Residual")


@FAST
@given(n=st.integers(4, 6), seed=seeds)
def test_deep_network_with_batchnorm_and_residuals_matches_numerical(n: int, seed: int) -> None:
    """From 4 rows: with 2, two nearly equal rows make a BatchNorm's variance ~eps, and the
    central difference (step 1e-6) of that steep a function misses by more than rtol (CI drew
    n=2, seed=77647: off by 1.8e-5)."""
    rng = np.random.default_rng(seed)

    def block() -> Sequential:
        return Sequential(
            Dense(3, 3, rng=rng, dtype=np.float64), BatchNorm1d(3, dtype=np.float64), Tanh()
        )

    net = Sequential(
        Dense(2, 3, rng=rng, dtype=np.float64),
        Residual(block()),
        Residual(block()),
        Dense(3, 1, rng=rng, dtype=np.float64),
    )
    x, g = rng.standard_normal((n, 2)), rng.standard_normal((n, 1))
    assert_backward_matches_numerical(net, x, g, "network", rtol=1e-5, atol=1e-8)


def test_backward_params_matches_backward() -> None:
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    full = Residual(Sequential(Dense(2, 2, rng=1, dtype=np.float64), ReLU()))
    params_only = Residual(Sequential(Dense(2, 2, rng=1, dtype=np.float64), ReLU()))
    assert_backward_params_matches_backward(full, params_only, x, g)


def test_names_and_modes_reach_the_block() -> None:
    bn = BatchNorm1d(2)
    res = Residual(Sequential(Dense(2, 2), bn))
    names = [name for name, _ in res.named_parameters()]
    assert names == ["block.0.weight", "block.0.bias", "block.1.weight", "block.1.bias"], (
        f"got {names}"
    )
    res.eval()
    assert not bn.training, "eval() on the Residual must reach the BatchNorm inside its block"
    res.train()
    assert bn.training, "train() on the Residual must reach the BatchNorm inside its block"


def test_shape_mismatch_names_both_shapes() -> None:
    with pytest.raises(ValueError, match=r"x has shape \(2, 3\), block\(x\) has shape \(2, 4\)"):
        Residual(Dense(3, 4))(np.ones((2, 3)))


def test_backward_before_forward_raises() -> None:
    with pytest.raises(RuntimeError, match=r"Dense\.backward was called before forward"):
        Residual(Dense(2, 2)).backward(np.ones((1, 2)))


def test_block_must_be_a_module_instance() -> None:
    with pytest.raises(TypeError, match="Module instance as block, got type"):
        Residual(ReLU)  # type: ignore[arg-type]
