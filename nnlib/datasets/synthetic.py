"""A synthetic, heavily imbalanced card-transaction set for fraud detection.

Real transaction data is private, so this one is generated, and says so. Every rule below is
the whole truth about the data: a model can learn nothing else from it. The features mimic the
signals fraud teams describe (amount, hour, distance from home, bursts of activity, foreign
merchants, card not present), and legitimate and fraudulent transactions overlap on every one
of them, so no threshold on a single feature separates them. Used by chapter 6, "Finance".
"""

from __future__ import annotations

import numpy as np

from nnlib.module import RNGLike

__all__ = ["TRANSACTION_FEATURES", "make_transactions"]

TRANSACTION_FEATURES = [
    "log amount",
    "hour (sin)",
    "hour (cos)",
    "log km from home",
    "transactions in last 24 h",
    "log minutes since last",
    "foreign merchant",
    "card present",
]


def make_transactions(
    n: int = 20000, fraud_rate: float = 0.005, rng: RNGLike = None, dtype: type = np.float32
) -> tuple[np.ndarray, np.ndarray]:
    """Generate n transactions, each fraudulent with probability `fraud_rate`.

    Per class (legitimate / fraud):
      log amount ~ N(3.5, 1.0) / N(4.8, 1.2);
      hour ~ N(14, 4) / 70% of frauds at night N(2, 3), 30% like legitimate ones,
      given as (sin, cos) of 2 pi hour / 24, so 23:00 and 01:00 are neighbours;
      log(1 + km from home) ~ |N(1.5, 1.0)| / |N(3.2, 1.5)|;
      transactions in the last 24 h ~ Poisson(2) / Poisson(5);
      log minutes since the previous one ~ N(5, 1.5) / N(3, 1.8);
      foreign merchant ~ Bernoulli(0.03) / Bernoulli(0.3);
      card present ~ Bernoulli(0.7) / Bernoulli(0.2).

    Args:
        n: number of transactions.
        fraud_rate: probability that a transaction is fraudulent, in (0, 1).
        rng: generator or seed.
        dtype: dtype of the features.

    Returns:
        (x `(n, 8)` with columns TRANSACTION_FEATURES, y `(n,)` intp, 1 = fraud).
    """
    if n < 1:
        raise ValueError(f"need at least 1 transaction, got n={n}")
    if not 0 < fraud_rate < 1:
        raise ValueError(f"fraud_rate is a probability in (0, 1), got {fraud_rate}")
    gen = np.random.default_rng(rng)
    fraud = gen.random(n) < fraud_rate

    def pick(legit: np.ndarray, bad: np.ndarray) -> np.ndarray:
        return np.where(fraud, bad, legit)

    amount = pick(gen.normal(3.5, 1.0, n), gen.normal(4.8, 1.2, n))
    night = fraud & (gen.random(n) < 0.7)
    hour = np.where(night, gen.normal(2.0, 3.0, n), gen.normal(14.0, 4.0, n)) % 24
    distance = np.abs(pick(gen.normal(1.5, 1.0, n), gen.normal(3.2, 1.5, n)))
    burst = pick(gen.poisson(2.0, n), gen.poisson(5.0, n))
    since = pick(gen.normal(5.0, 1.5, n), gen.normal(3.0, 1.8, n))
    foreign = gen.random(n) < pick(np.full(n, 0.03), np.full(n, 0.3))
    present = gen.random(n) < pick(np.full(n, 0.7), np.full(n, 0.2))
    angle = 2 * np.pi * hour / 24
    x = np.stack(
        [amount, np.sin(angle), np.cos(angle), distance, burst, since, foreign, present], axis=1
    )
    return x.astype(dtype), fraud.astype(np.intp)
