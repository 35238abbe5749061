"""Gradient checking: compare backpropagation's gradients with finite differences.

Backprop is easy to get almost right. A central difference

    df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)

needs no calculus at all, so it is the referee: `check_gradients` runs the model forward and
backward once, recomputes every gradient numerically, and reports which parameter and index
disagree, by how much, and the most likely bug behind the pattern it sees.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

import numpy as np

from nnlib.module import Module

__all__ = [
    "GradientCheckError",
    "GradientCheckReport",
    "ParameterCheck",
    "check_gradients",
    "numerical_gradient",
]

_TINY = 1e-12  # floor of the denominator of the relative error


class Loss(Protocol):
    """What a loss looks like to the checker: `loss(pred, target) -> float`, then `backward()`."""

    def __call__(self, pred: np.ndarray, target: np.ndarray) -> float: ...

    def backward(self) -> np.ndarray: ...


class GradientCheckError(AssertionError):
    """Raised when analytic and numerical gradients disagree; the message is the report table."""


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Gradient of a scalar function by central differences, one entry at a time.

    grad[i] = (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)

    `x` is perturbed IN PLACE (so `f` may read it through a model's parameter) and every entry
    is restored exactly, even if `f` raises. Use float64: in float32 the round-off of `f`
    swamps the difference.

    Args:
        f: function of `x` returning a scalar (a float or a size-1 array).
        x: floating array of any shape, the point at which to differentiate.
        eps: step size.

    Returns:
        float64 array of the same shape as `x`.
    """
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"numerical_gradient needs a floating array to perturb, got dtype {x.dtype} with shape {x.shape}")
    if eps <= 0:
        raise ValueError(f"eps must be positive, got {eps}")
    grad = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        original = x[index].copy()
        try:
            x[index] = original + eps
            f_plus = float(f(x))
            x[index] = original - eps
            f_minus = float(f(x))
        finally:
            x[index] = original
        grad[index] = (f_plus - f_minus) / (2.0 * eps)
    return grad


@dataclass
class ParameterCheck:
    """The comparison for one tensor (a named parameter, or "input" for the input gradient).

    `relative_error` is the largest |a - n| / max(|a|, |n|, tiny) over the failing entries
    (over the entries above `atol` when all pass);
    `index`, `analytic`, `numerical` describe the worst entry; `mismatches` counts entries
    outside the tolerance; `cause` is a likely bug when the pattern is recognised.
    """

    name: str
    shape: tuple[int, ...]
    passed: bool
    relative_error: float
    index: tuple[int, ...] | None
    analytic: float | None
    numerical: float | None
    mismatches: int
    cause: str = ""


@dataclass
class GradientCheckReport:
    """The result of `check_gradients`: one `ParameterCheck` per tensor; `str()` is a table."""

    checks: list[ParameterCheck] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when every tensor's gradient agrees with finite differences."""
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> list[ParameterCheck]:
        """The checks that disagree."""
        return [check for check in self.checks if not check.passed]

    def __getitem__(self, name: str) -> ParameterCheck:
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(f"no gradient check named {name!r}; have {[c.name for c in self.checks]}")

    def __str__(self) -> str:
        header = ("tensor", "shape", "rel. error", "worst index", "analytic", "numerical", "result")
        rows = [header]
        for c in self.checks:
            result = "ok" if c.passed else f"FAIL ({c.mismatches} entries)"
            rows.append((
                c.name,
                str(c.shape),
                f"{c.relative_error:.2e}",
                "-" if c.index is None else str(c.index),
                "-" if c.analytic is None else f"{c.analytic:.6g}",
                "-" if c.numerical is None else f"{c.numerical:.6g}",
                result,
            ))
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        causes = [f"  {c.name}: {c.cause}" for c in self.failures if c.cause]
        if causes:
            lines += ["likely cause:"] + causes
        return "\n".join(lines)

    def raise_if_failed(self) -> None:
        """Raise `GradientCheckError` with the report table if any tensor disagrees."""
        if not self.passed:
            raise GradientCheckError("gradient check failed\n" + str(self))


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """Elementwise |a - b| <= atol + rtol * max(|a|, |b|) (symmetric, unlike np.isclose)."""
    return np.abs(a - b) <= atol + rtol * np.maximum(np.abs(a), np.abs(b))


def _diagnose(name: str, analytic: np.ndarray, numerical: np.ndarray, batch_size: int, rtol: float, atol: float) -> str:
    """Name the bug whose signature matches a failing gradient, or "" when none does."""
    if analytic.shape != numerical.shape:
        if analytic.shape == numerical.T.shape:
            return f"missing/extra transpose: gradient has shape {analytic.shape}, parameter {numerical.shape}"
        return f"gradient has shape {analytic.shape} but the tensor has shape {numerical.shape}"

    def matches(candidate: np.ndarray) -> bool:
        return bool(np.all(_close(analytic, candidate, rtol, atol)))

    if not np.any(analytic) and np.any(numerical):
        if name == "bias" or name.endswith(".bias"):
            return "bias gradient missing: backward never writes the bias gradient (sum grad_out over the batch)"
        return "gradient missing: backward leaves this gradient at zero"
    if analytic.ndim == 2 and analytic.shape[0] == analytic.shape[1] and matches(numerical.T):
        return "missing/extra transpose: analytic gradient equals the numerical one transposed"
    if batch_size > 1 and matches(numerical * batch_size):
        return f"off by the batch size: analytic = numerical * {batch_size} (sum instead of mean over the batch)"
    if batch_size > 1 and matches(numerical / batch_size):
        return f"off by the batch size: analytic = numerical / {batch_size} (divided by N twice, or mean where a sum belongs)"
    if matches(-numerical):
        return "wrong sign: analytic = -numerical"
    # A constant factor (e.g. 2 from a gradient accumulated twice or a dropped factor in MSE).
    flat_n = numerical.ravel()
    k = int(np.argmax(np.abs(flat_n)))
    if flat_n[k] != 0:
        factor = analytic.ravel()[k] / flat_n[k]
        if factor != 0 and matches(numerical * factor):
            return f"off by a constant factor: analytic = numerical * {factor:.4g}"
    return ""


def _compare(name: str, analytic: np.ndarray, numerical: np.ndarray, batch_size: int, rtol: float, atol: float) -> ParameterCheck:
    """Compare one analytic gradient with its numerical estimate."""
    shape = tuple(numerical.shape)
    if analytic.shape != numerical.shape:
        cause = _diagnose(name, analytic, numerical, batch_size, rtol, atol)
        return ParameterCheck(name, shape, False, float("inf"), None, None, None, numerical.size, cause)
    rel = np.abs(analytic - numerical) / np.maximum(np.maximum(np.abs(analytic), np.abs(numerical)), _TINY)
    bad = ~_close(analytic, numerical, rtol, atol)
    passed = not bad.any()
    # Worst entry: the largest relative error among the failing entries, or, when all pass,
    # among the entries above atol (where both values are ~0 the ratio is only round-off).
    considered = bad if not passed else np.maximum(np.abs(analytic), np.abs(numerical)) > atol
    scores = np.where(considered, rel, -1.0)
    worst = np.unravel_index(int(np.argmax(scores)), shape) if numerical.size else None
    return ParameterCheck(
        name=name,
        shape=shape,
        passed=passed,
        relative_error=float(max(scores.max(), 0.0)) if numerical.size else 0.0,
        index=None if worst is None else tuple(int(i) for i in worst),
        analytic=None if worst is None else float(analytic[worst]),
        numerical=None if worst is None else float(numerical[worst]),
        mismatches=int(bad.sum()),
        cause="" if passed else _diagnose(name, analytic, numerical, batch_size, rtol, atol),
    )


def check_gradients(
    model: Module,
    loss_fn: Loss,
    x: np.ndarray,
    y: np.ndarray,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    check_input: bool = True,
    raise_on_failure: bool = False,
) -> GradientCheckReport:
    """Check `model.backward` against central differences of `loss_fn(model(x), y)`.

    Entry i of a tensor passes when |a_i - n_i| <= atol + rtol * max(|a_i|, |n_i|), with `a`
    the analytic gradient (from `backward`) and `n` the numerical one. The model runs in
    float64 for the check: its parameters are cast temporarily and restored afterwards
    (bit-exact). It runs in its current mode; in train mode a BatchNorm's running statistics
    are updated by every forward pass, so check on a model you will not train further.

    Args:
        model: the network; every entry of `named_parameters()` is checked.
        loss_fn: a loss such as `SoftmaxCrossEntropy()`; `loss_fn(pred, y)` then `.backward()`.
        x: input batch `(batch, in_features)`; keep it small, the cost is 2 forwards per entry.
        y: targets for `loss_fn` (class labels `(batch,)` or values like `pred`).
        eps: finite-difference step.
        rtol, atol: tolerances (float64 defaults).
        check_input: also check the gradient `backward` returns with respect to `x`.
        raise_on_failure: raise `GradientCheckError` (message = the report) instead of
            returning a failing report.

    Returns:
        A `GradientCheckReport`; `report.passed`, `report["0.weight"]`, `print(report)`.
    """
    x64 = np.array(x, dtype=np.float64)
    y64 = np.array(y, dtype=np.float64) if np.issubdtype(np.asarray(y).dtype, np.floating) else np.asarray(y)
    named = model.named_parameters()
    saved = [(p.data, p.grad) for _, p in named]
    try:
        for _, p in named:
            p.data = p.data.astype(np.float64)
            p.grad = np.zeros_like(p.data)
        pred = model(x64)
        if pred.dtype != np.float64:
            raise TypeError(
                f"model output has dtype {pred.dtype} for a float64 input and float64 parameters; "
                "a gradient check needs float64 all the way through"
            )
        loss_fn(pred, y64)
        grad_input = model.backward(loss_fn.backward())
        analytic = {name: p.grad.copy() for name, p in named}

        def loss_at(_: Any) -> float:
            return float(loss_fn(model(x64), y64))

        batch_size = x64.shape[0] if x64.ndim else 1
        report = GradientCheckReport()
        for name, p in named:
            numerical = numerical_gradient(loss_at, p.data, eps)
            report.checks.append(_compare(name, analytic[name], numerical, batch_size, rtol, atol))
        if check_input:
            numerical = numerical_gradient(loss_at, x64, eps)
            report.checks.append(_compare("input", np.asarray(grad_input), numerical, batch_size, rtol, atol))
    finally:
        for (_, p), (data, grad) in zip(named, saved):
            p.data, p.grad = data, grad
    if raise_on_failure:
        report.raise_if_failed()
    return report
