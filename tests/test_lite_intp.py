"""nnlib on the browser's 32-bit index type: Pyodide is wasm32, where `np.intp` is int32 and
`np.bincount` refuses int64 input (`Cannot cast array data from dtype('int64') to dtype('int32')`).

These tests emulate that platform on a 64-bit machine, so a label cast back to int64 fails here
and not first in a learner's browser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pytest

import nnlib
from nnlib import data, metrics


@pytest.fixture
def wasm32(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """np.intp is int32 and np.bincount casts its input only safely, as in Pyodide."""
    real_bincount = np.bincount

    def bincount(
        x: np.ndarray, weights: np.ndarray | None = None, minlength: int = 0
    ) -> np.ndarray:
        x = np.asarray(x)
        if not np.can_cast(x.dtype, np.int32, "safe"):
            raise TypeError(
                f"Cannot cast array data from {x.dtype!r} to "
                "dtype('int32') according to the rule 'safe'"
            )
        return real_bincount(x, weights, minlength)

    monkeypatch.setattr(np, "intp", np.int32)
    monkeypatch.setattr(np, "bincount", bincount)
    yield


def test_the_emulation_rejects_int64_as_pyodide_does(wasm32: None) -> None:
    with pytest.raises(TypeError, match="int64"):
        np.bincount(np.array([0, 1, 1], dtype=np.int64))


def test_confusion_matrix_and_precision_take_int64_labels(wasm32: None) -> None:
    y_true = np.array([0, 1, 2, 2, 1], dtype=np.int64)
    y_pred = np.array([0, 2, 2, 2, 1], dtype=np.int64)
    m = metrics.confusion_matrix(y_true, y_pred)
    assert m.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 2]], m
    precision, recall, _ = metrics.precision_recall_f1(y_true, y_pred)
    assert np.allclose(precision, [1.0, 1.0, 2 / 3]) and np.allclose(recall, [1.0, 0.5, 1.0]), (
        precision,
        recall,
    )


GENERATORS: dict[str, Callable[[], tuple[np.ndarray, np.ndarray]]] = {
    "make_xor": lambda: data.make_xor(40, rng=0),
    "make_spirals": lambda: data.make_spirals(20, 3, rng=0),
    "make_moons": lambda: data.make_moons(40, rng=0),
    "make_circles": lambda: data.make_circles(40, rng=0),
    "load_digits": data.load_digits,
    "load_breast_cancer": data.load_breast_cancer,
}


@pytest.mark.parametrize("name", GENERATORS)
def test_data_set_labels_count_with_bincount(wasm32: None, name: str) -> None:
    """Chapter 4's given cell prints `np.bincount(y_train)` of nnlib's labels."""
    x, y = GENERATORS[name]()
    x_train, _, y_train, _ = data.train_test_split(x, y, test_size=0.25, rng=0, stratify=True)
    counts = np.bincount(y_train)
    assert counts.sum() == len(y_train) and y.dtype == np.int32, (
        f"{name}: labels {y.dtype}, counts {counts}"
    )


def test_one_hot_and_accuracy_on_int64_labels(wasm32: None) -> None:
    labels = np.array([2, 0, 1], dtype=np.int64)
    encoded = data.one_hot(labels, 3)
    assert encoded.argmax(axis=1).tolist() == [2, 0, 1]
    assert nnlib.metrics.accuracy(encoded, labels) == 1.0
