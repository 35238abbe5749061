"""Dropout (Srivastava et al., 2014): during training, zero random units so none can be relied on
alone."""

from __future__ import annotations

import numpy as np

from nnlib.module import Array, Module, RNGLike


class Dropout(Module):
    """Inverted dropout, as PyTorch's `nn.Dropout`: y = x * mask / (1 - p) in training, y = x in
    eval.

    In training mode every entry of x is kept with probability 1 - p (mask = 1) or zeroed with
    probability p (mask = 0), and the kept entries are scaled by 1 / (1 - p) so that the
    expected output equals x. In evaluation mode (`eval()`) the layer is the identity, so a
    trained network needs no rescaling at test time. Backward uses the mask of the last
    forward pass: dL/dx = dL/dy * mask / (1 - p) (dL/dx = dL/dy in eval). p = 1 zeroes everything.

    Args:
        p: probability of zeroing an entry, in [0, 1].
        rng: a `np.random.Generator`, an int seed or None; the masks are drawn from it.
    """

    def __init__(self, p: float = 0.5, rng: RNGLike = None) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout probability p must be in [0, 1], got {p}")
        self.p = p
        self.rng = np.random.default_rng(rng)
        self._scaled_mask: Array | None = None  # mask / (1 - p) of the last training forward
        self._shape: tuple[int, ...] | None = None

    def forward(self, x: Array) -> Array:
        """y = x * mask / (1 - p) in training mode, y = x in evaluation mode.

        Args:
            x: inputs of any shape, e.g. (batch, features).
        Returns:
            outputs of the shape and dtype of x.
        """
        x = np.asarray(x)
        self._shape = x.shape
        if not self.training or self.p == 0.0:
            self._scaled_mask = None
            return x
        keep = self.rng.random(x.shape) >= self.p
        scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)
        self._scaled_mask = (keep * scale).astype(x.dtype)
        return x * self._scaled_mask

    def backward(self, grad_out: Array) -> Array:
        """dL/dx = dL/dy * mask / (1 - p) with the last forward's mask (dL/dy itself in eval).

        Args:
            grad_out: dL/dy, the shape of the last forward output.
        Returns:
            dL/dx, the same shape.
        """
        grad_out = self._check_grad(grad_out, self._cached(self._shape))
        if self._scaled_mask is None:
            return grad_out
        return grad_out * self._scaled_mask

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"
