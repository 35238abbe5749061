"""Tests for RMSprop and the learning-rate schedules of nnlib.optim, against PyTorch's rules by
hand.

PyTorch's RMSprop (torch.optim.RMSprop, centered=False, momentum=0):
    g = grad + wd * p;  v = alpha * v + (1 - alpha) * g^2, v_0 = 0;
    p = p - lr * g / (sqrt(v) + eps).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from nnlib.module import Parameter
from nnlib.optim import SGD, CosineAnnealingLR, RMSprop, StepLR


def trajectory(optimizer: RMSprop, p: Parameter, grads: list[float]) -> list[float]:
    """Set p.grad to each value of grads in turn and step; return p after every step."""
    out = []
    for g in grads:
        optimizer.zero_grad()
        p.grad[...] = g
        optimizer.step()
        out.append(float(p.data.flat[0]))
    return out


def test_rmsprop_defaults_by_hand() -> None:
    p = Parameter(np.array([0.0]))
    got = trajectory(RMSprop([p]), p, [1.0, -2.0, 0.5])  # lr 0.01, alpha 0.99, eps 1e-8
    expected = [
        -0.1,  # v = 0.01 * 1 = 0.01, sqrt 0.1: p = 0 - 0.01 * 1 / 0.1
        # v = 0.99 * 0.01 + 0.01 * 4 = 0.0499, sqrt 0.2233831: p = -0.1 + 0.02 / 0.2233831
        -0.0104677,
        # v = 0.99 * 0.0499 + 0.01 * 0.25 = 0.051901, sqrt 0.2278179: p -= 0.005 / 0.2278179
        -0.0324150,
    ]
    np.testing.assert_allclose(
        got, expected, rtol=2e-6, err_msg="RMSprop(lr=0.01, alpha=0.99): p after steps 1..3"
    )


def test_rmsprop_eps_is_added_outside_the_square_root() -> None:
    p = Parameter(np.array([0.0]))
    got = trajectory(RMSprop([p], lr=1.0, alpha=0.0, eps=1.0), p, [1.0])
    # v = g^2 = 1: PyTorch divides by sqrt(1) + 1 = 2 (p = -0.5); sqrt(1 + 1) would give -0.7071
    assert got == pytest.approx([-0.5]), f"p = p - lr * g / (sqrt(v) + eps) gives -0.5, got {got}"


def test_rmsprop_weight_decay_by_hand() -> None:
    p = Parameter(np.array([1.0]))
    got = trajectory(RMSprop([p], lr=0.1, alpha=0.9, weight_decay=0.5), p, [0.0, 0.0])
    # step 1: g = 0.5 * 1 = 0.5, v = 0.1 * 0.25 = 0.025, p = 1 - 0.1 * 0.5 / 0.1581139 = 0.6837722
    # step 2: g = 0.5 * 0.6837722 = 0.3418861, v = 0.9 * 0.025 + 0.1 * 0.1168861 = 0.0341886,
    #         p = 0.6837722 - 0.1 * 0.3418861 / 0.1849016 = 0.4988706
    np.testing.assert_allclose(
        got, [0.6837722, 0.4988706], rtol=1e-6, err_msg="RMSprop weight_decay=0.5"
    )


def test_rmsprop_step_size_does_not_depend_on_the_gradient_scale() -> None:
    small, large = Parameter(np.zeros(3)), Parameter(np.zeros(3))
    for p, scale in ((small, 1e-3), (large, 1e3)):
        trajectory(RMSprop([p], lr=0.01, alpha=0.0), p, [scale])
    np.testing.assert_allclose(
        small.data, large.data, rtol=1e-4, err_msg="g / sqrt(g^2) = sign(g): same first step"
    )


def test_rmsprop_keeps_dtype_shape_and_rejects_bad_settings() -> None:
    p = Parameter(np.ones((2, 3), dtype=np.float32))
    trajectory(RMSprop([p]), p, [1.0])
    assert p.data.dtype == np.float32 and p.data.shape == (2, 3)
    with pytest.raises(ValueError, match=r"alpha must be in \[0.0, 1.0\), got 1.0"):
        RMSprop([p], alpha=1.0)
    with pytest.raises(ValueError, match="eps must be positive, got 0"):
        RMSprop([p], eps=0)
    with pytest.raises(ValueError, match="learning rate lr must be a positive number"):
        RMSprop([p], lr=-1.0)


def test_step_lr_by_hand() -> None:
    optimizer = SGD([Parameter(np.zeros(1))], lr=0.1)
    schedule = StepLR(optimizer, step_size=2, gamma=0.5)
    lrs = [optimizer.lr]
    for _ in range(5):
        schedule.step()
        lrs.append(optimizer.lr)
    assert lrs == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]), (
        f"StepLR(step_size=2, gamma=0.5): {lrs}"
    )


def test_cosine_annealing_by_hand() -> None:
    optimizer = SGD([Parameter(np.zeros(1))], lr=1.0)
    schedule = CosineAnnealingLR(optimizer, t_max=4, eta_min=0.2)
    lrs = [optimizer.lr]
    for _ in range(4):
        schedule.step()
        lrs.append(optimizer.lr)
    # 0.2 + 0.8 * (1 + cos(pi * t / 4)) / 2 for t = 0..4
    half = 0.8 * (1 + math.cos(math.pi / 4)) / 2
    expected = [1.0, 0.2 + half, 0.6, 0.2 + 0.8 - half, 0.2]
    assert lrs == pytest.approx(expected), f"CosineAnnealingLR(t_max=4, eta_min=0.2): {lrs}"


def test_schedule_changes_the_optimisers_steps() -> None:
    p = Parameter(np.array([0.0]))
    optimizer = SGD([p], lr=1.0)
    schedule = StepLR(optimizer, step_size=1, gamma=0.1)
    for _ in range(3):
        optimizer.zero_grad()
        p.grad[...] = 1.0
        optimizer.step()
        schedule.step()
    assert float(p.data[0]) == pytest.approx(-1.11), "steps of lr 1, 0.1, 0.01 move p to -1.11"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda opt: StepLR(opt, step_size=0),
            "step_size must be a positive number of epochs, got 0",
        ),
        (lambda opt: StepLR(opt, step_size=1, gamma=0.0), r"gamma must be in \(0, 1\], got 0.0"),
        (
            lambda opt: CosineAnnealingLR(opt, t_max=0),
            "t_max must be a positive number of epochs, got 0",
        ),
        (
            lambda opt: CosineAnnealingLR(opt, t_max=3, eta_min=-1.0),
            "eta_min must be >= 0, got -1.0",
        ),
    ],
)
def test_schedules_reject_bad_settings(make: Callable[[SGD], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make(SGD([Parameter(np.zeros(1))], lr=0.1))
