"""nnlib.datasets: every registered file is present, checksummed, loadable without pickle or
scikit-learn, and documented; featurisers and the synthetic generator behave as documented."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nnlib.datasets.registry as registry
from conftest import ROOT
from nnlib.datasets import (
    DATA_FILES,
    DataFileError,
    bag_of_words,
    build_vocabulary,
    frame_signal,
    load_german_credit,
    load_mnist_5k,
    load_movie_reviews,
    load_spoken_digit_audio,
    load_spoken_digits,
    log_mel_features,
    make_transactions,
    mel_filterbank,
    spectrogram,
    tokenize,
    verify,
)

# the registry ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_every_registered_file_matches_its_checksum(name: str) -> None:
    path = verify(name)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == DATA_FILES[name].sha256


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_every_file_has_a_script_and_a_readme_row(name: str) -> None:
    entry = DATA_FILES[name]
    assert (ROOT / entry.script).is_file(), (
        f"{name}: the script {entry.script} that re-creates it is missing"
    )
    readme = (ROOT / "data" / "README.md").read_text()
    row = next((line for line in readme.splitlines() if f"`{entry.file}`" in line), None)
    assert row is not None, f"data/README.md has no row for {entry.file}"
    assert entry.sha256 in row and entry.script in row, (
        f"data/README.md's row for {entry.file} must give its SHA-256 and script"
    )
    size = (registry.FILES / entry.file).stat().st_size / 1e6
    assert f"{size:.2f} MB" in row, (
        f"data/README.md's row for {entry.file} must give its size, {size:.2f} MB"
    )


def test_all_data_stays_under_20_mb() -> None:
    total = sum((registry.FILES / entry.file).stat().st_size for entry in DATA_FILES.values())
    assert total < 20e6, (
        f"the shipped data totals {total / 1e6:.1f} MB; the course's limit is 20 MB"
    )


def test_files_hold_no_pickled_objects() -> None:
    for name in DATA_FILES:
        for key, array in registry.load_arrays(name).items():
            assert array.dtype != object, f"{name}/{key} is an object array"


@pytest.fixture()
def copied_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the data folder that tests may damage."""
    folder = tmp_path / "files"
    shutil.copytree(registry.FILES, folder)
    monkeypatch.setattr(registry, "FILES", folder)
    return folder


def test_a_damaged_file_names_file_hashes_and_script(copied_files: Path) -> None:
    target = copied_files / DATA_FILES["german_credit"].file
    target.write_bytes(target.read_bytes()[:-10] + b"0123456789")
    actual = hashlib.sha256(target.read_bytes()).hexdigest()
    with pytest.raises(DataFileError) as error:
        load_german_credit()
    message = str(error.value)
    for part in (
        str(target),
        DATA_FILES["german_credit"].sha256,
        actual,
        "data/make_german_credit.py",
    ):
        assert part in message, f"the error should name {part!r}: {message}"


def test_a_missing_file_says_how_to_recreate_it(copied_files: Path) -> None:
    (copied_files / DATA_FILES["mnist_5k"].file).unlink()
    with pytest.raises(
        DataFileError,
        match=r"mnist_5k.npz .* is missing; re-create it with `python data/make_mnist_5k.py`",
    ):
        load_mnist_5k()


def test_an_unknown_name_lists_the_registered_ones() -> None:
    with pytest.raises(KeyError, match="registered: german_credit, mnist_5k"):
        verify("imagenet")


def test_loaders_need_neither_sklearn_nor_pickle() -> None:
    code = (
        "import sys; sys.modules['sklearn'] = None; import nnlib.datasets as d; "
        "print(d.load_mnist_5k()[0].shape, len(d.load_movie_reviews()[0]), "
        "d.load_german_credit()[0].shape, d.load_spoken_digits()[0].shape)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "(5000, 784) 10568 (1000, 61) (2880, 384)"


@pytest.mark.slow
def test_an_installed_wheel_ships_and_loads_the_data(tmp_path: Path) -> None:
    source = (
        tmp_path / "source"
    )  # a copy, so setuptools' build/ folder never lands in the repository
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "_build", "build", "*.egg-info", "__pycache__"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(source),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    # No site-packages (so not the editable nnlib of the repository): the installed wheel, then
    # NumPy.
    numpy_home = str(Path(np.__file__).resolve().parent.parent)
    code = (
        "import sys; sys.path[:0] = sys.argv[1:]; import nnlib.datasets as d; "
        "assert d.__file__.startswith(sys.argv[1]), d.__file__; "
        "print(d.load_spoken_digits()[0].shape)"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code, str(target), numpy_home],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert out.strip() == "(2880, 384)"


# the loaders -------------------------------------------------------------------------------


def test_mnist_5k() -> None:
    x, y = load_mnist_5k()
    assert x.shape == (5000, 784) and x.dtype == np.float32 and y.dtype == np.intp
    assert 0.0 == x.min() and x.max() == 1.0
    np.testing.assert_array_equal(np.bincount(y), np.full(10, 500))
    assert load_mnist_5k(dtype=np.float64)[0].dtype == np.float64


def test_movie_reviews() -> None:
    texts, y, rating = load_movie_reviews()
    assert len(texts) == y.shape[0] == rating.shape[0] == 10568
    np.testing.assert_array_equal(y, (rating > 0).astype(np.intp))
    assert 0.45 < y.mean() < 0.55 and rating.min() >= -4 and rating.max() <= 4
    strong, _, strong_rating = load_movie_reviews(min_strength=1.0)
    assert len(strong) < len(texts) and np.all(np.abs(strong_rating) > 1.0)


def test_german_credit() -> None:
    x, y, names = load_german_credit()
    assert x.shape == (1000, len(names)) == (1000, 61) and y.sum() == 300
    assert "credit_amount" in names and "age_in_years" in names
    one_hot = [j for j, name in enumerate(names) if name.startswith("purpose = ")]
    np.testing.assert_array_equal(x[:, one_hot].sum(axis=1), 1.0)


def test_spoken_digits() -> None:
    x, y, voice = load_spoken_digits()
    assert x.shape == (2880, 384) and x.dtype == np.float32
    np.testing.assert_array_equal(np.bincount(y), np.full(10, 288))
    np.testing.assert_array_equal(np.bincount(voice), np.full(96, 30))
    np.testing.assert_allclose(
        x.reshape(-1, 16 * 24).mean(axis=1), 0.0, atol=1e-3
    )  # each vector is centred
    audio, rate = load_spoken_digit_audio()
    assert audio.shape == (10, rate) and np.abs(audio).max() <= 1.0


def test_spoken_digit_features_are_those_of_the_example_audio() -> None:
    """The bundled features were computed by log_mel_features from espeak-ng's audio: recompute
    one."""
    audio, rate = load_spoken_digit_audio()
    x, y, voice = load_spoken_digits()
    names = registry.decode_lines(registry.load_arrays("spoken_digits")["voice_names"])
    clips = np.flatnonzero((voice == names.index("en-us+m1")) & (y == 3))
    mine = log_mel_features(audio[3], rate)
    assert min(np.abs(x[clips] - mine).max(axis=1)) < 1.0, (
        "none of the three clips of 'three' resembles the example"
    )


# featurisers ------------------------------------------------------------------------------


def test_tokenize_and_vocabulary() -> None:
    assert tokenize("It isn't GOOD, it's 10/10!") == ["it", "isn't", "good", "it's", "10", "10"]
    assert build_vocabulary(["b a a", "c b a", "d"], max_words=2) == ["a", "b"]
    assert build_vocabulary(["b a a", "c b a", "d"], max_words=5, min_count=1) == [
        "a",
        "b",
        "c",
        "d",
    ]


def test_bag_of_words_counts_and_errors() -> None:
    np.testing.assert_array_equal(
        bag_of_words(["good good bad", "meh"], ["bad", "good"]), [[1, 2], [0, 0]]
    )
    with pytest.raises(TypeError, match="got one string"):
        bag_of_words("good", ["good"])
    with pytest.raises(ValueError, match="repeated tokens"):
        bag_of_words(["good"], ["good", "good"])


def test_spectrogram_of_a_tone_peaks_at_its_frequency() -> None:
    rate, n = 8000, 256
    tone = np.sin(2 * np.pi * 1500 * np.arange(rate) / rate)
    s = spectrogram(tone, n, 128)
    assert s.shape == (1 + (rate - n) // 128, n // 2 + 1)
    assert np.all(s.argmax(axis=1) == round(1500 / rate * n))


def test_frame_signal_and_its_errors() -> None:
    np.testing.assert_array_equal(
        frame_signal(np.arange(7), 3, 2), [[0, 1, 2], [2, 3, 4], [4, 5, 6]]
    )
    with pytest.raises(ValueError, match="shorter than one frame"):
        frame_signal(np.arange(2), 3, 1)
    with pytest.raises(ValueError, match=r"1-D \(samples,\), got shape \(2, 2\)"):
        frame_signal(np.zeros((2, 2)), 1, 1)


def test_mel_filterbank_rows_are_triangles_in_order() -> None:
    bank = mel_filterbank(10, 512, 16000)
    assert bank.shape == (10, 257) and bank.min() >= 0 and bank.max() <= 1
    assert np.all(np.diff(bank.argmax(axis=1)) > 0), "band centres must rise with the band index"


# the synthetic transactions ----------------------------------------------------------------


def test_transactions_are_imbalanced_and_seeded() -> None:
    x, y = make_transactions(50_000, rng=0)
    assert x.shape == (50_000, 8) and x.dtype == np.float32
    assert 0.004 < y.mean() < 0.006
    np.testing.assert_array_equal(
        make_transactions(100, rng=3)[0], make_transactions(100, rng=3)[0]
    )
    np.testing.assert_allclose(
        x[:, 1] ** 2 + x[:, 2] ** 2, 1.0, rtol=1e-5
    )  # the hour on the unit circle
    assert x[y == 1, 0].mean() > x[y == 0, 0].mean() + 1, "frauds are larger amounts on average"


def test_transactions_reject_bad_arguments() -> None:
    with pytest.raises(ValueError, match="fraud_rate is a probability"):
        make_transactions(10, fraud_rate=1.5)
    with pytest.raises(ValueError, match="at least 1 transaction"):
        make_transactions(0)


def test_readme_lists_the_registry_exactly() -> None:
    readme = (ROOT / "data" / "README.md").read_text()
    listed = set(re.findall(r"`([a-z0-9_]+\.npz)`", readme))
    assert listed == {entry.file for entry in DATA_FILES.values()}
