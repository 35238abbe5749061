"""The master of chapter 5 (solutions/05_deep_networks.md) behaves exactly like the reference
nnlib."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib.init
from masters import solution_namespace
from nnlib.activations import ReLU
from nnlib.gradcheck import numerical_gradient
from nnlib.layers import Dense, Sequential
from nnlib.module import Parameter
from nnlib.normalization import BatchNorm1d
from nnlib.optim import Adam
from nnlib.residual import Residual

FLOATS = [np.float32, np.float64]
TOLERANCE = {np.float32: 1e-5, np.float64: 1e-10}


@pytest.fixture(scope="module")
def ns() -> dict[str, Any]:
    """The names the master's (non-test) code cells define."""
    return solution_namespace("05_deep_networks")


def _bound(W: np.ndarray) -> float:
    return float(np.abs(W).max())


@pytest.mark.parametrize("name", ["xavier_uniform", "he_normal"])
@pytest.mark.parametrize("fan_in, fan_out", [(784, 256), (64, 512), (300, 300)])
def test_initialisers_match_nnlib_statistically(
    ns: dict[str, Any], name: str, fan_in: int, fan_out: int
) -> None:
    mine: Callable[..., np.ndarray] = ns[name]
    theirs: Callable[..., np.ndarray] = getattr(nnlib.init, name)
    W, R = mine(fan_in, fan_out, rng=1), theirs(fan_in, fan_out, rng=2)
    assert W.shape == R.shape == (fan_in, fan_out)
    assert W.dtype == R.dtype == np.float32
    assert W.std() == pytest.approx(R.std(), rel=0.03)
    assert abs(W.mean()) < 5 * R.std() / np.sqrt(W.size)
    if name == "xavier_uniform":
        a = np.sqrt(6 / (fan_in + fan_out))
        assert _bound(W) <= a and _bound(R) <= a
        assert _bound(W) == pytest.approx(_bound(R), rel=0.01)
    else:
        tails = [np.mean(np.abs(A) > 2 * np.sqrt(2 / fan_in)) for A in (W, R)]
        assert tails[0] == pytest.approx(tails[1], abs=0.01)


@pytest.mark.parametrize("name", ["xavier_uniform", "he_normal"])
def test_initialisers_take_the_same_arguments_as_nnlib(ns: dict[str, Any], name: str) -> None:
    mine, theirs = ns[name], getattr(nnlib.init, name)
    for rng in (3, np.random.default_rng(3)):
        assert (
            mine(5, 7, rng=rng, dtype=np.float64).dtype
            == theirs(5, 7, rng=rng, dtype=np.float64).dtype
        )
    np.testing.assert_array_equal(mine(5, 7, rng=4), mine(5, 7, rng=4))
    assert mine(5, 7).shape == theirs(5, 7).shape == (5, 7)


def _reference_batchnorm(
    gamma: np.ndarray,
    beta: np.ndarray,
    momentum: float,
    eps: float,
    running: tuple[np.ndarray, np.ndarray] | None = None,
) -> BatchNorm1d:
    layer = BatchNorm1d(gamma.size, momentum=momentum, eps=eps, dtype=gamma.dtype)
    layer.weight.data[...] = gamma
    layer.bias.data[...] = beta
    if running is not None:
        layer.running_mean[...], layer.running_var[...] = running
    return layer


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(2, 12),
    d=st.integers(1, 5),
    momentum=st.sampled_from([0.0, 0.1, 0.5, 1.0]),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from(FLOATS),
)
def test_batchnorm_forward_matches_nnlib(
    ns: dict[str, Any], n: int, d: int, momentum: float, seed: int, dtype: type
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(loc=2.0, scale=rng.uniform(0.1, 3.0, size=d), size=(n, d)).astype(dtype)
    gamma, beta = rng.uniform(0.5, 2.0, size=d).astype(dtype), rng.normal(size=d).astype(dtype)
    running = (rng.normal(size=d).astype(dtype), rng.uniform(0.5, 2.0, size=d).astype(dtype))
    y, new_mean, new_var = ns["batchnorm_forward"](
        x, gamma, beta, *running, momentum=momentum, eps=1e-3
    )
    layer = _reference_batchnorm(gamma, beta, momentum, 1e-3, running)
    tol = 100 * TOLERANCE[dtype]
    np.testing.assert_allclose(y, layer(x), rtol=tol, atol=tol)
    np.testing.assert_allclose(new_mean, layer.running_mean, rtol=tol, atol=tol)
    np.testing.assert_allclose(new_var, layer.running_var, rtol=tol, atol=tol)


def test_batchnorm_forward_rejects_a_single_row_like_nnlib(ns: dict[str, Any]) -> None:
    x = np.ones((1, 3))
    with pytest.raises(ValueError, match=r"\(1, 3\)"):
        BatchNorm1d(3)(x)
    with pytest.raises(ValueError, match=r"\(1, 3\)"):
        ns["batchnorm_forward"](x, np.ones(3), np.zeros(3), np.zeros(3), np.ones(3))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 12), d=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_batchnorm_backward_matches_nnlib(ns: dict[str, Any], n: int, d: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(loc=-1.0, scale=rng.uniform(0.2, 3.0, size=d), size=(n, d))
    gamma = rng.uniform(0.5, 2.0, size=d)
    grad_out = rng.normal(size=(n, d))
    dx, dgamma, dbeta = ns["batchnorm_backward"](grad_out, x, gamma, eps=1e-3)
    layer = _reference_batchnorm(gamma, np.zeros(d), 0.1, 1e-3)
    layer(x)
    np.testing.assert_allclose(dx, layer.backward(grad_out), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(dgamma, layer.weight.grad, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dbeta, layer.bias.grad, rtol=1e-10, atol=1e-12)


def test_batchnorm_backward_matches_finite_differences(ns: dict[str, Any]) -> None:
    rng = np.random.default_rng(5)
    x, gamma, grad_out = (
        rng.normal(size=(6, 3)),
        rng.uniform(0.5, 2.0, size=3),
        rng.normal(size=(6, 3)),
    )

    def loss(v: np.ndarray) -> float:
        return float(
            np.sum(
                grad_out
                * ns["batchnorm_forward"](v, gamma, np.zeros(3), np.zeros(3), np.ones(3))[0]
            )
        )

    dx, _, _ = ns["batchnorm_backward"](grad_out, x, gamma)
    np.testing.assert_allclose(dx, numerical_gradient(loss, x.copy()), rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("n, d", [(1, 1), (4, 3), (8, 6)])
def test_residual_matches_nnlib(ns: dict[str, Any], n: int, d: int) -> None:
    def block() -> Sequential:
        return Sequential(
            Dense(d, 5, rng=1, dtype=np.float64), ReLU(), Dense(5, d, rng=2, dtype=np.float64)
        )

    mine, theirs = ns["Residual"](block()), Residual(block())
    rng = np.random.default_rng(n)
    x, grad_out = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    np.testing.assert_allclose(mine(x), theirs(x), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        mine.backward(grad_out), theirs.backward(grad_out), rtol=1e-12, atol=1e-12
    )
    assert [name for name, _ in mine.named_parameters()] == [
        name for name, _ in theirs.named_parameters()
    ]
    for p, q in zip(mine.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad, q.grad, rtol=1e-12, atol=1e-12)


def test_residual_rejects_a_shape_changing_block_like_nnlib(ns: dict[str, Any]) -> None:
    x = np.ones((2, 3))
    for residual in (ns["Residual"], Residual):
        with pytest.raises(ValueError) as error:
            residual(Dense(3, 1, rng=0, dtype=np.float64))(x)
        assert "(2, 3)" in str(error.value) and "(2, 1)" in str(error.value), str(error.value)


@pytest.mark.parametrize("betas", [(0.9, 0.999), (0.8, 0.99), (0.0, 0.5)])
@pytest.mark.parametrize("scale", [1e-4, 1.0, 10.0])
@pytest.mark.parametrize("dtype", FLOATS)
def test_adam_step_matches_nnlib_adam(
    ns: dict[str, Any], betas: tuple[float, float], scale: float, dtype: type
) -> None:
    rng = np.random.default_rng(int(scale * 1e4) % 1000)
    shapes = [(3, 2), (4,)]
    start = [rng.normal(size=shape).astype(dtype) for shape in shapes]
    mine = [Parameter(a.copy()) for a in start]
    theirs = [Parameter(a.copy()) for a in start]
    m = [np.zeros(shape, dtype=dtype) for shape in shapes]
    v = [np.zeros(shape, dtype=dtype) for shape in shapes]
    reference = Adam(theirs, lr=0.01, betas=betas, eps=1e-8)
    for t in range(1, 7):
        for p, q in zip(mine, theirs):
            p.grad[...] = q.grad[...] = scale * rng.normal(size=p.shape)
        ns["adam_step"](mine, m, v, t, lr=0.01, betas=betas, eps=1e-8)
        reference.step()
        for p, q in zip(mine, theirs):
            assert p.data.dtype == q.data.dtype
            np.testing.assert_allclose(p.data, q.data, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])
