"""The master of chapter 4 (solutions/04_training.md) behaves exactly like the reference nnlib."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from masters import solution_namespace
from nnlib.activations import ReLU
from nnlib.gradcheck import numerical_gradient
from nnlib.layers import Dense, Sequential
from nnlib.losses import MSELoss, SoftmaxCrossEntropy
from nnlib.metrics import accuracy
from nnlib.module import Parameter
from nnlib.optim import SGD, Adam
from nnlib.training import fit

FLOATS = [np.float32, np.float64]
TOLERANCE = {np.float32: 1e-5, np.float64: 1e-12}


@pytest.fixture(scope="module")
def ns() -> dict[str, Any]:
    """The names the master's (non-test) code cells define."""
    return solution_namespace("04_training")


shapes = st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=st.integers(0, 2**16), dtype=st.sampled_from(FLOATS))
def test_mse_loss_matches_nnlib(
    ns: dict[str, Any], shape: tuple[int, ...], seed: int, dtype: type
) -> None:
    rng = np.random.default_rng(seed)
    pred = rng.normal(size=shape).astype(dtype)
    target = rng.normal(size=shape).astype(dtype)
    loss, grad = ns["mse_loss"](pred, target)
    reference = MSELoss()
    expected = reference(pred, target)
    expected_grad = reference.backward()
    assert loss == pytest.approx(expected, rel=TOLERANCE[dtype])
    assert grad.dtype == expected_grad.dtype, (
        f"gradient dtype {grad.dtype}, nnlib gives {expected_grad.dtype}"
    )
    np.testing.assert_allclose(grad, expected_grad, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


@pytest.mark.parametrize(
    "pred_shape, target_shape", [((4, 1), (4,)), ((3, 2), (2, 3)), ((2,), (3,))]
)
def test_mse_loss_rejects_shape_mismatch_like_nnlib(
    ns: dict[str, Any], pred_shape: tuple[int, ...], target_shape: tuple[int, ...]
) -> None:
    pred, target = np.zeros(pred_shape), np.zeros(target_shape)
    for loss in (MSELoss(), ns["mse_loss"]):
        with pytest.raises(ValueError) as error:
            loss(pred, target)
        assert str(pred_shape) in str(error.value) and str(target_shape) in str(error.value), str(
            error.value
        )


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 8),
    c=st.integers(2, 6),
    scale=st.sampled_from([0.1, 3.0, 500.0]),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from(FLOATS),
)
def test_softmax_cross_entropy_matches_nnlib(
    ns: dict[str, Any], n: int, c: int, scale: float, seed: int, dtype: type
) -> None:
    rng = np.random.default_rng(seed)
    logits = (scale * rng.normal(size=(n, c))).astype(dtype)
    labels = rng.integers(0, c, size=n)
    before = logits.copy()
    loss, grad = ns["softmax_cross_entropy"](logits, labels)
    reference = SoftmaxCrossEntropy()
    expected = reference(logits, labels)
    expected_grad = reference.backward()
    np.testing.assert_array_equal(logits, before)
    assert loss == pytest.approx(expected, rel=TOLERANCE[dtype], abs=TOLERANCE[dtype])
    np.testing.assert_allclose(grad, expected_grad, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


@pytest.mark.parametrize("n, fan_in, fan_out", [(1, 1, 1), (4, 3, 5), (7, 6, 2), (16, 64, 10)])
@pytest.mark.parametrize("dtype", FLOATS)
def test_dense_backward_matches_dense_layer(
    ns: dict[str, Any], n: int, fan_in: int, fan_out: int, dtype: type
) -> None:
    rng = np.random.default_rng(n * 100 + fan_in)
    layer = Dense(fan_in, fan_out, rng=rng, dtype=dtype)
    x = rng.normal(size=(n, fan_in)).astype(dtype)
    grad_out = rng.normal(size=(n, fan_out)).astype(dtype)
    layer(x)
    expected_dx = layer.backward(grad_out)
    dx, dW, db = ns["dense_backward"](x, layer.weight.data, grad_out)
    tol = 10 * TOLERANCE[dtype]
    np.testing.assert_allclose(dx, expected_dx, rtol=tol, atol=tol)
    np.testing.assert_allclose(dW, layer.weight.grad, rtol=tol, atol=tol)
    np.testing.assert_allclose(db, layer.bias.grad, rtol=tol, atol=tol)


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 2, 2), (1,)])
@pytest.mark.parametrize("eps", [1e-6, 1e-3])
def test_numerical_gradient_matches_nnlib(
    ns: dict[str, Any], shape: tuple[int, ...], eps: float
) -> None:
    x = np.random.default_rng(len(shape)).normal(size=shape)
    weights = np.arange(x.size, dtype=np.float64).reshape(shape)

    def f(v: np.ndarray) -> float:
        return float(np.sum(np.tanh(v) * weights) + np.sum(v) ** 2)

    mine_x, their_x = x.copy(), x.copy()
    mine = ns["numerical_gradient"](f, mine_x, eps=eps)
    theirs = numerical_gradient(f, their_x, eps=eps)
    assert mine.dtype == theirs.dtype == np.float64
    np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(mine_x, x)


def test_numerical_gradient_perturbs_in_place_like_nnlib(ns: dict[str, Any]) -> None:
    """Both perturb x itself, so f may read it through another name (a layer's weight)."""
    layer = Dense(3, 2, rng=0, dtype=np.float64)
    x = np.random.default_rng(1).normal(size=(4, 3))
    loss = MSELoss()

    def f(_: np.ndarray) -> float:
        return loss(layer(x), np.ones((4, 2)))

    mine = ns["numerical_gradient"](f, layer.weight.data)
    theirs = numerical_gradient(f, layer.weight.data)
    np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-12)
    assert np.abs(mine).max() > 0


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("dtype", FLOATS)
def test_sgd_step_matches_nnlib_sgd(ns: dict[str, Any], momentum: float, dtype: type) -> None:
    rng = np.random.default_rng(int(momentum * 10))
    shapes = [(3, 2), (2,), (1, 4)]
    start = [rng.normal(size=shape).astype(dtype) for shape in shapes]
    mine = [Parameter(a.copy()) for a in start]
    theirs = [Parameter(a.copy()) for a in start]
    velocities = [np.zeros(shape, dtype=dtype) for shape in shapes]
    reference = SGD(theirs, lr=0.05, momentum=momentum)
    for _ in range(5):
        for p, q in zip(mine, theirs):
            p.grad[...] = q.grad[...] = rng.normal(size=p.shape)
        ns["sgd_step"](mine, velocities, lr=0.05, momentum=momentum)
        reference.step()
        for p, q in zip(mine, theirs):
            assert p.data.dtype == q.data.dtype
            np.testing.assert_allclose(p.data, q.data, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


def _spiral_model(seed: int) -> Sequential:
    return Sequential(Dense(2, 16, rng=seed), ReLU(), Dense(16, 3, rng=seed + 1))


def test_train_classifier_follows_nnlib_fit(ns: dict[str, Any]) -> None:
    """Same data, initial weights, optimiser and shuffling seed: the same losses as `fit`."""
    x, y = ns["X_train"], ns["y_train"]
    mine, theirs = _spiral_model(3), _spiral_model(3)
    history = ns["train_classifier"](
        mine, x, y, epochs=4, batch_size=32, lr=0.01, rng=np.random.default_rng(9)
    )
    reference = fit(
        theirs,
        SoftmaxCrossEntropy(),
        Adam(theirs.parameters(), lr=0.01),
        x,
        y,
        epochs=4,
        batch_size=32,
        rng=np.random.default_rng(9),
        progress=False,
    )
    np.testing.assert_allclose(history, reference.loss, rtol=1e-5)
    for (name, p), q in zip(mine.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-4, atol=1e-6, err_msg=name)


def test_train_classifier_reaches_the_stated_accuracy(ns: dict[str, Any]) -> None:
    model = ns["make_model"](seed=10)
    history = ns["train_classifier"](
        model,
        ns["X_train"],
        ns["y_train"],
        epochs=100,
        batch_size=32,
        lr=0.01,
        rng=np.random.default_rng(0),
    )
    assert history[-1] < 0.1 < history[0]
    assert accuracy(model(ns["X_test"]), ns["y_test"]) >= 0.9
