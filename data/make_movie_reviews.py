"""Re-create nnlib/datasets/files/movie_reviews.npz: 10,605 movie-review snippets with sentiment.

Source: the ground-truth file of Hutto & Gilbert (2014), VADER, which ships inside the source
archive of vaderSentiment 3.3.2 (MIT licence), additional_resources/hutto_ICWSM_2014.tar.gz,
movieReviewSnippets_GroundTruth.txt: id, mean rating of 20+ human raters on -4..+4, snippet.
The snippets are sentences of the Rotten Tomatoes reviews of Pang & Lee's sentence polarity
data. Run from the repository root: `python data/make_movie_reviews.py`.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import numpy as np
from npz import fetch_package, read_member, scratch, text_to_bytes, write_npz

with scratch() as tmp:
    sdist = fetch_package("vaderSentiment==3.3.2", Path(tmp), sdist=True)
    inner = read_member(sdist, "additional_resources/hutto_ICWSM_2014.tar.gz")
with tarfile.open(fileobj=io.BytesIO(inner)) as archive:
    member = archive.extractfile("hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt")
    assert member is not None
    lines = member.read().decode("utf-8").strip().splitlines()
rows = [line.split("\t") for line in lines]
texts = [" ".join(text.split()) for _, _, text in rows]
ratings = np.array([float(r) for _, r, _ in rows], dtype=np.float32)
write_npz("movie_reviews.npz", text=text_to_bytes(texts), rating=ratings)
