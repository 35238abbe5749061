"""Residual (skip) connections (He et al., 2016): the block learns a correction added to its input."""
from __future__ import annotations

import numpy as np

from nnlib.module import Array, Module


class Residual(Module):
    """Skip connection around a block, y = x + block(x).

    Backward: dL/dx = dL/dy + block.backward(dL/dy); the identity path carries the gradient
    past the block unchanged, which is why deep residual networks keep training.

    Args:
        block: a Module whose output has the shape of its input (e.g. Dense(h, h) + ReLU).
    """

    def __init__(self, block: Module) -> None:
        if not isinstance(block, Module):
            raise TypeError(f"Residual needs a Module instance as block, got {type(block).__name__}")
        self.block = block

    def forward(self, x: Array) -> Array:
        """y = x + block(x).

        Args:
            x: inputs, e.g. (batch, features).
        Returns:
            outputs of the shape of x.
        """
        x = np.asarray(x)
        out = self.block(x)
        if out.shape != x.shape:
            raise ValueError(
                f"Residual needs block(x) to have the shape of x: x has shape {x.shape}, "
                f"block(x) has shape {out.shape} (block: {self.block!r})"
            )
        return x + out

    def backward(self, grad_out: Array) -> Array:
        """dL/dx = dL/dy + block.backward(dL/dy). grad_out: shape of the output; returns shape of x."""
        return grad_out + self.block.backward(grad_out)

    def backward_params(self, grad_out: Array) -> None:
        """Accumulate the block's parameter gradients only: block.backward_params(dL/dy)."""
        self.block.backward_params(grad_out)

    def __repr__(self) -> str:
        return "Residual(\n  (block): " + repr(self.block).replace("\n", "\n  ") + "\n)"
