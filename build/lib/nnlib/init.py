"""Weight initialisation: random (fan_in, fan_out) matrices scaled so signals neither vanish nor explode.

Xavier (Glorot & Bengio, 2010) keeps the variance of activations and gradients equal across
tanh/sigmoid layers: Var(w) = 2 / (fan_in + fan_out). He (He et al., 2015) compensates for
ReLU zeroing half its inputs: Var(w) = 2 / fan_in.

Every initialiser has the signature `(fan_in, fan_out, rng=None, dtype=np.float32)`; `rng` is
a `np.random.Generator`, an int seed, or None for fresh OS entropy.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import numpy as np
from numpy.typing import DTypeLike

from nnlib.module import Array

RNGLike: TypeAlias = np.random.Generator | int | None
Initializer: TypeAlias = Callable[[int, int, RNGLike], Array]
"""A function (fan_in, fan_out, rng) -> array of shape (fan_in, fan_out)."""


def _check_fans(fan_in: int, fan_out: int) -> None:
    if fan_in < 1 or fan_out < 1:
        raise ValueError(f"fan_in and fan_out must be positive, got fan_in={fan_in}, fan_out={fan_out}")


def _uniform(a: float, fan_in: int, fan_out: int, rng: RNGLike, dtype: DTypeLike) -> Array:
    result: Array = np.random.default_rng(rng).uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)
    return result


def _normal(std: float, fan_in: int, fan_out: int, rng: RNGLike, dtype: DTypeLike) -> Array:
    result: Array = np.random.default_rng(rng).normal(0.0, std, size=(fan_in, fan_out)).astype(dtype)
    return result


def xavier_uniform(fan_in: int, fan_out: int, rng: RNGLike = None, dtype: DTypeLike = np.float32) -> Array:
    """Xavier/Glorot uniform: w ~ U(-a, a), a = sqrt(6 / (fan_in + fan_out)).

    Args:
        fan_in: inputs per unit (rows). fan_out: units (columns).
        rng: Generator, int seed or None. dtype: dtype of the result.
    Returns:
        weights of shape (fan_in, fan_out).
    """
    _check_fans(fan_in, fan_out)
    return _uniform(float(np.sqrt(6.0 / (fan_in + fan_out))), fan_in, fan_out, rng, dtype)


def xavier_normal(fan_in: int, fan_out: int, rng: RNGLike = None, dtype: DTypeLike = np.float32) -> Array:
    """Xavier/Glorot normal: w ~ N(0, std^2), std = sqrt(2 / (fan_in + fan_out)).

    Args:
        fan_in: inputs per unit (rows). fan_out: units (columns).
        rng: Generator, int seed or None. dtype: dtype of the result.
    Returns:
        weights of shape (fan_in, fan_out).
    """
    _check_fans(fan_in, fan_out)
    return _normal(float(np.sqrt(2.0 / (fan_in + fan_out))), fan_in, fan_out, rng, dtype)


def he_normal(fan_in: int, fan_out: int, rng: RNGLike = None, dtype: DTypeLike = np.float32) -> Array:
    """He/Kaiming normal (for ReLU): w ~ N(0, std^2), std = sqrt(2 / fan_in).

    Args:
        fan_in: inputs per unit (rows). fan_out: units (columns).
        rng: Generator, int seed or None. dtype: dtype of the result.
    Returns:
        weights of shape (fan_in, fan_out).
    """
    _check_fans(fan_in, fan_out)
    return _normal(float(np.sqrt(2.0 / fan_in)), fan_in, fan_out, rng, dtype)


def he_uniform(fan_in: int, fan_out: int, rng: RNGLike = None, dtype: DTypeLike = np.float32) -> Array:
    """He/Kaiming uniform (for ReLU): w ~ U(-a, a), a = sqrt(6 / fan_in).

    Args:
        fan_in: inputs per unit (rows). fan_out: units (columns).
        rng: Generator, int seed or None. dtype: dtype of the result.
    Returns:
        weights of shape (fan_in, fan_out).
    """
    _check_fans(fan_in, fan_out)
    return _uniform(float(np.sqrt(6.0 / fan_in)), fan_in, fan_out, rng, dtype)


def normal(
    fan_in: int, fan_out: int, rng: RNGLike = None, std: float = 0.01, dtype: DTypeLike = np.float32
) -> Array:
    """Plain small normal: w ~ N(0, std^2), the same std at every depth (std=0.01 by default).

    Args:
        fan_in: inputs per unit (rows). fan_out: units (columns).
        rng: Generator, int seed or None. std: standard deviation (> 0). dtype: dtype of the result.
    Returns:
        weights of shape (fan_in, fan_out).
    """
    _check_fans(fan_in, fan_out)
    if not std > 0:
        raise ValueError(f"std must be positive, got {std}")
    return _normal(std, fan_in, fan_out, rng, dtype)


INITIALIZERS: dict[str, Initializer] = {
    "he": he_normal,
    "he_uniform": he_uniform,
    "xavier": xavier_uniform,
    "xavier_normal": xavier_normal,
    "normal": normal,
}
"""The initialisers `Dense(init=...)` accepts by name."""


def get_initializer(name_or_callable: str | Initializer) -> Initializer:
    """Look up an initialiser by name ("he", "he_uniform", "xavier", "xavier_normal", "normal").

    Args:
        name_or_callable: a name from INITIALIZERS, or a function (fan_in, fan_out, rng) -> array
            of shape (fan_in, fan_out), returned unchanged.
    Returns:
        the initialiser function.
    """
    if callable(name_or_callable):
        return name_or_callable
    if isinstance(name_or_callable, str) and name_or_callable in INITIALIZERS:
        return INITIALIZERS[name_or_callable]
    valid = ", ".join(repr(name) for name in INITIALIZERS)
    raise ValueError(f"unknown initializer {name_or_callable!r}; valid names are {valid}, or a callable")

