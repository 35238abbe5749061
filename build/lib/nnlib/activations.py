"""Activation functions, their derivatives, and the modules that wrap them.

Every function works elementwise on an array of any shape (softmax and log_softmax along one
axis) and keeps its dtype. The derivatives are taken with respect to the pre-activation z.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from nnlib.module import Array, Module


def sigmoid(z: Array) -> Array:
    """Logistic sigmoid, sigma(z) = 1 / (1 + exp(-z)), computed without overflow.

    Uses e = exp(-|z|) <= 1: sigma(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0.

    Args:
        z: pre-activations, any shape.
    Returns:
        values in [0, 1], the shape of z.
    """
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1, e) / (1 + e)


def tanh(z: Array) -> Array:
    """Hyperbolic tangent, tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)).

    Args:
        z: pre-activations, any shape.
    Returns:
        values in [-1, 1], the shape of z.
    """
    return np.tanh(z)


def relu(z: Array) -> Array:
    """Rectified linear unit, relu(z) = max(z, 0).

    Args:
        z: pre-activations, any shape.
    Returns:
        non-negative values, the shape of z.
    """
    return np.maximum(z, 0)


def softmax(z: Array, axis: int = -1) -> Array:
    """Softmax along `axis`, softmax(z)_k = exp(z_k - max z) / sum_j exp(z_j - max z).

    Subtracting the maximum leaves the result unchanged and keeps exp from overflowing.

    Args:
        z: scores (logits), e.g. shape (batch, classes).
        axis: the axis that sums to one.
    Returns:
        probabilities, the shape of z.
    """
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z: Array, axis: int = -1) -> Array:
    """Log of the softmax along `axis`, log_softmax(z)_k = (z_k - m) - log sum_j exp(z_j - m), m = max z.

    Args:
        z: scores (logits), e.g. shape (batch, classes).
        axis: the axis softmax normalises over.
    Returns:
        log-probabilities (all <= 0), the shape of z.
    """
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def sigmoid_derivative(z: Array) -> Array:
    """Derivative of the sigmoid, d sigma / dz = sigma(z) * (1 - sigma(z)).

    Args:
        z: pre-activations, any shape.
    Returns:
        values in [0, 0.25], the shape of z.
    """
    s = sigmoid(z)
    return s * (1 - s)


def tanh_derivative(z: Array) -> Array:
    """Derivative of tanh, d tanh / dz = 1 - tanh(z)^2.

    Args:
        z: pre-activations, any shape.
    Returns:
        values in [0, 1], the shape of z.
    """
    return 1 - np.tanh(z) ** 2


def relu_derivative(z: Array) -> Array:
    """Derivative of relu, 1 where z > 0 and 0 elsewhere (0 at z == 0, as PyTorch).

    Args:
        z: pre-activations, any shape.
    Returns:
        zeros and ones, the shape and (floating) dtype of z.
    """
    z = np.asarray(z)
    return (z > 0).astype(z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64)


class Sigmoid(Module):
    """Module y = sigmoid(x); backward dL/dx = dL/dy * y * (1 - y), from the cached output."""

    def __init__(self) -> None:
        self._out: Array | None = None

    def forward(self, x: Array) -> Array:
        """Apply the sigmoid elementwise. x: any shape; returns the shape of x."""
        self._out = sigmoid(x)
        return self._out

    def backward(self, grad_out: Array) -> Array:
        """dL/dx = dL/dy * y * (1 - y). grad_out: the shape of the last output."""
        y = self._cached(self._out)
        return self._check_grad(grad_out, y.shape) * y * (1 - y)


class Tanh(Module):
    """Module y = tanh(x); backward dL/dx = dL/dy * (1 - y^2), from the cached output."""

    def __init__(self) -> None:
        self._out: Array | None = None

    def forward(self, x: Array) -> Array:
        """Apply tanh elementwise. x: any shape; returns the shape of x."""
        self._out = tanh(x)
        return self._out

    def backward(self, grad_out: Array) -> Array:
        """dL/dx = dL/dy * (1 - y^2). grad_out: the shape of the last output."""
        y = self._cached(self._out)
        return self._check_grad(grad_out, y.shape) * (1 - y * y)


class ReLU(Module):
    """Module y = max(x, 0); backward passes dL/dy where x > 0 and 0 elsewhere."""

    def __init__(self) -> None:
        self._mask: NDArray[np.bool_] | None = None

    def forward(self, x: Array) -> Array:
        """Apply relu elementwise. x: any shape; returns the shape of x."""
        self._mask = x > 0
        return relu(x)

    def backward(self, grad_out: Array) -> Array:
        """dL/dx = dL/dy * [x > 0]. grad_out: the shape of the last output."""
        mask = self._cached(self._mask)
        return self._check_grad(grad_out, mask.shape) * mask
