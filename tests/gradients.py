"""Shared checks for backward passes: against central differences, and backward_params against
backward."""

from __future__ import annotations

import numpy as np

from nnlib.gradcheck import numerical_gradient
from nnlib.module import Array, Module


def assert_backward_matches_numerical(
    module: Module, x: Array, g: Array, label: str, rtol: float = 1e-6, atol: float = 1e-9
) -> None:
    """Check `module.backward(g)` (dL/dx and every parameter's grad) for L = sum(module(x) * g).

    The module must compute in float64. Mismatches name the module, the gradient and the values.
    """

    def objective(_: Array) -> float:
        return float(np.sum(module(x) * g))

    module.zero_grad()
    module(x)
    grad_in = module.backward(g)
    checks = [("dL/dx", grad_in, x)] + [
        (f"dL/d{name}", p.grad.copy(), p.data) for name, p in module.named_parameters()
    ]
    for name, analytic, target in checks:
        numerical = numerical_gradient(objective, target)
        np.testing.assert_allclose(
            analytic, numerical, rtol=rtol, atol=atol, err_msg=f"{label} {name} vs numerical"
        )


def assert_backward_params_matches_backward(
    full: Module, params_only: Module, x: Array, g: Array
) -> None:
    """`params_only.backward_params(g)` returns None and leaves the same parameter grads as
    `full.backward(g)`; the two modules must be built alike (same sizes and seeds)."""
    full(x)
    full.backward(g)
    params_only(x)
    assert params_only.backward_params(g) is None, "backward_params returns None"
    for (name, p), q in zip(full.named_parameters(), params_only.parameters()):
        np.testing.assert_allclose(
            q.grad, p.grad, err_msg=f"{name}: backward_params must match backward"
        )
