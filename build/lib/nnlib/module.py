"""Parameter and Module: the two base classes every nnlib layer is built from.

A `Parameter` is an array the optimiser updates, with the gradient of the loss beside it.
A `Module` maps an input batch to an output batch (`forward`) and, given the gradient of the
loss with respect to its output, returns the gradient with respect to its input (`backward`),
ADDING the gradients of its own parameters into `param.grad` on the way (as PyTorch does), so
gradients must be reset with `zero_grad()` before each new backward pass.
"""
from __future__ import annotations

from typing import Any, Self, TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray

Array: TypeAlias = NDArray[np.floating[Any]]
"""A NumPy array of floats (float32 by default in nnlib, float64 for gradient checks)."""

T = TypeVar("T")


class Parameter:
    """A trainable array `data` and the gradient `grad` of the loss with respect to it.

    Args:
        data: the initial values, any shape; must be a floating-point array.
        name: an optional label shown in error messages and reprs.
    """

    def __init__(self, data: Array, name: str = "") -> None:
        data = np.asarray(data)
        if not np.issubdtype(data.dtype, np.floating):
            raise TypeError(f"Parameter {name!r} needs floating-point data, got dtype {data.dtype}")
        self.data = data
        self.grad = np.zeros_like(data)
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of `data` (and of `grad`)."""
        return self.data.shape

    def zero_grad(self) -> None:
        """Reset the gradient to zero in place: grad <- 0."""
        self.grad.fill(0)

    def __repr__(self) -> str:
        return f"Parameter({self.name!r}, shape={self.shape}, dtype={self.data.dtype})"


class Module:
    """Base class of every layer and network: forward, backward, parameters, train/eval.

    Subclasses implement `forward(x)` (caching on `self` what backward needs, nothing else)
    and `backward(grad_out) -> grad_in` (accumulating into their parameters' `.grad`).
    Parameters and child modules stored as attributes are found automatically by
    `named_parameters()`, `train()` and `eval()`.

    Skipping the input gradient: the first layer of a network gets the gradient with respect
    to the data, which nobody needs. `backward_params(grad_out)` accumulates the parameter
    gradients only and returns nothing; layers for which this saves work (`Dense`,
    `Sequential`, `Residual`) override it, every other module falls back to `backward`.
    Training loops call `model.backward_params(loss.backward())`.
    """

    training: bool = True

    def forward(self, x: Array) -> Array:
        """Compute the output batch from the input batch x."""
        raise NotImplementedError(f"{type(self).__name__} must implement forward(x)")

    def backward(self, grad_out: Array) -> Array:
        """Return dL/dx given dL/dy, adding dL/dparam into each parameter's `.grad`."""
        raise NotImplementedError(f"{type(self).__name__} must implement backward(grad_out)")

    def backward_params(self, grad_out: Array) -> None:
        """Add dL/dparam into each parameter's `.grad` without returning dL/dx.

        Args:
            grad_out: dL/dy, the shape of the last forward output.
        """
        self.backward(grad_out)

    def __call__(self, x: Array) -> Array:
        return self.forward(x)

    def _cached(self, value: T | None) -> T:
        """Return a value cached by forward, or raise if forward has not run yet."""
        if value is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward was called before forward: "
                "run a forward pass first, its cached values are needed for the gradients"
            )
        return value

    def _check_grad(self, grad_out: Array, shape: tuple[int, ...]) -> Array:
        """Return grad_out as an array, or raise if its shape is not that of the forward output."""
        grad_out = np.asarray(grad_out)
        if grad_out.shape != shape:
            raise ValueError(
                f"{type(self).__name__}.backward expected grad_out of shape {shape} "
                f"(the shape of its last forward output), got {grad_out.shape}"
            )
        return grad_out

    def named_children(self) -> list[tuple[str, Module]]:
        """The direct sub-modules with their attribute names, in definition order."""
        return [(name, value) for name, value in vars(self).items() if isinstance(value, Module)]

    def named_parameters(self) -> list[tuple[str, Parameter]]:
        """Every parameter with its dotted path, e.g. ("0.weight", p), ("block.0.bias", p)."""
        named = [(name, value) for name, value in vars(self).items() if isinstance(value, Parameter)]
        for child_name, child in self.named_children():
            named += [(f"{child_name}.{name}", p) for name, p in child.named_parameters()]
        return named

    def parameters(self) -> list[Parameter]:
        """Every parameter of this module and its children, in `named_parameters` order."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Reset the gradient of every parameter to zero."""
        for p in self.parameters():
            p.zero_grad()

    def train(self, mode: bool = True) -> Self:
        """Set training mode (True) or evaluation mode (False) here and in every child."""
        self.training = mode
        for _, child in self.named_children():
            child.train(mode)
        return self

    def eval(self) -> Self:
        """Set evaluation mode here and in every child (same as `train(False)`)."""
        return self.train(False)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
