"""The training loop: mini-batch gradient descent over epochs, with evaluation and prediction.

One step on a mini-batch B:  zero the gradients, forward, loss L_B, backward, optimizer step
(e.g. W <- W - lr * dL_B/dW). One epoch (`fit_epoch`) visits every sample once; `fit` runs
epochs, each in a fresh random order, and records a `History`.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from nnlib.losses import Loss
from nnlib.module import Array, Module, RNGLike
from nnlib.optim import Optimizer

__all__ = [
    "History",
    "TrainingDivergedError",
    "evaluate",
    "fit",
    "fit_epoch",
    "model_mode",
    "predict",
]


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or infinite during `fit`; the message names the epoch and batch."""


@dataclass
class History:
    """Per-epoch training record returned by `fit` (index e = epoch e + 1).

    `loss` / `accuracy`: mean over the epoch's mini-batches, measured while the weights move.
    `val_loss` / `val_accuracy`: on `validation_data` after the epoch, in eval mode.
    Accuracy lists stay empty unless the loss declares `predicts_classes = True` (as
    `SoftmaxCrossEntropy` does); validation lists stay empty without validation data.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """Number of epochs recorded."""
        return len(self.loss)


def _progress_default() -> bool:
    """Progress bars on for a person watching: a terminal, or a notebook open in Jupyter.

    Off in CI and when a notebook is executed headless (book builds, nbgrader), which run
    kernels without the JPY_SESSION_NAME variable that a Jupyter server gives its kernels.
    Off in the browser (Pyodide): tqdm's monitor thread cannot start there, and its warning
    and bar would land on stderr, which the self-check scores as a failed cell.
    """
    if os.environ.get("CI") or sys.platform == "emscripten":
        return False
    shell = sys.modules.get("IPython")
    kernel = shell is not None and type(shell.get_ipython()).__name__ == "ZMQInteractiveShell"
    if kernel:
        return bool(os.environ.get("JPY_SESSION_NAME"))
    return sys.stderr is not None and sys.stderr.isatty()


def _epoch_bar(epochs: int, show: bool) -> tqdm:  # type: ignore[type-arg]
    """A tqdm bar over epochs 1..epochs (shown or not).

    In Pyodide without tqdm's monitor thread: tqdm starts it for every bar, shown or not, and
    where threads cannot start it warns on stderr (which fails a graded cell).
    """
    if sys.platform == "emscripten":
        tqdm.monitor_interval = 0
    return tqdm(range(1, epochs + 1), desc="epochs", unit="epoch", disable=not show)


def _check_xy(x: Array, y: np.ndarray, what: str) -> tuple[Array, np.ndarray]:
    """Arrays with one row per sample and as many targets as inputs."""
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim == 0 or y.ndim == 0 or x.shape[0] != y.shape[0]:
        raise ValueError(
            f"{what}: x and y need one row per sample, got x {x.shape} and y {y.shape}"
        )
    if x.shape[0] == 0:
        raise ValueError(f"{what}: got an empty data set, x {x.shape}")
    return x, y


def _check_positive(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _predicts_classes(loss_fn: Loss) -> bool:
    """Whether the loss declares class scores and labels (then accuracy is recorded)."""
    return bool(getattr(loss_fn, "predicts_classes", False))


@contextmanager
def model_mode(model: Module, training: bool) -> Iterator[Module]:
    """Run a `with` block with `model` in training (True) or evaluation (False) mode.

    The mode the model had before is restored afterwards, even if the block raises.

    Args:
        model: the network (its children follow, see `Module.train`).
        training: the mode inside the block.
    """
    was_training = model.training
    model.train(training)
    try:
        yield model
    finally:
        model.train(was_training)


def evaluate(
    model: Module, loss_fn: Loss, x: Array, y: np.ndarray, batch_size: int = 256
) -> tuple[float, float | None]:
    """Mean loss and accuracy on a data set, in eval mode, without touching any gradient.

    loss = (1/N) sum_B |B| L_B over batches B;  accuracy = mean(argmax(output) == y).

    Args:
        model: the network; its train/eval mode is restored afterwards.
        loss_fn: the loss, e.g. `SoftmaxCrossEntropy()`.
        x: inputs `(N, in_features)`.  y: targets `(N,)` labels or `(N, outputs)` values.
        batch_size: samples per forward pass (memory only, not the result).

    Returns:
        (loss, accuracy); accuracy is None unless `loss_fn.predicts_classes`.
    """
    x, y = _check_xy(x, y, "evaluate")
    _check_positive("batch_size", batch_size)
    classify = _predicts_classes(loss_fn)
    total, correct = 0.0, 0
    with model_mode(model, training=False):
        for start in range(0, x.shape[0], batch_size):
            xb, yb = x[start : start + batch_size], y[start : start + batch_size]
            out = model(xb)
            total += loss_fn(out, yb) * xb.shape[0]
            if classify:
                correct += int(np.count_nonzero(out.argmax(axis=1) == yb))
    n = x.shape[0]
    return total / n, (correct / n if classify else None)


def predict(model: Module, x: Array, batch_size: int = 256) -> Array:
    """The model's outputs for every row of x, in eval mode (BatchNorm uses running statistics).

    Args:
        model: the network; its train/eval mode is restored afterwards.
        x: inputs `(N, in_features)`.
        batch_size: samples per forward pass.

    Returns:
        outputs `(N, outputs)`, e.g. logits; `predict(model, x).argmax(axis=1)` gives classes.
    """
    x = np.asarray(x)
    if x.ndim == 0 or x.shape[0] == 0:
        raise ValueError(f"predict needs at least one sample, got x {x.shape}")
    _check_positive("batch_size", batch_size)
    with model_mode(model, training=False):
        outputs = [
            model(x[start : start + batch_size]) for start in range(0, x.shape[0], batch_size)
        ]
    return np.concatenate(outputs)


def _diverged(
    loss: float, epoch: int, batch: int, first: int, size: int, optimizer: Optimizer
) -> TrainingDivergedError:
    """The error for a NaN or infinite loss, naming where it happened and the likely fix."""
    return TrainingDivergedError(
        f"the loss became {loss} at epoch {epoch}, batch {batch} "
        f"(samples {first}-{first + size - 1} of the epoch's order): training diverged. "
        f"The learning rate lr={getattr(optimizer, 'lr', '?')} is probably too high: try it 10x "
        "smaller; also check the inputs are standardised and contain no NaN/inf"
    )


def fit_epoch(
    model: Module,
    loss_fn: Loss,
    optimizer: Optimizer,
    x: Array,
    y: np.ndarray,
    batch_size: int,
    order: np.ndarray | None = None,
    epoch: int = 1,
) -> tuple[float, float | None]:
    """One epoch: a gradient step on each mini-batch of `batch_size` samples, in `order`.

    Per batch B: `optimizer.zero_grad()`, out = model(x_B), L_B = loss_fn(out, y_B),
    backpropagate (skipping the unused gradient with respect to the data), `optimizer.step()`.

    Args:
        model, loss_fn, optimizer: as for `fit`; the model should be in train mode.
        x: inputs `(N, in_features)`.  y: targets `(N,)` labels or `(N, outputs)` values.
        batch_size: samples per step; the last batch may be smaller.
        order: the N row indices in the order to visit them (a shuffle), or None: as given.
        epoch: the epoch's number, named in the error if the loss diverges.

    Returns:
        (loss, accuracy): (1/N) sum_B |B| L_B, and the fraction of argmax(out) == y, which
        is None unless `loss_fn.predicts_classes`.

    Raises:
        TrainingDivergedError: the loss became NaN or infinite (usually lr too high).
    """
    n, classify = x.shape[0], _predicts_classes(loss_fn)
    total, correct = 0.0, 0
    for batch, start in enumerate(range(0, n, batch_size), start=1):
        rows = (
            slice(start, start + batch_size) if order is None else order[start : start + batch_size]
        )
        xb, yb = x[rows], y[rows]
        optimizer.zero_grad()
        out = model(xb)
        loss = loss_fn(out, yb)
        if not math.isfinite(loss):
            raise _diverged(loss, epoch, batch, start, xb.shape[0], optimizer)
        model.backward_params(loss_fn.backward())
        optimizer.step()
        total += loss * xb.shape[0]
        if classify:
            correct += int(np.count_nonzero(out.argmax(axis=1) == yb))
    return total / n, (correct / n if classify else None)


def fit(
    model: Module,
    loss_fn: Loss,
    optimizer: Optimizer,
    x: Array,
    y: np.ndarray,
    epochs: int,
    batch_size: int = 32,
    validation_data: tuple[Array, np.ndarray] | None = None,
    shuffle: bool = True,
    rng: RNGLike = None,
    progress: bool | None = None,
) -> History:
    """Train `model` by mini-batch gradient descent and return the per-epoch history.

    Each epoch draws a permutation of the N samples and runs `fit_epoch` over it, then
    evaluates the validation data (if any) in eval mode.

    Args:
        model: the network, in train mode during fit (its mode is restored afterwards).
        loss_fn: e.g. `SoftmaxCrossEntropy()` (then accuracy is recorded) or `MSELoss()`.
        optimizer: built on `model.parameters()`, e.g. `Adam(model.parameters(), lr=1e-3)`.
        x: inputs `(N, in_features)`; converted once to the parameters' dtype.
        y: targets, integer labels `(N,)` or values `(N, outputs)`.
        epochs: passes over the data (>= 1).
        batch_size: samples per step (>= 1); the last batch of an epoch may be smaller.
        validation_data: optional (x_val, y_val), evaluated in eval mode after every epoch.
        shuffle: new random order each epoch (False: the given order).
        rng: generator or seed for the shuffling.
        progress: tqdm bar over epochs; None = only when someone watches (terminal or
            Jupyter), so CI and book builds stay quiet.

    Returns:
        `History` with lists `loss`, `accuracy`, `val_loss`, `val_accuracy`.

    Raises:
        TrainingDivergedError: the loss became NaN or infinite (usually lr too high).
    """
    x, y = _check_xy(x, y, "fit")
    _check_positive("epochs", epochs)
    _check_positive("batch_size", batch_size)
    if validation_data is not None:
        validation_data = _check_xy(*validation_data, "fit validation_data")
    params = model.parameters()
    if params and np.issubdtype(x.dtype, np.floating) and x.dtype != params[0].data.dtype:
        x = x.astype(params[0].data.dtype)  # once, rather than one cast per batch
    gen = np.random.default_rng(rng)
    history = History()
    show = _progress_default() if progress is None else progress
    bar = _epoch_bar(epochs, show)
    with model_mode(model, training=True):
        try:
            for epoch in bar:
                order = gen.permutation(x.shape[0]) if shuffle else None
                loss, acc = fit_epoch(model, loss_fn, optimizer, x, y, batch_size, order, epoch)
                history.loss.append(loss)
                postfix = {"loss": f"{loss:.4f}"}
                if acc is not None:
                    history.accuracy.append(acc)
                    postfix["acc"] = f"{acc:.3f}"
                if validation_data is not None:
                    val_batch = max(batch_size, 256)
                    val_loss, val_acc = evaluate(
                        model, loss_fn, *validation_data, batch_size=val_batch
                    )
                    history.val_loss.append(val_loss)
                    postfix["val_loss"] = f"{val_loss:.4f}"
                    if val_acc is not None:
                        history.val_accuracy.append(val_acc)
                        postfix["val_acc"] = f"{val_acc:.3f}"
                bar.set_postfix(postfix, refresh=False)
        finally:
            bar.close()
    return history
