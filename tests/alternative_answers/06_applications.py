"""Correct answers to the exercises of solutions/06_applications.md written differently from the
master.

Each must earn the full points of its test cell: the tests grade behaviour, not one implementation.
"""

from __future__ import annotations

ALTERNATIVE_ANSWERS: dict[str, list[str]] = {
    "binary_metrics": [
        # counts from the 2 x 2 confusion matrix of nnlib; np.float64 results (a float subclass)
        """def binary_metrics(y_true, y_pred):
    m = nnlib.metrics.confusion_matrix(y_true, y_pred, num_classes=2)
    tp, fp, fn = m[1, 1], m[0, 1], m[1, 0]
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    if precision == 0 or recall == 0:
        return float(precision), float(recall), 0.0
    # the harmonic mean
    return float(precision), float(recall), float(2 / (1 / precision + 1 / recall))
""",
        # boolean masks and try/except around the divisions; F1 as 2TP / (2TP + FP + FN)
        """def binary_metrics(y_true, y_pred):
    truth, flags = np.asarray(y_true) == 1, np.asarray(y_pred) == 1
    tp = int((truth & flags).sum())
    fp = int((~truth & flags).sum())
    fn = int((truth & ~flags).sum())
    def ratio(a, b):
        try:
            return a / b
        except ZeroDivisionError:
            return 0.0
    return ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(2 * tp, 2 * tp + fp + fn)
""",
    ],
    "bag_of_words": [
        # a Counter per text
        """from collections import Counter

def bag_of_words(texts, vocabulary):
    rows = []
    for text in texts:
        counts = Counter(tokenize(text))
        rows.append([counts[word] for word in vocabulary])
    return np.array(rows, dtype=np.float32).reshape(len(texts), len(vocabulary))
""",
        # vectorised: token columns collected, then np.add.at
        """def bag_of_words(texts, vocabulary):
    index = dict(zip(vocabulary, range(len(vocabulary))))
    pairs = [
        (i, index[tok]) for i, text in enumerate(texts) for tok in tokenize(text) if tok in index
    ]
    out = np.zeros((len(texts), len(vocabulary)), np.float32)
    if pairs:
        rows, cols = zip(*pairs)
        np.add.at(out, (np.array(rows), np.array(cols)), 1.0)
    return out
""",
    ],
    "spectrogram": [
        # sliding_window_view for the frames, the Hann formula written out, power as re^2 + im^2
        """def spectrogram(signal, frame_length=512, hop_length=256, eps=1e-10):
    frames = np.lib.stride_tricks.sliding_window_view(
        np.asarray(signal, dtype=float), frame_length
    )[::hop_length]
    n = np.arange(frame_length)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * n / (frame_length - 1))
    spectrum = np.fft.rfft(frames * window, axis=-1)
    return np.log(spectrum.real ** 2 + spectrum.imag ** 2 + eps)
""",
        # one frame at a time, full FFT cut to the first L // 2 + 1 bins
        """def spectrogram(signal, frame_length=512, hop_length=256, eps=1e-10):
    window = np.hanning(frame_length)
    rows = []
    start = 0
    while start + frame_length <= len(signal):
        spectrum = np.fft.fft(window * signal[start : start + frame_length])[
            : frame_length // 2 + 1
        ]
        rows.append(np.log(np.abs(spectrum) ** 2 + eps))
        start += hop_length
    return np.array(rows)
""",
    ],
    "threshold_for_recall": [
        # vectorised over the distinct thresholds with a (K, N) comparison
        """def threshold_for_recall(y_true, scores, target_recall):
    candidates = np.unique(scores)
    flagged = scores[None, :] >= candidates[:, None]
    tp = (flagged & (y_true == 1)[None, :]).sum(axis=1)
    recall = tp / np.sum(y_true == 1)
    precision = tp / flagged.sum(axis=1)
    ok = recall >= target_recall
    best = precision[ok].max()
    return float(candidates[ok][precision[ok] == best].max())
""",
        # ascending loop that keeps the last (largest) threshold with the best precision
        """def threshold_for_recall(y_true, scores, target_recall):
    n_pos = (y_true == 1).sum()
    chosen, best = None, None
    for t in sorted(set(scores.tolist())):
        flags = scores >= t
        hits = (flags & (y_true == 1)).sum()
        if hits < target_recall * n_pos:
            continue
        precision = hits / flags.sum()
        if best is None or precision >= best:
            chosen, best = t, precision
    return float(chosen)
""",
    ],
    "fraud_model": [
        # a wider network trained on everything, threshold from nnlib's precision-recall curve on a
        # third held out
        """def train_fraud_model(x, y, rng):
    n_val = len(y) // 3
    order = rng.permutation(len(y))
    val, tr = order[:n_val], order[n_val:]
    model = Sequential(
        Dense(8, 64, rng=rng), ReLU(), Dense(64, 32, rng=rng), ReLU(), Dense(32, 2, rng=rng)
    )
    fit(
        model, SoftmaxCrossEntropy(), Adam(model.parameters(), lr=2e-3), x[tr], y[tr],
        epochs=15, batch_size=128, rng=rng, progress=False,
    )
    scores = softmax(predict(model, x[val]))[:, 1]
    precision, recall, thresholds = nnlib.thresholds.precision_recall_curve(y[val], scores)
    return model, float(thresholds[np.argmax(recall >= 0.82)])
""",
        # a linear model (logistic regression as one Dense layer); the threshold from the validation
        # frauds' scores
        """def train_fraud_model(x, y, rng):
    order = rng.permutation(len(y))
    val, tr = order[: len(y) // 4], order[len(y) // 4 :]
    model = Sequential(Dense(8, 2, rng=rng))
    fit(
        model, SoftmaxCrossEntropy(), Adam(model.parameters(), lr=1e-2), x[tr], y[tr],
        epochs=15, batch_size=256, rng=rng, progress=False,
    )
    fraud_scores = softmax(predict(model, x[val][y[val] == 1]))[:, 1]
    return model, float(np.quantile(fraud_scores, 0.15))
""",
    ],
}
