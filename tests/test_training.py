"""Tests of nnlib.training: the loop's bookkeeping, every error path, and real trainings."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

from nnlib.activations import ReLU, Tanh
from nnlib.data import load_digits, make_spirals, make_xor, standardize, train_test_split
from nnlib.layers import Dense, Sequential
from nnlib.losses import MSELoss, SoftmaxCrossEntropy
from nnlib.module import Array
from nnlib.normalization import BatchNorm1d
from nnlib.optim import SGD, Adam
from nnlib.training import (
    History,
    TrainingDivergedError,
    _epoch_bar,
    _progress_default,
    evaluate,
    fit,
    fit_epoch,
    model_mode,
    predict,
)


def _net(seed: int = 0, n_in: int = 4, n_out: int = 3) -> Sequential:
    return Sequential(Dense(n_in, 8, rng=seed), ReLU(), Dense(8, n_out, rng=seed + 1))


def _blobs(n: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.default_rng(seed)
    y = np.arange(n) % 3
    x = gen.standard_normal((n, 4)).astype(np.float32) + 3 * np.eye(3, 4, dtype=np.float32)[y]
    return x, y


def quiet_fit(
    model: Sequential, optimizer: SGD | Adam, x: np.ndarray, y: np.ndarray, **options: object
) -> History:
    """`fit` with softmax cross-entropy and no progress bar."""
    return fit(model, SoftmaxCrossEntropy(), optimizer, x, y, progress=False, **options)  # type: ignore[arg-type]


# bookkeeping ----------------------------------------------------------------------------------


def test_history_has_one_entry_per_epoch() -> None:
    x, y = _blobs()
    model = _net()
    history = quiet_fit(
        model,
        Adam(model.parameters(), 1e-2),
        x,
        y,
        epochs=4,
        batch_size=16,
        validation_data=(x[:10], y[:10]),
        rng=0,
    )
    assert isinstance(history, History) and history.epochs == 4
    assert len(history.accuracy) == len(history.val_loss) == len(history.val_accuracy) == 4
    assert history.loss[-1] < history.loss[0]
    assert all(0 <= a <= 1 for a in history.accuracy + history.val_accuracy)


def test_regression_records_no_accuracy() -> None:
    gen = np.random.default_rng(0)
    x = gen.standard_normal((40, 4)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5], [0.0]])).astype(np.float32)
    model = Sequential(Dense(4, 1, rng=0))
    history = fit(
        model,
        MSELoss(),
        SGD(model.parameters(), 0.1),
        x,
        y,
        epochs=30,
        batch_size=8,
        validation_data=(x, y),
        rng=0,
        progress=False,
    )
    assert history.accuracy == [] and history.val_accuracy == [] and len(history.val_loss) == 30
    assert history.val_loss[-1] < 1e-4
    np.testing.assert_allclose(model[0].weight.data.ravel(), [1.0, -2.0, 0.5, 0.0], atol=1e-2)


def test_epoch_loss_is_the_sample_weighted_mean_of_batch_losses() -> None:
    """With lr ~ 0 the weights barely move, so the epoch loss equals the full-batch loss."""
    x, y = _blobs(50)
    model = _net()
    expected, _ = evaluate(model, SoftmaxCrossEntropy(), x, y)
    history = quiet_fit(
        model, SGD(model.parameters(), 1e-12), x, y, epochs=1, batch_size=16, rng=0
    )  # batches of 16, 16, 16, 2
    assert history.loss[0] == pytest.approx(expected, rel=1e-5)


def test_same_seeds_same_history_and_shuffle_changes_it() -> None:
    x, y = _blobs()

    def run(shuffle: bool, rng: int) -> list[float]:
        model = _net()
        return quiet_fit(
            model,
            Adam(model.parameters(), 1e-2),
            x,
            y,
            epochs=3,
            batch_size=8,
            shuffle=shuffle,
            rng=rng,
        ).loss

    assert run(True, 5) == run(True, 5)
    assert run(True, 5) != run(True, 6)
    assert run(False, 5) == run(False, 6)


def test_fit_never_computes_the_input_gradient_of_the_first_layer() -> None:
    class NoInputGradient(Dense):
        def backward(self, grad_out: Array) -> Array:
            raise AssertionError("fit asked the first layer for dL/dx, which nobody uses")

    x, y = _blobs()
    model = Sequential(NoInputGradient(4, 8, rng=0), ReLU(), Dense(8, 3, rng=1))
    before = model[0].weight.data.copy()
    quiet_fit(model, SGD(model.parameters(), 0.1), x, y, epochs=1, rng=0)
    assert not np.array_equal(model[0].weight.data, before), "the first layer must still be trained"


def test_fit_restores_the_mode_and_leaves_data_alone() -> None:
    x, y = _blobs()
    x_before = x.copy()
    model = _net().eval()
    quiet_fit(model, SGD(model.parameters(), 0.1), x, y, epochs=1, rng=0)
    assert model.training is False
    np.testing.assert_array_equal(x, x_before)


def test_evaluate_and_predict_use_eval_mode_and_restore_it() -> None:
    x, y = _blobs()
    model = Sequential(Dense(4, 8, rng=0), BatchNorm1d(8), ReLU(), Dense(8, 3, rng=1))
    quiet_fit(model, Adam(model.parameters(), 1e-2), x, y, epochs=3, rng=0)
    assert model.training
    out = predict(model, x, batch_size=7)
    assert model.training, "predict must restore train mode"
    model.eval()
    np.testing.assert_allclose(out, model(x), rtol=1e-6)
    loss, acc = evaluate(model, SoftmaxCrossEntropy(), x, y, batch_size=7)
    assert loss == pytest.approx(SoftmaxCrossEntropy()(model(x), y), rel=1e-5)
    assert acc == pytest.approx(np.mean(model(x).argmax(axis=1) == y))
    assert model.training is False


def test_fit_is_its_epochs_run_by_fit_epoch_in_the_shuffled_order() -> None:
    x, y = _blobs()
    by_fit, by_hand = _net(), _net()
    history = quiet_fit(
        by_fit, Adam(by_fit.parameters(), 1e-2), x, y, epochs=2, batch_size=16, rng=4
    )
    gen, optimizer = np.random.default_rng(4), Adam(by_hand.parameters(), 1e-2)
    epochs = [
        fit_epoch(by_hand, SoftmaxCrossEntropy(), optimizer, x, y, 16, gen.permutation(60))
        for _ in range(2)
    ]
    assert history.loss == [loss for loss, _ in epochs] and history.accuracy == [
        acc for _, acc in epochs
    ]
    for (name, p), q in zip(by_fit.named_parameters(), by_hand.parameters()):
        np.testing.assert_array_equal(p.data, q.data, err_msg=f"{name} after two epochs")


class Undeclared:
    """A loss nnlib does not know (the cross-entropy, by composition) that declares nothing."""

    def __init__(self) -> None:
        self._inner = SoftmaxCrossEntropy()

    def __call__(self, pred: Array, target: np.ndarray) -> float:
        return self._inner(pred, target)

    def backward(self) -> Array:
        return self._inner.backward()


class Declared(Undeclared):
    predicts_classes = True


def test_a_new_loss_declares_whether_accuracy_is_recorded() -> None:
    x, y = _blobs()
    for loss_fn, recorded in [(Undeclared(), False), (Declared(), True)]:
        model = _net()
        history = fit(
            model, loss_fn, SGD(model.parameters(), 0.1), x, y, epochs=2, rng=0, progress=False
        )
        assert (len(history.accuracy) == 2) is recorded, (
            f"{type(loss_fn).__name__}: accuracy {history.accuracy}"
        )
        _, acc = evaluate(model, loss_fn, x, y)
        assert (acc is not None) is recorded, f"{type(loss_fn).__name__}: evaluate's accuracy {acc}"


def test_model_mode_sets_the_mode_and_restores_it_even_on_error() -> None:
    model = _net()
    with model_mode(model, training=False) as inside:
        assert inside is model and not model.training and not model[0].training
    assert model.training and model[0].training
    model.eval()
    with pytest.raises(KeyError), model_mode(model, training=True):
        assert model[2].training
        raise KeyError("boom")
    assert not model.training and not model[2].training, (
        "the mode before the block comes back after an error"
    )


def test_evaluate_regression_accuracy_is_none() -> None:
    x = np.ones((3, 4), dtype=np.float32)
    _, acc = evaluate(
        Sequential(Dense(4, 2, rng=0)), MSELoss(), x, np.zeros((3, 2), dtype=np.float32)
    )
    assert acc is None


def test_progress_bar_on_and_off(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    x, y = _blobs()
    model = _net()
    opt = Adam(model.parameters(), 1e-2)
    fit(model, SoftmaxCrossEntropy(), opt, x, y, epochs=2, rng=0, progress=True)
    err = capsys.readouterr().err
    assert "epochs" in err and "2/2" in err and "acc=" in err
    fit(model, SoftmaxCrossEntropy(), opt, x, y, epochs=2, rng=0, progress=False)
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("CI", "true")
    fit(model, SoftmaxCrossEntropy(), opt, x, y, epochs=2, rng=0)  # auto: off in CI
    assert capsys.readouterr().err == ""


def test_progress_is_off_by_default_in_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pyodide cannot start tqdm's monitor thread, and a bar on stderr fails the self-check."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert _progress_default() is True
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert _progress_default() is False


def test_no_monitor_thread_in_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """tqdm starts its monitor thread even for a hidden bar; Pyodide cannot start threads."""
    from tqdm.auto import tqdm

    monkeypatch.setattr(tqdm, "monitor_interval", 10)
    monkeypatch.setattr(sys, "platform", "emscripten")
    _epoch_bar(3, show=False).close()
    assert tqdm.monitor_interval == 0


# error paths ----------------------------------------------------------------------------------


def _fit(x: np.ndarray, y: np.ndarray, **kwargs: object) -> History:
    model = _net()
    options: dict[str, object] = {"epochs": 1, "progress": False, "rng": 0, **kwargs}
    return fit(model, SoftmaxCrossEntropy(), SGD(model.parameters(), 0.1), x, y, **options)  # type: ignore[arg-type]


def test_length_mismatch_names_both_shapes() -> None:
    x, y = _blobs()
    with pytest.raises(
        ValueError, match=r"fit: x and y need one row per sample, got x \(60, 4\) and y \(59,\)"
    ):
        _fit(x, y[:-1])


def test_wrong_feature_count_names_the_shapes() -> None:
    x, y = _blobs()
    with pytest.raises(ValueError, match=r"expects input of shape \(batch, 4\), got \(32, 5\)"):
        _fit(np.hstack([x, x[:, :1]]), y)


def test_validation_data_mismatch() -> None:
    x, y = _blobs()
    with pytest.raises(ValueError, match=r"fit validation_data: .* x \(10, 4\) and y \(9,\)"):
        _fit(x, y, validation_data=(x[:10], y[:9]))


@pytest.mark.parametrize(
    ("name", "value"), [("epochs", 0), ("epochs", -2), ("batch_size", 0), ("epochs", 1.5)]
)
def test_non_positive_counts(name: str, value: float) -> None:
    x, y = _blobs()
    with pytest.raises(ValueError, match=f"{name} must be a positive integer, got {value}"):
        _fit(x, y, **{name: value})


def test_empty_data_set() -> None:
    with pytest.raises(ValueError, match=r"empty data set, x \(0, 4\)"):
        _fit(np.zeros((0, 4), dtype=np.float32), np.zeros(0, dtype=int))


def test_nan_in_the_data_names_epoch_batch_and_fix() -> None:
    x, y = _blobs()
    x[25, 2] = np.nan  # sample 25 is in batch 3 of 10 when the order is kept
    with pytest.raises(
        TrainingDivergedError,
        match=r"loss became nan at epoch 1, batch 3 \(samples 20-29.*lr=0.1.*10x smaller",
    ):
        _fit(x, y, batch_size=10, shuffle=False)


def test_divergence_with_a_huge_learning_rate() -> None:
    x, y = _blobs()
    model = _net()
    with (
        np.errstate(all="ignore"),
        pytest.raises(
            FloatingPointError, match=r"loss became (nan|inf) at epoch \d+, batch \d+.*lr=1e\+30"
        ),
    ):
        quiet_fit(model, SGD(model.parameters(), 1e30), x, y, epochs=5, rng=0)


def test_evaluate_and_predict_errors() -> None:
    model = _net()
    with pytest.raises(ValueError, match=r"evaluate: .* x \(3, 4\) and y \(2,\)"):
        evaluate(model, SoftmaxCrossEntropy(), np.zeros((3, 4)), np.zeros(2, dtype=int))
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        predict(model, np.zeros((3, 4)), batch_size=0)
    with pytest.raises(ValueError, match=r"predict needs at least one sample, got x \(0, 4\)"):
        predict(model, np.zeros((0, 4)))


# real trainings (a few seconds each) -----------------------------------------------------------


@pytest.mark.slow
def test_mlp_reaches_97_percent_on_digits() -> None:
    x, y = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.25, rng=0, stratify=True)
    x_tr, x_te = standardize(x_tr, x_te)
    model = Sequential(Dense(64, 256, rng=0), ReLU(), Dense(256, 10, rng=1))
    quiet_fit(model, Adam(model.parameters(), 1e-3), x_tr, y_tr, epochs=20, batch_size=32, rng=0)
    _, test_accuracy = evaluate(model, SoftmaxCrossEntropy(), x_te, y_te)
    assert test_accuracy is not None and test_accuracy >= 0.97, (
        f"test accuracy {test_accuracy:.3f} < 0.97"
    )


@pytest.mark.slow
def test_hidden_layer_solves_xor() -> None:
    x, y = make_xor(200, noise=0.2, rng=0)
    model = Sequential(Dense(2, 8, init="xavier", rng=0), Tanh(), Dense(8, 2, init="xavier", rng=1))
    quiet_fit(model, Adam(model.parameters(), 0.05), x, y, epochs=30, rng=0)
    _, acc = evaluate(model, SoftmaxCrossEntropy(), x, y)
    assert acc == 1.0, f"XOR accuracy {acc}"


@pytest.mark.slow
def test_mlp_fits_three_spirals() -> None:
    x, y = make_spirals(100, 3, noise=0.2, rng=0)
    model = Sequential(
        Dense(2, 64, rng=0), ReLU(), Dense(64, 64, rng=1), ReLU(), Dense(64, 3, rng=2)
    )
    history = quiet_fit(model, Adam(model.parameters(), 0.01), x, y, epochs=150, rng=0)
    _, acc = evaluate(model, SoftmaxCrossEntropy(), x, y)
    assert acc is not None and acc >= 0.95, (
        f"spiral train accuracy {acc:.3f} < 0.95 (history {history.accuracy[-5:]})"
    )
