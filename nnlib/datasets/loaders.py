"""Loaders of the registered data files (nnlib/datasets/registry.py), all offline.

Each loader verifies the file's SHA-256, reads it without pickle and returns NumPy arrays with
explicit dtypes (features float32 unless `dtype=` says otherwise, labels `np.intp`), so the same
code runs in CPython and in the browser (Pyodide, 32-bit intp).
"""

from __future__ import annotations

import numpy as np

from nnlib.datasets.registry import decode_lines, load_arrays

__all__ = [
    "load_german_credit",
    "load_mnist_5k",
    "load_movie_reviews",
    "load_spoken_digit_audio",
    "load_spoken_digits",
]


def load_mnist_5k(dtype: type = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """5,000 handwritten MNIST digits, 28 x 28 grey levels, 500 of each digit.

    Used by chapter 6, "Image recognition". Pixels are divided by 255, so features lie in
    [0, 1]; reshape a row to (28, 28) to see the image.

    Returns:
        (x `(5000, 784)`, y `(5000,)` intp in [0, 10)).
    """
    arrays = load_arrays("mnist_5k")
    x = arrays["images"].reshape(-1, 784).astype(dtype) / dtype(255)
    return x, arrays["labels"].astype(np.intp)


def load_movie_reviews(min_strength: float = 0.0) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Movie-review sentences with their mean human sentiment rating (-4 to +4).

    Used by chapter 6, "Natural language". The label is 1 (positive) when the mean rating is
    above 0 and 0 (negative) when below; sentences rated exactly 0, or closer to 0 than
    `min_strength`, are left out as having no clear sentiment.

    Returns:
        (texts: list of N str, y `(N,)` intp in {0, 1}, rating `(N,)` float32).
    """
    arrays = load_arrays("movie_reviews")
    texts = decode_lines(arrays["text"])
    rating = arrays["rating"].astype(np.float32)
    keep = np.flatnonzero(np.abs(rating) > min_strength)
    return [texts[i] for i in keep.tolist()], (rating[keep] > 0).astype(np.intp), rating[keep]


def load_german_credit(dtype: type = np.float32) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """1,000 loan applicants of a German bank, 300 of them bad credit risks.

    Used by chapter 6, "Finance". Categorical attributes (checking account, credit history,
    purpose, ...) are one-hot columns named "attribute = level"; numeric ones (duration in
    months, amount in DM, age, ...) keep their units: standardise them on the training split.

    Returns:
        (x `(1000, 61)`, y `(1000,)` intp, 1 = bad risk, feature names: 61 str).
    """
    arrays = load_arrays("german_credit")
    return (
        arrays["x"].astype(dtype),
        arrays["bad"].astype(np.intp),
        decode_lines(arrays["feature_names"]),
    )


def load_spoken_digits(dtype: type = np.float32) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The words "zero" to "nine" spoken by 96 synthetic voices, as log-mel features.

    Used by chapter 6, "Speech recognition". 2,880 clips: 96 voices (8 English accents x 12
    espeak-ng variants) x 10 digits x 3 speeds and pitches. Each row is 16 time segments x 24
    mel bands from `nnlib.datasets.audio.log_mel_features`. Split by `voice` to test on
    speakers the model never heard.

    Returns:
        (x `(2880, 384)`, y `(2880,)` intp digit, voice `(2880,)` intp in [0, 96)).
    """
    arrays = load_arrays("spoken_digits")
    return (
        arrays["features"].astype(dtype),
        arrays["labels"].astype(np.intp),
        arrays["voice"].astype(np.intp),
    )


def load_spoken_digit_audio() -> tuple[np.ndarray, int]:
    """One recording of each digit 0-9 by the voice en-us+m1, for listening and plotting.

    Returns:
        (audio `(10, 22050)` float32 in [-1, 1], padded with silence to one second; sample rate
        22050).
    """
    audio = load_arrays("spoken_digits")["example_audio"]
    return audio.astype(np.float32) / np.float32(32767), 22050
