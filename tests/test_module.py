"""Tests for nnlib.module: Parameter, and Module's parameter discovery, modes, caching errors."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from nnlib.module import Array, Module, Parameter


class Scale(Module):
    """y = a * x with one trainable scalar a, a minimal Module for exercising the base class."""

    def __init__(self, a: float = 2.0) -> None:
        self.a = Parameter(np.array([a]), "a")
        self._x: Array | None = None

    def forward(self, x: Array) -> Array:
        self._x = x
        return self.a.data * x

    def backward(self, grad_out: Array) -> Array:
        x = self._cached(self._x)
        grad_out = self._check_grad(grad_out, x.shape)
        self.a.grad += np.sum(grad_out * x)
        return grad_out * self.a.data


class Pair(Module):
    """Two children and an own parameter, to check naming and mode propagation."""

    def __init__(self) -> None:
        self.first = Scale(1.0)
        self.offset = Parameter(np.zeros(3), "offset")
        self.second = Scale(3.0)


def test_parameter_holds_data_and_zero_grad_of_same_shape_and_dtype() -> None:
    p = Parameter(np.arange(6, dtype=np.float32).reshape(2, 3), "w")
    assert p.shape == (2, 3), f"expected shape (2, 3), got {p.shape}"
    assert p.grad.shape == p.data.shape and p.grad.dtype == np.float32, (
        f"expected grad (2, 3) float32, got {p.grad.shape} {p.grad.dtype}"
    )
    assert not p.grad.any(), f"expected a zero gradient, got {p.grad}"


def test_parameter_zero_grad_resets_in_place() -> None:
    p = Parameter(np.ones(4))
    buffer = p.grad
    p.grad += 5.0
    p.zero_grad()
    assert p.grad is buffer, "zero_grad must reuse the gradient buffer, not allocate a new one"
    assert not p.grad.any(), f"expected zeros after zero_grad, got {p.grad}"


def test_parameter_rejects_integer_data_naming_the_dtype() -> None:
    with pytest.raises(TypeError, match=r"'w'.*int64"):
        Parameter(np.array([1, 2, 3], dtype=np.int64), "w")


def test_named_parameters_lists_own_then_children_with_dotted_names() -> None:
    module = Pair()
    names = [name for name, _ in module.named_parameters()]
    assert names == ["offset", "first.a", "second.a"], (
        f"expected ['offset', 'first.a', 'second.a'], got {names}"
    )
    assert module.parameters()[1] is module.first.a, (
        "parameters() must return the Parameter objects themselves"
    )


def test_zero_grad_resets_every_parameter_of_every_child() -> None:
    module = Pair()
    for p in module.parameters():
        p.grad += 1.0
    module.zero_grad()
    leftovers = {name: p.grad for name, p in module.named_parameters() if p.grad.any()}
    assert not leftovers, (
        f"expected all gradients zero after zero_grad, still non-zero: {leftovers}"
    )


def test_train_and_eval_propagate_to_children() -> None:
    module = Pair()
    assert module.training and module.first.training, "modules start in training mode"
    returned = module.eval()
    assert returned is module, "eval() returns the module itself so calls can be chained"
    modes = [module.training, module.first.training, module.second.training]
    assert modes == [False, False, False], (
        f"expected every module in eval mode after eval(), got {modes}"
    )
    module.train()
    modes = [module.training, module.first.training, module.second.training]
    assert modes == [True, True, True], (
        f"expected every module in training mode after train(), got {modes}"
    )


def test_call_is_forward() -> None:
    module = Scale(2.0)
    x = np.array([1.0, -2.0])
    np.testing.assert_array_equal(
        module(x), [2.0, -4.0], err_msg="module(x) must equal forward(x) = 2 x"
    )


def test_backward_accumulates_and_default_backward_params_uses_backward() -> None:
    module = Scale(2.0)
    x = np.array([1.0, 3.0])
    module(x)
    grad_in = module.backward(np.ones(2))
    np.testing.assert_array_equal(grad_in, [2.0, 2.0], err_msg="dL/dx = a * dL/dy")
    assert module.a.grad[0] == 4.0, f"expected da = sum(g * x) = 4, got {module.a.grad[0]}"
    result = module.backward_params(np.ones(2))
    assert result is None, f"backward_params returns nothing, got {result!r}"
    assert module.a.grad[0] == 8.0, (
        f"expected da accumulated to 8 after a second pass, got {module.a.grad[0]}"
    )


def test_backward_before_forward_names_the_module() -> None:
    with pytest.raises(RuntimeError, match=r"Scale\.backward was called before forward"):
        Scale().backward(np.ones(2))


def test_backward_with_wrong_gradient_shape_names_both_shapes() -> None:
    module = Scale()
    module(np.ones((2, 3)))
    with pytest.raises(
        ValueError, match=r"Scale\.backward expected grad_out of shape \(2, 3\).*got \(3, 2\)"
    ):
        module.backward(np.ones((3, 2)))


def test_unimplemented_forward_and_backward_name_the_subclass() -> None:
    class Empty(Module):
        pass

    with pytest.raises(NotImplementedError, match="Empty must implement forward"):
        Empty()(np.ones(1))
    with pytest.raises(NotImplementedError, match="Empty must implement backward"):
        Empty().backward(np.ones(1))


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda: [Scale(), Scale()], "list"),
        (lambda: (Scale(),), "tuple"),
        (lambda: {"first": Scale()}, "dict"),
        (lambda: [[Scale()], [Scale()]], "list"),
        (lambda: [Parameter(np.ones(2))], "list"),
    ],
    ids=["list", "tuple", "dict", "nested", "parameters"],
)
def test_modules_in_a_container_attribute_are_refused_not_dropped(
    make: Callable[[], object], kind: str
) -> None:
    module = Pair()
    module.blocks = make()
    message = rf"Pair\.blocks is a {kind} holding modules or parameters.*Sequential\(\*modules\)"
    for discover in (module.named_parameters, module.parameters, module.train, module.zero_grad):
        with pytest.raises(TypeError, match=message):
            discover()


def test_containers_without_modules_are_fine() -> None:
    module = Pair()
    module.sizes = [3, 4]
    module.cache = (np.ones(2), None)
    module.options = {"scale": 2.0}
    names = [name for name, _ in module.named_parameters()]
    assert names == ["offset", "first.a", "second.a"], (
        f"plain containers must be ignored, got {names}"
    )
