"""Tests for nnlib.optim: SGD and Adam updates against hand-computed values, in-place state,
checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from nnlib.module import Parameter
from nnlib.optim import SGD, Adam, Optimizer


def run(
    optimizer: Optimizer, p: Parameter, grads: Sequence[float] | None, steps: int = 3
) -> list[float]:
    """Take `steps` steps, setting p.grad to grads[t] first (or leaving it at 0); return p after
    each."""
    trajectory = []
    for t in range(steps):
        optimizer.zero_grad()
        if grads is not None:
            p.grad[...] = grads[t]
        optimizer.step()
        trajectory.append(float(p.data[0]))
    return trajectory


def buffer_ids(optimizer: Optimizer) -> list[int]:
    """Identities of every array the optimiser keeps in its list attributes (parameters and
    state)."""
    return [
        id(buf) for value in vars(optimizer).values() if isinstance(value, list) for buf in value
    ]


def assert_trajectory(got: list[float], expected: list[float], what: str) -> None:
    np.testing.assert_allclose(
        got, expected, rtol=1e-7, atol=1e-12, err_msg=f"{what}: parameter after steps 1..3"
    )


def test_sgd_plain() -> None:
    p = Parameter(np.array([0.0]))
    got = run(SGD([p], lr=0.1), p, [1.0, -2.0, 0.5])
    assert_trajectory(got, [-0.1, 0.1, 0.05], "SGD p -= lr * grad")


def test_sgd_momentum_starts_the_buffer_at_the_first_gradient() -> None:
    p = Parameter(np.array([0.0]))
    got = run(SGD([p], lr=0.1, momentum=0.9), p, [1.0, 1.0, 1.0])
    # v = 1, 1.9, 2.71 (v = 0.9 v + g, v_1 = g_1)
    assert_trajectory(got, [-0.1, -0.29, -0.561], "SGD momentum=0.9")


def test_sgd_weight_decay() -> None:
    p = Parameter(np.array([1.0]))
    got = run(SGD([p], lr=0.1, weight_decay=0.5), p, None)
    # g = 0.5 p, p <- 0.95 p
    assert_trajectory(got, [0.95, 0.9025, 0.857375], "SGD weight_decay=0.5, zero loss gradient")


def test_sgd_momentum_with_weight_decay() -> None:
    p = Parameter(np.array([1.0]))
    got = run(SGD([p], lr=0.1, momentum=0.9, weight_decay=0.5), p, None)
    # g1 = 0.5, v1 = 0.5; g2 = 0.475, v2 = 0.925; g3 = 0.42875, v3 = 1.26125
    assert_trajectory(got, [0.95, 0.8575, 0.731375], "SGD momentum=0.9, weight_decay=0.5")


def test_adam_bias_correction_makes_the_first_steps_lr_sized() -> None:
    p = Parameter(np.array([0.0]))
    got = run(Adam([p], lr=0.1), p, [2.0, 2.0, 2.0])
    # constant g: m_hat = g and v_hat = g^2 exactly, so each step is lr * g / (|g| + eps)
    step = 0.1 * 2.0 / (2.0 + 1e-8)
    assert_trajectory(got, [-step, -2 * step, -3 * step], "Adam with a constant gradient")


def test_adam_moments_by_hand() -> None:
    p = Parameter(np.array([0.0]))
    got = run(Adam([p], lr=1.0, betas=(0.5, 0.75), eps=1e-12), p, [1.0, -1.0, 2.0])
    # t=1: m = 0.5, v = 0.25, m_hat = 1, v_hat = 1, step 1
    # t=2: m = -0.25, v = 0.4375, m_hat = -0.25 / 0.75 = -1/3, v_hat = 0.4375 / 0.4375 = 1
    # t=3: m = 0.875, v = 1.328125, m_hat = 0.875 / 0.875 = 1, v_hat = 1.328125 / 0.578125 = 85 / 37
    assert_trajectory(
        got, [-1.0, -2 / 3, -2 / 3 - np.sqrt(37 / 85)], "Adam betas=(0.5, 0.75), lr=1"
    )


def test_adam_weight_decay_adds_wd_times_p_to_the_gradient() -> None:
    p = Parameter(np.array([1.0]))
    got = run(Adam([p], lr=0.1, betas=(0.5, 0.75), eps=1e-12, weight_decay=0.5), p, None, steps=2)
    # t=1: g = 0.5, p = 0.9. t=2: g = 0.45, m = 0.5*0.25 + 0.5*0.45 = 0.35, m_hat = 0.35/0.75;
    # v = 0.75*0.0625 + 0.25*0.2025 = 0.0975, v_hat = 0.0975/0.4375
    expected_2 = 0.9 - 0.1 * (0.35 / 0.75) / np.sqrt(0.0975 / 0.4375)
    np.testing.assert_allclose(
        got, [0.9, expected_2], rtol=1e-9, err_msg="Adam weight_decay=0.5, 2 steps"
    )


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_adam_on_many_parameters_matches_adam_on_each_alone(weight_decay: float) -> None:
    # Adam keeps the moments of all parameters in one vector: each must still get its own update
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (4,), (), (4, 2)]
    together = [Parameter(rng.standard_normal(shape)) for shape in shapes]
    alone = [Parameter(p.data.copy()) for p in together]
    joint = Adam(together, lr=0.1, betas=(0.5, 0.75), weight_decay=weight_decay)
    single = [Adam([p], lr=0.1, betas=(0.5, 0.75), weight_decay=weight_decay) for p in alone]
    for _ in range(3):
        grads = [rng.standard_normal(shape) for shape in shapes]
        for p, q, g in zip(together, alone, grads):
            p.grad[...] = g
            q.grad[...] = g
        joint.step()
        for optimizer in single:
            optimizer.step()
    for i, (p, q) in enumerate(zip(together, alone)):
        np.testing.assert_allclose(
            p.data, q.data, rtol=1e-12, err_msg=f"parameter {i} of shape {p.shape}"
        )


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1),
        lambda ps: Adam(ps, lr=0.1, weight_decay=0.1),
    ],
    ids=["SGD", "Adam"],
)
def test_step_updates_in_place_keeps_dtype_and_leaves_grad_alone(
    make: Callable[[list[Parameter]], Optimizer],
) -> None:
    p = Parameter(np.array([[1.0, -2.0], [0.5, 3.0]], dtype=np.float32))
    optimizer = make([p])
    data = p.data
    p.grad[...] = [[0.1, 0.2], [-0.3, 0.4]]
    grad_before = p.grad.copy()
    state_before = buffer_ids(optimizer)
    for _ in range(3):
        optimizer.step()
    assert p.data is data, (
        "step must update p.data in place (models and optimisers share the array)"
    )
    assert p.data.dtype == np.float32, f"step must keep float32, got {p.data.dtype}"
    np.testing.assert_array_equal(p.grad, grad_before, err_msg="step must not modify p.grad")
    state_after = buffer_ids(optimizer)
    assert state_after == state_before, "optimiser state buffers must be reused, not reallocated"


def test_zero_grad_resets_every_parameter() -> None:
    ps = [Parameter(np.ones(2)), Parameter(np.ones((2, 2)))]
    for p in ps:
        p.grad += 3.0
    SGD(ps, lr=0.1).zero_grad()
    assert all(not p.grad.any() for p in ps), f"expected zero gradients, got {[p.grad for p in ps]}"


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan")])
def test_bad_learning_rate_is_named(lr: float) -> None:
    with pytest.raises(ValueError, match=f"lr must be a positive number, got {lr}"):
        SGD([Parameter(np.ones(1))], lr=lr)
    with pytest.raises(ValueError, match=f"lr must be a positive number, got {lr}"):
        Adam([Parameter(np.ones(1))], lr=lr)


@pytest.mark.parametrize("momentum", [1.0, -0.1])
def test_bad_momentum_is_named(momentum: float) -> None:
    with pytest.raises(ValueError, match=rf"momentum must be in \[0.0, 1.0\), got {momentum}"):
        SGD([Parameter(np.ones(1))], lr=0.1, momentum=momentum)


@pytest.mark.parametrize(
    ("betas", "which"), [((1.0, 0.999), "betas\\[0\\]"), ((0.9, -0.5), "betas\\[1\\]")]
)
def test_bad_betas_are_named(betas: tuple[float, float], which: str) -> None:
    with pytest.raises(ValueError, match=rf"{which} must be in \[0.0, 1.0\)"):
        Adam([Parameter(np.ones(1))], betas=betas)


def test_bad_eps_and_weight_decay_are_named() -> None:
    with pytest.raises(ValueError, match="eps must be positive, got 0.0"):
        Adam([Parameter(np.ones(1))], eps=0.0)
    with pytest.raises(ValueError, match="weight_decay must be >= 0, got -0.1"):
        SGD([Parameter(np.ones(1))], lr=0.1, weight_decay=-0.1)


def test_empty_parameter_list_is_rejected() -> None:
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match="empty parameter list"):
        Adam(iter([]))


def test_non_parameters_and_duplicates_are_rejected() -> None:
    with pytest.raises(TypeError, match="parameter 1 is a ndarray, not a Parameter"):
        SGD([Parameter(np.ones(1)), np.ones(1)], lr=0.1)  # type: ignore[list-item]
    p = Parameter(np.ones(1))
    with pytest.raises(ValueError, match="same Parameter more than once"):
        Adam([p, p])


def test_adam_keeps_every_parameter_in_one_flat_buffer() -> None:
    ps = [Parameter(np.ones((2, 3), dtype=np.float32)), Parameter(np.zeros(3, dtype=np.float32))]
    optimizer = Adam(ps, lr=0.1)
    for what in ("data", "grad"):
        bases = [getattr(p, what).base for p in ps]
        assert bases[0] is not None and all(b is bases[0] for b in bases), (
            f"every p.{what} must be a view of one flat buffer, got bases {bases}"
        )
    np.testing.assert_array_equal(
        ps[0].data, np.ones((2, 3)), err_msg="moving into the buffer keeps the values"
    )
    for p in ps:
        p.grad[...] = 1.0
    optimizer.step()
    np.testing.assert_allclose(
        ps[1].data, -0.1, rtol=1e-5, err_msg="the first step is lr-sized on every parameter"
    )


def test_adam_follows_a_parameter_whose_arrays_were_replaced() -> None:
    p = Parameter(np.array([1.0, 2.0]))
    optimizer = Adam([p], lr=0.1)
    p.data = np.array([10.0, 20.0])  # e.g. restored from a checkpoint
    p.grad = np.array([1.0, -1.0])
    optimizer.step()
    np.testing.assert_allclose(
        p.data, [9.9, 20.1], rtol=1e-6, err_msg="the step must use the new arrays"
    )
    p.grad[...] = [1.0, -1.0]
    optimizer.step()
    np.testing.assert_allclose(p.data, [9.8, 20.2], rtol=1e-6, err_msg="and keep following them")


def test_two_adams_on_the_same_parameters_each_update_the_current_values() -> None:
    p = Parameter(np.array([0.0]))
    first, second = Adam([p], lr=0.1), Adam([p], lr=0.1)
    for optimizer in (first, second, first):
        p.grad[...] = 1.0
        optimizer.step()
    np.testing.assert_allclose(
        p.data, [-0.3], rtol=1e-6, err_msg="three lr-sized steps, whichever optimiser took them"
    )


def test_adam_rejects_parameters_of_different_dtypes_naming_them() -> None:
    ps = [Parameter(np.ones(2, dtype=np.float32)), Parameter(np.ones(2, dtype=np.float64))]
    with pytest.raises(TypeError, match=r"one dtype; got \['float32', 'float64'\]"):
        Adam(ps)
