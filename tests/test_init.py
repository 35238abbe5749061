"""Tests for nnlib.init: shapes, dtypes, the distributions' scales, seeding and lookup by name."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from nnlib.init import (
    INITIALIZERS,
    get_initializer,
    he_normal,
    he_uniform,
    normal,
    xavier_normal,
    xavier_uniform,
)

FAN_IN, FAN_OUT = 200, 300  # 60 000 draws: sample std within ~1% of the true one

# (initialiser, "uniform" bound a or "normal" std) for fan_in=200, fan_out=300, from the formulas
EXPECTED = [
    (xavier_uniform, "uniform", np.sqrt(6 / (FAN_IN + FAN_OUT))),
    (he_uniform, "uniform", np.sqrt(6 / FAN_IN)),
    (xavier_normal, "normal", np.sqrt(2 / (FAN_IN + FAN_OUT))),
    (he_normal, "normal", np.sqrt(2 / FAN_IN)),
    (normal, "normal", 0.01),
]
IDS = [f.__name__ for f, _, _ in EXPECTED]


@pytest.mark.parametrize(("init", "kind", "scale"), EXPECTED, ids=IDS)
def test_distribution_has_the_formula_scale(
    init: Callable[..., np.ndarray], kind: str, scale: float
) -> None:
    w = init(FAN_IN, FAN_OUT, 0)
    assert w.shape == (FAN_IN, FAN_OUT), f"expected shape ({FAN_IN}, {FAN_OUT}), got {w.shape}"
    assert w.dtype == np.float32, f"expected float32 by default, got {w.dtype}"
    std = scale / np.sqrt(3) if kind == "uniform" else scale  # std of U(-a, a) is a / sqrt(3)
    assert abs(w.std() - std) < 0.03 * std, (
        f"{init.__name__}: expected std {std:.5f}, got {w.std():.5f}"
    )
    assert abs(w.mean()) < 0.02 * std, (
        f"{init.__name__}: expected mean 0, got {w.mean():.2e} (std {std:.5f})"
    )
    if kind == "uniform":
        assert np.abs(w).max() <= scale, (
            f"{init.__name__}: values must lie in [-{scale:.5f}, {scale:.5f}]"
        )
        assert np.abs(w).max() > 0.99 * scale, (
            f"{init.__name__}: expected values near the bound {scale:.5f}"
        )


def test_normal_accepts_a_custom_std() -> None:
    w = normal(FAN_IN, FAN_OUT, 0, std=0.5)
    assert abs(w.std() - 0.5) < 0.015, f"expected std 0.5, got {w.std():.4f}"


@pytest.mark.parametrize("init", [f for f, _, _ in EXPECTED], ids=IDS)
def test_seeding_and_dtype(init: Callable[..., np.ndarray]) -> None:
    a, b = init(3, 4, 42), init(3, 4, 42)
    np.testing.assert_array_equal(a, b, err_msg="the same int seed must give the same weights")
    gen = np.random.default_rng(7)
    first, second = init(3, 4, gen), init(3, 4, gen)
    assert not np.array_equal(first, second), (
        "a Generator must be advanced, giving new weights on each call"
    )
    np.testing.assert_array_equal(
        first, init(3, 4, np.random.default_rng(7)), err_msg="a Generator must be used as given"
    )
    assert init(3, 4).shape == (3, 4), "rng=None must work (fresh entropy)"
    w64 = init(3, 4, 42, dtype=np.float64)
    assert w64.dtype == np.float64, f"expected float64 when asked, got {w64.dtype}"


def test_get_initializer_by_name_and_callable() -> None:
    expected = {
        "he": he_normal,
        "he_uniform": he_uniform,
        "xavier": xavier_uniform,
        "xavier_normal": xavier_normal,
        "normal": normal,
    }
    got = {name: get_initializer(name) for name in expected}
    assert got == expected, f"expected {expected}, got {got}"
    assert set(INITIALIZERS) == set(expected), (
        f"expected names {sorted(expected)}, got {sorted(INITIALIZERS)}"
    )

    def ones(fan_in: int, fan_out: int, rng: object = None) -> np.ndarray:
        return np.ones((fan_in, fan_out))

    assert get_initializer(ones) is ones, "a callable must be returned unchanged"


def test_unknown_initializer_lists_the_valid_names() -> None:
    with pytest.raises(ValueError, match="'glorot'") as info:
        get_initializer("glorot")
    for name in INITIALIZERS:
        assert repr(name) in str(info.value), f"the error should list {name!r}; got: {info.value}"


@pytest.mark.parametrize(("fan_in", "fan_out"), [(0, 3), (3, 0), (-1, 2)])
def test_non_positive_fans_are_rejected_naming_them(fan_in: int, fan_out: int) -> None:
    with pytest.raises(ValueError, match=f"fan_in={fan_in}, fan_out={fan_out}"):
        he_normal(fan_in, fan_out)


def test_normal_rejects_a_non_positive_std() -> None:
    with pytest.raises(ValueError, match="std must be positive, got -0.1"):
        normal(2, 2, std=-0.1)
