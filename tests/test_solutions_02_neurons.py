"""The master solutions of chapter 2 (solutions/02_neurons.md) behave like the reference nnlib."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from masters import solution_namespace
from nnlib import activations
from nnlib.activations import Sigmoid
from nnlib.layers import Dense, Sequential

SHAPES = [(), (1,), (7,), (4, 5), (2, 3, 4)]
DTYPES = [np.float32, np.float64]
ELEMENTWISE = ["sigmoid", "relu", "sigmoid_derivative", "relu_derivative"]


@pytest.fixture(scope="module")
def ns() -> dict[str, Any]:
    return solution_namespace("02_neurons")


def _z(shape: tuple[int, ...], dtype: type, seed: int) -> np.ndarray:
    """Random pre-activations with a few exact zeros and extremes mixed in."""
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=4.0, size=shape)
    special = np.array([0.0, -1000.0, 1000.0, -50.0, 50.0])
    flat = z.reshape(-1)
    flat[: min(flat.size, special.size)] = special[: flat.size]
    return z.astype(dtype)


def _tol(dtype: type) -> float:
    return 1e-6 if dtype == np.float32 else 1e-12


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_elementwise_functions_match_nnlib(
    ns: dict[str, Any], name: str, shape: tuple[int, ...], dtype: type
) -> None:
    z = _z(shape, dtype, seed=len(shape))
    with np.errstate(over="raise", invalid="raise"):
        mine = ns[name](z)
        reference = getattr(activations, name)(z)
    assert np.shape(mine) == np.shape(reference) == shape
    assert np.asarray(mine).dtype == np.asarray(reference).dtype
    np.testing.assert_allclose(mine, reference, rtol=_tol(dtype), atol=_tol(dtype))


@pytest.mark.parametrize(
    ("shape", "axis"), [((5,), -1), ((4, 6), -1), ((4, 6), 0), ((2, 3, 4), 1), ((2, 3, 4), -1)]
)
@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_matches_nnlib(
    ns: dict[str, Any], shape: tuple[int, ...], axis: int, dtype: type
) -> None:
    z = _z(shape, dtype, seed=axis + 7)
    with np.errstate(over="raise", invalid="raise"):
        mine, reference = ns["softmax"](z, axis=axis), activations.softmax(z, axis=axis)
    assert mine.dtype == reference.dtype
    np.testing.assert_allclose(mine, reference, rtol=_tol(dtype), atol=_tol(dtype))


@pytest.mark.parametrize(("n", "d"), [(1, 1), (6, 3), (50, 10)])
def test_neuron_matches_a_one_unit_nnlib_network(ns: dict[str, Any], n: int, d: int) -> None:
    rng = np.random.default_rng(n + d)
    x, w, b = rng.normal(size=(n, d)), rng.normal(size=d), float(rng.normal())
    model = Sequential(Dense(d, 1, dtype=np.float64), Sigmoid())
    model[0].weight.data[:, 0] = w
    model[0].bias.data[:] = b
    probabilities = model(x)[:, 0]
    np.testing.assert_allclose(ns["neuron_forward"](x, w, b), probabilities, rtol=1e-12)
    np.testing.assert_array_equal(ns["neuron_predict"](x, w, b), (probabilities >= 0.5).astype(int))
