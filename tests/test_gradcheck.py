"""Tests of nnlib.gradcheck: finite differences, and the diagnosis of planted backprop bugs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.gradcheck import GradientCheckError, check_gradients, numerical_gradient
from nnlib.module import Module, Parameter

N, IN, OUT = 5, 3, 3  # square weight so that a transposed gradient still fits


class PlantedDense(Module):
    """y = x @ W + b whose backward carries one deliberate bug (or none)."""

    def __init__(self, n_in: int, n_out: int, bug: str | None = None, seed: int = 0) -> None:
        gen = np.random.default_rng(seed)
        self.weight = Parameter(gen.standard_normal((n_in, n_out)), "weight")
        self.bias = Parameter(gen.standard_normal(n_out), "bias")
        self.bug = bug
        self._x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._x = x
        return x @ self.weight.data + self.bias.data

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        x = self._cached(self._x)
        dw = x.T @ grad_out
        db = grad_out.sum(axis=0)
        dx = grad_out @ self.weight.data.T
        if self.bug == "transpose":
            dw = dw.T
        elif self.bug == "sum":
            dw = dw * x.shape[0]
        elif self.bug == "sign":
            dw = -dw
        elif self.bug == "no_bias":
            db = np.zeros_like(db)
        elif self.bug == "input_sign":
            dx = -dx
        elif self.bug == "double":
            dw = 2 * dw
        elif self.bug == "noise":
            dw = dw + np.arange(dw.size).reshape(dw.shape) % 2
        if self.bug == "replace_transposed":
            self.weight.grad = dw.T
        else:
            self.weight.grad += dw
        self.bias.grad += db
        return dx


class MeanHalfSquares:
    """L = mean_i 0.5 * ||pred_i - y_i||^2; with bug="sum" backward forgets the 1/N."""

    def __init__(self, bug: str | None = None) -> None:
        self.bug = bug
        self._diff: np.ndarray | None = None

    def __call__(self, pred: np.ndarray, target: np.ndarray) -> float:
        self._diff = pred - target
        return float(0.5 * np.sum(self._diff**2) / pred.shape[0])

    def backward(self) -> np.ndarray:
        assert self._diff is not None
        return self._diff if self.bug == "sum" else self._diff / self._diff.shape[0]


def _data(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.default_rng(seed)
    return gen.standard_normal((N, IN)), gen.standard_normal((N, OUT))


# numerical_gradient ---------------------------------------------------------------------------


def test_numerical_gradient_matches_hand_computed_values() -> None:
    x = np.array([1.0, -2.0, 0.5])
    # f = x0 * x1 + x2^3  ->  (x1, x0, 3 x2^2) = (-2, 1, 0.75)
    grad = numerical_gradient(lambda v: v[0] * v[1] + v[2] ** 3, x)
    np.testing.assert_allclose(grad, [-2.0, 1.0, 0.75], rtol=1e-8)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), seed=st.integers(0, 2**16))
def test_numerical_gradient_of_sum_of_squares_any_shape(shape: list[int], seed: int) -> None:
    x = np.random.default_rng(seed).standard_normal(shape)
    grad = numerical_gradient(lambda v: float(np.sum(v**2)), x)
    assert grad.shape == x.shape and grad.dtype == np.float64
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-6, atol=1e-8)


def test_numerical_gradient_restores_x_bit_for_bit() -> None:
    x = np.array([[0.1, 0.7], [1e-3, 3.3]])
    before = x.copy()
    numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    assert np.array_equal(x, before)


def test_numerical_gradient_restores_x_when_f_raises() -> None:
    x = np.array([0.1, 0.2])

    def explode(v: np.ndarray) -> float:
        raise ZeroDivisionError("boom")

    with pytest.raises(ZeroDivisionError):
        numerical_gradient(explode, x)
    assert x.tolist() == [0.1, 0.2]


def test_numerical_gradient_rejects_integer_arrays() -> None:
    with pytest.raises(TypeError, match=r"int64.*\(3,\)"):
        numerical_gradient(lambda v: float(v.sum()), np.arange(3))


def test_numerical_gradient_rejects_non_positive_eps() -> None:
    with pytest.raises(ValueError, match="eps must be positive, got 0"):
        numerical_gradient(lambda v: float(v.sum()), np.zeros(2), eps=0.0)


# check_gradients on a correct model -----------------------------------------------------------


def test_correct_model_passes_and_is_restored() -> None:
    model = PlantedDense(IN, OUT)
    model.weight.data = model.weight.data.astype(np.float32)
    model.weight.grad = np.zeros_like(model.weight.data)
    weight_before = model.weight.data.copy()
    x, y = _data()
    report = check_gradients(model, MeanHalfSquares(), x, y)
    assert report.passed, str(report)
    assert [c.name for c in report.checks] == ["weight", "bias", "input"]
    assert all(c.relative_error < 1e-6 for c in report.checks)
    assert model.weight.data.dtype == np.float32 and np.array_equal(
        model.weight.data, weight_before
    )
    assert not model.weight.grad.any(), "the check must leave the caller's gradients alone"


def test_check_input_false_skips_the_input() -> None:
    x, y = _data()
    report = check_gradients(
        PlantedDense(IN, OUT, bug="input_sign"), MeanHalfSquares(), x, y, check_input=False
    )
    assert report.passed and [c.name for c in report.checks] == ["weight", "bias"]


# each planted bug is found, located and diagnosed ---------------------------------------------


@pytest.mark.parametrize(
    ("bug", "tensor", "cause"),
    [
        ("transpose", "weight", "missing/extra transpose"),
        ("sum", "weight", f"off by the batch size: analytic = numerical * {N}"),
        ("sign", "weight", "wrong sign"),
        ("no_bias", "bias", "bias gradient missing"),
        ("input_sign", "input", "wrong sign"),
        ("double", "weight", "constant factor: analytic = numerical * 2"),
        ("replace_transposed", "weight", "missing/extra transpose"),
    ],
)
def test_planted_bug_is_diagnosed(bug: str, tensor: str, cause: str) -> None:
    n_out = 4 if bug == "replace_transposed" else OUT
    gen = np.random.default_rng(2)
    x, y = gen.standard_normal((N, IN)), gen.standard_normal((N, n_out))
    report = check_gradients(PlantedDense(IN, n_out, bug=bug), MeanHalfSquares(), x, y)
    assert not report.passed
    assert [c.name for c in report.failures] == [tensor]
    assert cause in report[tensor].cause
    assert cause in str(report)


def test_sum_instead_of_mean_in_the_loss_shows_on_every_tensor() -> None:
    x, y = _data()
    report = check_gradients(PlantedDense(IN, OUT), MeanHalfSquares(bug="sum"), x, y)
    assert [c.name for c in report.failures] == ["weight", "bias", "input"]
    assert all("off by the batch size" in c.cause for c in report.failures)


def test_failure_reports_index_and_both_values() -> None:
    x, y = _data()
    model = PlantedDense(IN, OUT, bug="noise")  # +1 on odd flat indices only
    report = check_gradients(model, MeanHalfSquares(), x, y)
    weight = report["weight"]
    assert weight.mismatches == (IN * OUT) // 2
    assert np.ravel_multi_index(weight.index, (IN, OUT)) % 2 == 1
    assert weight.analytic is not None and weight.numerical is not None
    assert weight.analytic - weight.numerical == pytest.approx(1.0, abs=1e-6)
    expected_rel = abs(weight.analytic - weight.numerical) / max(
        abs(weight.analytic), abs(weight.numerical)
    )
    assert weight.relative_error == pytest.approx(expected_rel)
    assert weight.cause == ""
    table = str(report)
    assert "weight" in table and str(weight.index) in table and "FAIL (4 entries)" in table


def test_raise_on_failure_raises_with_the_table() -> None:
    x, y = _data()
    with pytest.raises(GradientCheckError, match=r"(?s)weight.*FAIL.*wrong sign"):
        check_gradients(
            PlantedDense(IN, OUT, bug="sign"), MeanHalfSquares(), x, y, raise_on_failure=True
        )


def test_raise_if_failed_is_silent_when_gradients_agree() -> None:
    x, y = _data()
    check_gradients(PlantedDense(IN, OUT), MeanHalfSquares(), x, y).raise_if_failed()


def test_unknown_tensor_name_lists_the_known_ones() -> None:
    x, y = _data()
    report = check_gradients(PlantedDense(IN, OUT), MeanHalfSquares(), x, y)
    with pytest.raises(
        KeyError, match="no gradient check named 'wieght'.*'weight', 'bias', 'input'"
    ):
        report["wieght"]


class Float32Cast(Module):
    """A module that silently computes in float32."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x.astype(np.float32)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out


def test_float32_somewhere_in_the_model_is_an_error() -> None:
    x, y = _data()
    with pytest.raises(TypeError, match="model output has dtype float32"):
        check_gradients(Float32Cast(), MeanHalfSquares(), x, y)


def test_entries_that_are_zero_on_both_sides_do_not_inflate_the_error() -> None:
    model = PlantedDense(IN, OUT)
    x, y = _data()
    y[:, 0] = model(x)[
        :, 0
    ]  # column 0 fits exactly: its gradients are 0 analytically, ~1e-11 numerically
    report = check_gradients(model, MeanHalfSquares(), x, y)
    assert report.passed
    assert report["bias"].relative_error < 1e-6, str(report)
