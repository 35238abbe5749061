"""nnlib.datasets: the course's real data sets, shipped inside the package and checksummed,
their featurisers (bag of words, log-mel spectrograms), and a synthetic fraud generator.

See `nnlib.datasets.registry.DATA_FILES` (and data/README.md) for each file's source, licence,
SHA-256 and the script that re-creates it.
"""

from nnlib.datasets.audio import frame_signal, log_mel_features, mel_filterbank, spectrogram
from nnlib.datasets.loaders import (
    load_german_credit,
    load_mnist_5k,
    load_movie_reviews,
    load_spoken_digit_audio,
    load_spoken_digits,
)
from nnlib.datasets.registry import (
    DATA_FILES,
    DataFile,
    DataFileError,
    data_path,
    load_arrays,
    verify,
)
from nnlib.datasets.synthetic import TRANSACTION_FEATURES, make_transactions
from nnlib.datasets.text import bag_of_words, build_vocabulary, tokenize

__all__ = [
    "DATA_FILES",
    "DataFile",
    "DataFileError",
    "TRANSACTION_FEATURES",
    "bag_of_words",
    "build_vocabulary",
    "data_path",
    "frame_signal",
    "load_arrays",
    "load_german_credit",
    "load_mnist_5k",
    "load_movie_reviews",
    "load_spoken_digit_audio",
    "load_spoken_digits",
    "log_mel_features",
    "make_transactions",
    "mel_filterbank",
    "spectrogram",
    "tokenize",
    "verify",
]
