"""Text as numbers: tokens, a vocabulary, bag-of-words count vectors.

A bag of words forgets the order of the words and keeps how often each vocabulary word
occurs: x[i, j] = number of times word j occurs in text i. It is the simplest text feature
and a strong baseline for sentiment and spam. Used by chapter 6, "Natural language".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from nnlib.module import Array

__all__ = ["bag_of_words", "build_vocabulary", "tokenize"]

TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Lower-case words: runs of letters and digits, keeping a clitic such as "n't" or "'s".

    Example: tokenize("It isn't GOOD.") == ["it", "isn't", "good"].
    """
    return TOKEN.findall(text.lower())


def build_vocabulary(texts: Iterable[str], max_words: int, min_count: int = 2) -> list[str]:
    """The `max_words` most frequent tokens seen at least `min_count` times (ties alphabetical).

    Build it on the TRAINING texts only, so test texts stay unseen.

    Returns:
        a list of at most `max_words` distinct tokens, most frequent first.
    """
    if max_words < 1:
        raise ValueError(f"max_words must be >= 1, got {max_words}")
    counts = Counter(token for text in texts for token in tokenize(text))
    ranked = sorted(
        (token for token, c in counts.items() if c >= min_count), key=lambda t: (-counts[t], t)
    )
    return ranked[:max_words]


def bag_of_words(
    texts: Sequence[str], vocabulary: Sequence[str], dtype: type = np.float32
) -> Array:
    """Count vectors: x[i, j] = how often vocabulary[j] occurs among tokenize(texts[i]).

    Tokens outside the vocabulary are ignored.

    Args:
        texts: N strings.
        vocabulary: V distinct tokens; column j counts vocabulary[j].
        dtype: dtype of the result.

    Returns:
        array `(N, V)`.
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, got one string; wrap it in a list")
    column = {token: j for j, token in enumerate(vocabulary)}
    if len(column) != len(vocabulary):
        raise ValueError("vocabulary has repeated tokens; each column must count a different token")
    rows: list[int] = []
    cols: list[int] = []
    for i, text in enumerate(texts):
        for token in tokenize(text):
            j = column.get(token)
            if j is not None:
                rows.append(i)
                cols.append(j)
    counts: Array = np.zeros((len(texts), len(vocabulary)), dtype=dtype)
    np.add.at(counts, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)), 1)
    return counts
