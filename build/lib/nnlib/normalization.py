"""Batch normalisation (Ioffe & Szegedy, 2015): normalise each feature over the batch, then rescale."""
from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike

from nnlib.module import Array, Module, Parameter


class BatchNorm1d(Module):
    """Batch normalisation of (batch, features) inputs, y = gamma * (x - mean) / sqrt(var + eps) + beta.

    Training mode uses the batch mean and biased variance and updates the running statistics
    running_mean = (1 - momentum) running_mean + momentum * mean and
    running_var = (1 - momentum) running_var + momentum * var * N / (N - 1) (unbiased, as PyTorch);
    evaluation mode (`eval()`) normalises with the running statistics instead.

    Args:
        num_features: number of features C. momentum: weight of the new batch in the running
            statistics, in [0, 1]. eps: added to the variance (> 0). dtype: parameter dtype.
    Attributes:
        weight: gamma, Parameter (C,), ones. bias: beta, Parameter (C,), zeros.
        running_mean: (C,), zeros at first. running_var: (C,), ones at first.
    """

    def __init__(
        self, num_features: int, momentum: float = 0.1, eps: float = 1e-5, dtype: DTypeLike = np.float32
    ) -> None:
        if num_features < 1:
            raise ValueError(f"BatchNorm1d needs num_features >= 1, got {num_features}")
        if not 0 <= momentum <= 1:
            raise ValueError(f"BatchNorm1d momentum must be in [0, 1], got {momentum}")
        if not eps > 0:
            raise ValueError(f"BatchNorm1d eps must be positive, got {eps}")
        self.num_features = num_features
        self.momentum = momentum
        self.eps = eps
        self.weight = Parameter(np.ones(num_features, dtype=dtype), "weight")
        self.bias = Parameter(np.zeros(num_features, dtype=dtype), "bias")
        self.running_mean = np.zeros(num_features, dtype=dtype)
        self.running_var = np.ones(num_features, dtype=dtype)
        self._cache: tuple[Array, Array, bool] | None = None

    def forward(self, x: Array) -> Array:
        """Normalise each feature (column), then scale by gamma and shift by beta.

        Args:
            x: inputs of shape (batch, num_features); batch >= 2 in training mode.
        Returns:
            outputs of shape (batch, num_features).
        """
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(
                f"BatchNorm1d({self.num_features}) expects input of shape (batch, {self.num_features}), "
                f"got {x.shape}"
            )
        x = x.astype(self.weight.data.dtype, copy=False)
        n = x.shape[0]
        if self.training:
            if n < 2:
                raise ValueError(
                    f"BatchNorm1d in training mode needs a batch of at least 2 rows to estimate a "
                    f"variance, got input of shape {x.shape} (call eval() to use running statistics)"
                )
            mean = x.mean(axis=0)
            var = x.var(axis=0)
            m = self.momentum
            self.running_mean *= 1 - m
            self.running_mean += m * mean
            self.running_var *= 1 - m
            self.running_var += (m * n / (n - 1)) * var
        else:
            mean, var = self.running_mean, self.running_var
        inv_std = 1 / np.sqrt(var + self.eps)
        x_hat = (x - mean) * inv_std
        self._cache = (x_hat, inv_std, self.training)
        return x_hat * self.weight.data + self.bias.data

    def backward(self, grad_out: Array) -> Array:
        """Accumulate dL/dgamma = sum_i g_i x_hat_i, dL/dbeta = sum_i g_i; return dL/dx.

        Training mode (mean and var depend on x):
        dL/dx = gamma * inv_std / N * (N g - sum_i g_i - x_hat * sum_i g_i x_hat_i).
        Evaluation mode (running statistics are constants): dL/dx = g * gamma * inv_std.

        Args:
            grad_out: dL/dy, shape (batch, num_features).
        Returns:
            dL/dx, shape (batch, num_features).
        """
        x_hat, inv_std, batch_stats = self._cached(self._cache)
        g = self._check_grad(grad_out, x_hat.shape).astype(x_hat.dtype, copy=False)
        dgamma = (g * x_hat).sum(axis=0)
        dbeta = g.sum(axis=0)
        self.weight.grad += dgamma
        self.bias.grad += dbeta
        scale = self.weight.data * inv_std
        if not batch_stats:
            return g * scale
        n = g.shape[0]
        return (scale / n) * (n * g - dbeta - x_hat * dgamma)

    def __repr__(self) -> str:
        return f"BatchNorm1d({self.num_features}, momentum={self.momentum}, eps={self.eps})"
