"""Shared check for every backward: analytic gradients against central differences."""
from __future__ import annotations

import numpy as np

from nnlib.gradcheck import numerical_gradient
from nnlib.module import Array, Module


def assert_backward_matches_numerical(module: Module, x: Array, g: Array, label: str,
                                      rtol: float = 1e-6, atol: float = 1e-9) -> None:
    """Check `module.backward(g)` (dL/dx and every parameter's grad) for L = sum(module(x) * g).

    The module must compute in float64. Mismatches name the module, the gradient and the values.
    """
    def objective(_: Array) -> float:
        return float(np.sum(module(x) * g))

    module.zero_grad()
    module(x)
    grad_in = module.backward(g)
    checks = [("dL/dx", grad_in, x)] + [(f"dL/d{name}", p.grad.copy(), p.data) for name, p in module.named_parameters()]
    for name, analytic, target in checks:
        numerical = numerical_gradient(objective, target)
        np.testing.assert_allclose(analytic, numerical, rtol=rtol, atol=atol, err_msg=f"{label} {name} vs numerical")
