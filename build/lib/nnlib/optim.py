"""Optimisers: update parameters from their gradients with PyTorch's exact rules.

Usage per mini-batch: `opt.zero_grad()`, forward, loss, backward, `opt.step()`.
All state (momentum, Adam moments) lives in buffers allocated once and updated in place.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from nnlib.module import Array, Parameter


def _check_range(name: str, value: float, low: float, high: float) -> None:
    """Raise ValueError naming `name` and `value` unless low <= value < high."""
    if not low <= value < high:
        raise ValueError(f"{name} must be in [{low}, {high}), got {value}")


class Optimizer:
    """Base class: holds the parameter list, checks it, and resets gradients.

    Args:
        params: the parameters to update, e.g. `model.parameters()`; non-empty, no duplicates.
        lr: learning rate (> 0).
        weight_decay: L2 penalty coefficient wd >= 0, applied as g = grad + wd * p.
    """

    def __init__(self, params: Iterable[Parameter], lr: float, weight_decay: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list (does the model have parameters?)")
        for i, p in enumerate(self.params):
            if not isinstance(p, Parameter):
                raise TypeError(f"optimizer parameter {i} is a {type(p).__name__}, not a Parameter")
        if len({id(p) for p in self.params}) != len(self.params):
            raise ValueError("optimizer got the same Parameter more than once")
        if not lr > 0 or not np.isfinite(lr):
            raise ValueError(f"learning rate lr must be a positive number, got {lr}")
        if not weight_decay >= 0 or not np.isfinite(weight_decay):
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
        self.lr = lr
        self.weight_decay = weight_decay

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to zero: grad <- 0."""
        for p in self.params:
            p.zero_grad()

    def _decayed_grad(self, p: Parameter, scratch: Array) -> Array:
        """g = grad + wd * p, written into `scratch` when wd > 0 (otherwise grad itself)."""
        if not self.weight_decay:
            return p.grad
        np.multiply(p.data, self.weight_decay, out=scratch)
        scratch += p.grad
        return scratch

    def step(self) -> None:
        """Update every parameter once from its current gradient."""
        raise NotImplementedError(f"{type(self).__name__} must implement step()")


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum and weight decay (PyTorch's rule).

    g = grad + wd * p;  d = g without momentum, or with it
    v = momentum * v + g (v starts at 0, so v = g on the first step, as PyTorch), d = v;
    p = p - lr * d.

    Args:
        params: parameters to update. lr: learning rate (> 0).
        momentum: in [0, 1). weight_decay: L2 coefficient (>= 0).
    """

    def __init__(
        self, params: Iterable[Parameter], lr: float, momentum: float = 0.0, weight_decay: float = 0.0
    ) -> None:
        super().__init__(params, lr, weight_decay)
        _check_range("momentum", momentum, 0.0, 1.0)
        self.momentum = momentum
        self._scratch = [np.zeros_like(p.data) for p in self.params]
        self._velocity = [np.zeros_like(p.data) for p in self.params] if momentum else []

    def step(self) -> None:
        """p = p - lr * d, d the (momentum-averaged, weight-decayed) gradient."""
        for i, (p, scratch) in enumerate(zip(self.params, self._scratch)):
            d = self._decayed_grad(p, scratch)
            if self.momentum:
                v = self._velocity[i]
                v *= self.momentum
                v += d
                d = v
            np.multiply(d, self.lr, out=scratch)
            p.data -= scratch


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias correction and optional L2 weight decay (PyTorch's rule).

    g = grad + wd * p;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
    m_hat = m / (1 - b1^t);  v_hat = v / (1 - b2^t);  p = p - lr * m_hat / (sqrt(v_hat) + eps).

    The moments of all parameters lie side by side in one vector each (m and v of shape
    (total number of weights,)), so each line of `step` is one NumPy operation over the whole
    network instead of one per parameter. The parameters themselves stay separate arrays.

    Args:
        params: parameters to update. lr: learning rate (> 0).
        betas: (b1, b2), each in [0, 1). eps: added to the denominator (> 0).
        weight_decay: L2 coefficient (>= 0).
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (b1, b2), got {betas}")
        _check_range("betas[0]", betas[0], 0.0, 1.0)
        _check_range("betas[1]", betas[1], 0.0, 1.0)
        if not eps > 0:
            raise ValueError(f"eps must be positive, got {eps}")
        self.betas = betas
        self.eps = eps
        size = sum(p.data.size for p in self.params)
        dtype = np.result_type(*(p.data.dtype for p in self.params))
        self._g, self._m, self._v, self._update = (np.zeros(size, dtype=dtype) for _ in range(4))
        # self._updates[i]: the piece of self._update that belongs to parameter i, in its shape
        ends = np.cumsum([p.data.size for p in self.params])
        self._updates = [self._update[end - p.data.size : end].reshape(p.shape) for p, end in zip(self.params, ends)]
        self._t = 0

    def _gather_grads(self) -> Array:
        """g = grad + wd * p for every parameter, flattened and concatenated into one vector."""
        np.concatenate([p.grad.ravel() for p in self.params], out=self._g)
        if self.weight_decay:
            np.concatenate([p.data.ravel() for p in self.params], out=self._update)
            self._update *= self.weight_decay
            self._g += self._update
        return self._g

    def step(self) -> None:
        """One Adam update of every parameter; t counts the steps taken (from 1).

        The bias corrections fold into two numbers, with c = sqrt(1 - b2^t):
        lr * m_hat / (sqrt(v_hat) + eps) = (lr * c / (1 - b1^t)) * m / (sqrt(v) + eps * c).
        """
        self._t += 1
        b1, b2 = self.betas
        c = math.sqrt(1 - b2**self._t)
        g, m, v, update = self._gather_grads(), self._m, self._v, self._update
        # m = b1 m + (1 - b1) g, computed in place as m = b1 (m - g) + g
        m -= g
        m *= b1
        m += g
        # v = b2 v + (1 - b2) g^2, likewise, with g^2 in the update buffer
        np.multiply(g, g, out=update)
        v -= update
        v *= b2
        v += update
        # update = lr * m_hat / (sqrt(v_hat) + eps), folded as above
        np.sqrt(v, out=update)
        update += self.eps * c
        np.divide(m, update, out=update)
        update *= self.lr * c / (1 - b1**self._t)
        for p, p_update in zip(self.params, self._updates):
            p.data -= p_update
