"""Dense (fully connected) layers and Sequential, the container that chains modules into a network."""
from __future__ import annotations

from collections.abc import Iterator
from typing import overload

import numpy as np
from numpy.typing import DTypeLike

from nnlib.init import Initializer, RNGLike, get_initializer
from nnlib.module import Array, Module, Parameter


class Dense(Module):
    """Fully connected layer, y = x @ W + b.

    Backward: dL/dW += x^T @ dL/dy, dL/db += sum over the batch of dL/dy, dL/dx = dL/dy @ W^T.
    The input is converted to the layer's dtype, so a float32 network stays float32.

    Args:
        in_features: size of each input row. out_features: size of each output row (units).
        init: initialiser name ("he", "he_uniform", "xavier", "xavier_normal", "normal") or a
            callable (fan_in, fan_out, rng) -> array (fan_in, fan_out).
        rng: np.random.Generator, int seed or None, passed to the initialiser.
        dtype: dtype of the parameters and of the computation.
    Attributes:
        weight: Parameter of shape (in_features, out_features). bias: Parameter (out_features,), zeros.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        init: str | Initializer = "he",
        rng: RNGLike = None,
        dtype: DTypeLike = np.float32,
    ) -> None:
        if in_features < 1 or out_features < 1:
            raise ValueError(
                f"Dense needs positive sizes, got in_features={in_features}, out_features={out_features}"
            )
        weight = np.asarray(get_initializer(init)(in_features, out_features, rng), dtype=dtype)
        if weight.shape != (in_features, out_features):
            raise ValueError(
                f"initializer {init!r} returned shape {weight.shape}, expected ({in_features}, {out_features})"
            )
        self.in_features = in_features
        self.out_features = out_features
        self.init_name = init if isinstance(init, str) else getattr(init, "__name__", repr(init))
        self.weight = Parameter(weight, "weight")
        self.bias = Parameter(np.zeros(out_features, dtype=dtype), "bias")
        self._x: Array | None = None

    def forward(self, x: Array) -> Array:
        """y = x @ W + b.

        Args:
            x: inputs of shape (batch, in_features).
        Returns:
            outputs of shape (batch, out_features), in the layer's dtype.
        """
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"{self!r} expects input of shape (batch, {self.in_features}), got {x.shape}"
            )
        x = x.astype(self.weight.data.dtype, copy=False)
        self._x = x
        y = x @ self.weight.data
        y += self.bias.data
        return y

    def _accumulate(self, grad_out: Array) -> Array:
        """Add dL/dW = x^T @ g and dL/db = sum_i g_i into the grads; return g in the layer's dtype."""
        x = self._cached(self._x)
        g = self._check_grad(grad_out, (x.shape[0], self.out_features))
        g = g.astype(self.weight.data.dtype, copy=False)
        self.weight.grad += x.T @ g
        self.bias.grad += g.sum(axis=0)
        return g

    def backward(self, grad_out: Array) -> Array:
        """Accumulate dL/dW, dL/db and return dL/dx = dL/dy @ W^T.

        Args:
            grad_out: dL/dy of shape (batch, out_features).
        Returns:
            dL/dx of shape (batch, in_features).
        """
        return self._accumulate(grad_out) @ self.weight.data.T

    def backward_params(self, grad_out: Array) -> None:
        """Accumulate dL/dW and dL/db only, skipping the (batch, in_features) matmul for dL/dx.

        Args:
            grad_out: dL/dy of shape (batch, out_features).
        """
        self._accumulate(grad_out)

    def __repr__(self) -> str:
        return f"Dense({self.in_features}, {self.out_features}, init={self.init_name!r})"


class Sequential(Module):
    """Modules applied in order, y = m_k(...m_2(m_1(x))); backward runs them in reverse.

    Indexable (`net[0]`, `net[1:]`), iterable and sized; parameters are named by position,
    e.g. "0.weight", "2.bias".

    Args:
        *modules: one or more Module instances.
    """

    def __init__(self, *modules: Module) -> None:
        if not modules:
            raise ValueError("Sequential needs at least one module")
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(
                    f"Sequential argument {i} is {module!r} of type {type(module).__name__}, not a "
                    "Module instance (did you pass a class, e.g. ReLU instead of ReLU()?)"
                )
        self._modules: tuple[Module, ...] = modules

    def named_children(self) -> list[tuple[str, Module]]:
        """The modules named by position: [("0", m_1), ("1", m_2), ...]."""
        return [(str(i), module) for i, module in enumerate(self._modules)]

    def forward(self, x: Array) -> Array:
        """Apply each module in turn. x: the first module's input; returns the last one's output."""
        for module in self._modules:
            x = module(x)
        return x

    def backward(self, grad_out: Array) -> Array:
        """Backpropagate dL/dy through the modules in reverse order and return dL/dx."""
        for module in reversed(self._modules):
            grad_out = module.backward(grad_out)
        return grad_out

    def backward_params(self, grad_out: Array) -> None:
        """Backpropagate dL/dy, accumulating every parameter gradient; skip dL/dx of the first module."""
        for module in reversed(self._modules[1:]):
            grad_out = module.backward(grad_out)
        self._modules[0].backward_params(grad_out)

    @overload
    def __getitem__(self, index: int) -> Module: ...
    @overload
    def __getitem__(self, index: slice) -> Sequential: ...
    def __getitem__(self, index: int | slice) -> Module | Sequential:
        if isinstance(index, slice):
            return Sequential(*self._modules[index])
        return self._modules[index]

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __repr__(self) -> str:
        lines = [f"  ({i}): " + repr(m).replace("\n", "\n  ") for i, m in enumerate(self._modules)]
        return "Sequential(\n" + "\n".join(lines) + "\n)"
