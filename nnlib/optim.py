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
            raise ValueError(
                "optimizer got an empty parameter list (does the model have parameters?)"
            )
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
        self,
        params: Iterable[Parameter],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
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

    One flat buffer: the optimiser moves the data and the gradient of every parameter into one
    vector each (of shape (total number of weights,)) and leaves each `p.data` and `p.grad` a
    view of its piece, so each line of `step` is one NumPy operation over the whole network
    (the last subtracts each parameter's piece of the update: the same elements, in place).
    All parameters must therefore share one dtype. A parameter whose `data` or `grad` is
    replaced by a new array later is moved back in at the next step.

    Args:
        params: parameters to update, all of one dtype. lr: learning rate (> 0).
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
        dtypes = sorted({str(p.data.dtype) for p in self.params})
        if len(dtypes) > 1:
            raise TypeError(
                "Adam keeps all parameters in one flat buffer, so they need one dtype; "
                f"got {dtypes}. "
                "Build every layer with the same dtype (e.g. dtype=np.float64 everywhere)"
            )
        self.betas = betas
        self.eps = eps
        size, dtype = sum(p.data.size for p in self.params), self.params[0].data.dtype
        buffers = (np.zeros(size, dtype) for _ in range(5))
        self._data, self._grad, self._m, self._v, self._update = buffers
        ends = np.cumsum([p.data.size for p in self.params])
        pieces = [slice(end - p.data.size, end) for p, end in zip(self.params, ends)]
        self._data_views, self._grad_views, self._updates = (
            [buffer[s].reshape(p.shape) for p, s in zip(self.params, pieces)]
            for buffer in (self._data, self._grad, self._update)
        )
        self._move_into_buffers()
        self._t = 0

    def _move_into_buffers(self) -> None:
        """Copy any parameter's data or grad that is not yet a view of the flat buffers into
        them, and make the view its `data` / `grad` (a no-op once all of them are views)."""
        for p, data, grad in zip(self.params, self._data_views, self._grad_views):
            if p.data is not data:
                data[...] = p.data
                p.data = data
            if p.grad is not grad:
                grad[...] = p.grad
                p.grad = grad

    def _decayed_gradient(self) -> Array:
        """g = grad + wd * p over the whole network (the flat gradient itself when wd == 0)."""
        if not self.weight_decay:
            return self._grad
        np.multiply(self._data, self.weight_decay, out=self._update)
        self._update += self._grad
        return self._update

    def step(self) -> None:
        """One Adam update of every parameter; t counts the steps taken (from 1).

        The buffers hold M = m / (1 - b1) and V = v / (1 - b2), which take one operation
        fewer to update: M = b1 M + g, V = b2 V + g^2. With k = sqrt((1 - b2) / (1 - b2^t)),
        lr * m_hat / (sqrt(v_hat) + eps) = (lr (1 - b1) / ((1 - b1^t) k)) * M / (sqrt(V) + eps / k).
        """
        self._move_into_buffers()
        self._t += 1
        b1, b2 = self.betas
        k = math.sqrt((1 - b2) / (1 - b2**self._t))
        g, m, v, update = self._decayed_gradient(), self._m, self._v, self._update
        m *= b1
        m += g
        np.multiply(g, g, out=update)  # g may live in `update`: it is not needed after this line
        v *= b2
        v += update
        np.sqrt(v, out=update)
        update += self.eps / k
        np.divide(m, update, out=update)
        update *= self.lr * (1 - b1) / ((1 - b1**self._t) * k)
        for p, p_update in zip(self.params, self._updates):
            p.data -= p_update


class RMSprop(Optimizer):
    """RMSProp (Hinton, 2012): divide each gradient by a running root mean square (PyTorch's rule).

    g = grad + wd * p;  v = alpha v + (1 - alpha) g^2 (v starts at 0);
    p = p - lr * g / (sqrt(v) + eps).

    Args:
        params: parameters to update. lr: learning rate (> 0).
        alpha: smoothing constant of the running mean of g^2, in [0, 1). eps: added to the
            denominator (> 0). weight_decay: L2 coefficient (>= 0).
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        _check_range("alpha", alpha, 0.0, 1.0)
        if not eps > 0:
            raise ValueError(f"eps must be positive, got {eps}")
        self.alpha = alpha
        self.eps = eps
        self._scratch = [np.zeros_like(p.data) for p in self.params]
        self._square_avg = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        """p = p - lr * g / (sqrt(v) + eps), after v = alpha v + (1 - alpha) g^2."""
        for p, scratch, v in zip(self.params, self._scratch, self._square_avg):
            g = self._decayed_grad(p, scratch)
            v *= self.alpha
            v += (1 - self.alpha) * g * g
            update = g / (np.sqrt(v) + self.eps)
            update *= self.lr
            p.data -= update


class LRScheduler:
    """Base class of learning-rate schedules, as PyTorch's: call `step()` once per epoch.

    The schedule sets `optimizer.lr = lr_at(epoch)`, with epoch 0 at construction (lr = the
    optimiser's initial lr, `base_lr`) and one more after every `step()`.

    Args:
        optimizer: the optimiser whose `lr` the schedule sets.
    """

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.epoch = 0

    def lr_at(self, epoch: int) -> float:
        """The learning rate for `epoch` (0 = before the first step)."""
        raise NotImplementedError(f"{type(self).__name__} must implement lr_at(epoch)")

    def step(self) -> None:
        """Move to the next epoch and set the optimiser's learning rate for it."""
        self.epoch += 1
        self.optimizer.lr = self.lr_at(self.epoch)


class StepLR(LRScheduler):
    """Multiply the learning rate by gamma every `step_size` epochs (PyTorch's `StepLR`).

    lr(epoch) = base_lr * gamma ** floor(epoch / step_size).

    Args:
        optimizer: the optimiser to schedule. step_size: epochs between decays (>= 1).
        gamma: decay factor, in (0, 1].
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        if step_size < 1:
            raise ValueError(f"step_size must be a positive number of epochs, got {step_size}")
        if not 0 < gamma <= 1:
            raise ValueError(f"gamma must be in (0, 1], got {gamma}")
        super().__init__(optimizer)
        self.step_size = step_size
        self.gamma = gamma

    def lr_at(self, epoch: int) -> float:
        """base_lr * gamma ** (epoch // step_size)."""
        return self.base_lr * self.gamma ** (epoch // self.step_size)


class CosineAnnealingLR(LRScheduler):
    """Lower the learning rate along half a cosine over `t_max` epochs (PyTorch's closed form).

    lr(epoch) = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / t_max)) / 2.

    Args:
        optimizer: the optimiser to schedule. t_max: epochs to reach eta_min (>= 1).
        eta_min: the final learning rate (>= 0).
    """

    def __init__(self, optimizer: Optimizer, t_max: int, eta_min: float = 0.0) -> None:
        if t_max < 1:
            raise ValueError(f"t_max must be a positive number of epochs, got {t_max}")
        if not eta_min >= 0:
            raise ValueError(f"eta_min must be >= 0, got {eta_min}")
        super().__init__(optimizer)
        self.t_max = t_max
        self.eta_min = eta_min

    def lr_at(self, epoch: int) -> float:
        """eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / t_max)) / 2."""
        return (
            self.eta_min
            + (self.base_lr - self.eta_min) * (1 + math.cos(math.pi * epoch / self.t_max)) / 2
        )
