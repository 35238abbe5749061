"""The master solutions of chapter 3 (solutions/03_network_structure.md) behave like the reference
nnlib."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from masters import solution_namespace
from nnlib.activations import ReLU, Sigmoid, Tanh
from nnlib.layers import Dense, Sequential
from nnlib.training import predict

SIZES = [[1, 1], [2, 3, 1], [5, 8, 8, 3], [784, 128, 10]]


@pytest.fixture(scope="module")
def ns() -> dict[str, Any]:
    return solution_namespace("03_network_structure")


def _network(sizes: list[int], seed: int, dtype: type = np.float32) -> Sequential:
    """Dense layers of the given sizes with tanh between them and random biases."""
    rng = np.random.default_rng(seed)
    modules: list[Any] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layer = Dense(n_in, n_out, init="xavier", rng=rng, dtype=dtype)
        layer.bias.data[:] = rng.normal(size=n_out)
        modules += [layer, Tanh()]
    return Sequential(*modules[:-1])


@pytest.mark.parametrize(("n", "n_in", "n_out"), [(1, 1, 1), (5, 3, 7), (16, 10, 4)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dense_forward_matches_dense(
    ns: dict[str, Any], n: int, n_in: int, n_out: int, dtype: type
) -> None:
    layer = _network([n_in, n_out], seed=n, dtype=dtype)[0]
    x = np.random.default_rng(n_in).normal(size=(n, n_in)).astype(dtype)
    mine = ns["dense_forward"](x, layer.weight.data, layer.bias.data)
    assert mine.dtype == dtype
    np.testing.assert_allclose(
        mine, layer(x), rtol=1e-6 if dtype == np.float32 else 1e-12, atol=1e-6
    )


def test_dense_forward_rejects_the_inputs_dense_rejects(ns: dict[str, Any]) -> None:
    layer = Dense(3, 5)
    for x in (np.ones((4, 5)), np.ones(3)):
        with pytest.raises(ValueError, match=str(x.shape).replace("(", r"\(").replace(")", r"\)")):
            layer(x)
        with pytest.raises(ValueError, match=str(x.shape).replace("(", r"\(").replace(")", r"\)")):
            ns["dense_forward"](x, layer.weight.data, layer.bias.data)


@pytest.mark.parametrize("sizes", SIZES)
def test_sequential_forward_matches_sequential(ns: dict[str, Any], sizes: list[int]) -> None:
    model = _network(sizes, seed=len(sizes))
    x = np.random.default_rng(0).normal(size=(9, sizes[0])).astype(np.float32)
    np.testing.assert_array_equal(ns["sequential_forward"](x, list(model)), model(x))


@pytest.mark.parametrize("sizes", SIZES)
def test_count_parameters_matches_nnlib(ns: dict[str, Any], sizes: list[int]) -> None:
    assert ns["count_parameters"](sizes) == sum(
        p.data.size for p in _network(sizes, seed=0).parameters()
    )


@pytest.mark.parametrize("sizes", SIZES)
@pytest.mark.parametrize("batch_size", [1, 6])
def test_forward_shapes_match_a_real_forward_pass(
    ns: dict[str, Any], sizes: list[int], batch_size: int
) -> None:
    a = np.zeros((batch_size, sizes[0]), dtype=np.float32)
    shapes = [a.shape]
    for module in _network(sizes, seed=0):
        if isinstance(module, Dense):
            a = module(a)
            shapes.append(a.shape)
    assert ns["forward_shapes"](batch_size, sizes) == shapes


def test_xor_weights_make_an_nnlib_network_compute_xor(ns: dict[str, Any]) -> None:
    model = Sequential(
        Dense(2, 2, dtype=np.float64), ReLU(), Dense(2, 1, dtype=np.float64), Sigmoid()
    )
    for parameter, value in zip(model.parameters(), ns["xor_weights"](), strict=True):
        assert parameter.data.shape == np.shape(value)
        parameter.data[...] = value
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    jitter = np.random.default_rng(0).uniform(-0.1, 0.1, size=(50, 4, 2))
    out = model((corners + jitter).reshape(-1, 2))[:, 0].reshape(50, 4)
    assert np.all(out[:, [1, 2]] > 0.9) and np.all(out[:, [0, 3]] < 0.1)


@pytest.mark.parametrize(("sizes", "steps"), [([2, 8, 3], 25), ([2, 4, 4, 5], 10)])
def test_decision_grid_matches_nnlib_predict(
    ns: dict[str, Any], sizes: list[int], steps: int
) -> None:
    model = _network(sizes, seed=steps)
    xx, yy, labels = ns["decision_grid"](model, (-2.0, 1.0), (-1.0, 3.0), steps=steps)
    expected_xx, expected_yy = np.meshgrid(
        np.linspace(-2.0, 1.0, steps), np.linspace(-1.0, 3.0, steps)
    )
    np.testing.assert_array_equal(xx, expected_xx)
    np.testing.assert_array_equal(yy, expected_yy)
    points = np.column_stack([expected_xx.ravel(), expected_yy.ravel()])
    np.testing.assert_array_equal(
        labels, predict(model, points).argmax(axis=1).reshape(steps, steps)
    )


def test_decision_grid_thresholds_a_single_probability(ns: dict[str, Any]) -> None:
    model = Sequential(*_network([2, 6, 1], seed=3), Sigmoid())
    _, _, labels = ns["decision_grid"](model, (-3.0, 3.0), (-3.0, 3.0), steps=20)
    xx, yy = np.meshgrid(np.linspace(-3.0, 3.0, 20), np.linspace(-3.0, 3.0, 20))
    probabilities = predict(model, np.column_stack([xx.ravel(), yy.ravel()]))[:, 0]
    np.testing.assert_array_equal(labels, (probabilities >= 0.5).astype(int).reshape(20, 20))
    assert 0 < labels.sum() < labels.size, (
        "the random network should draw a boundary inside the grid"
    )
