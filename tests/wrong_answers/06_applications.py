"""Plausible wrong answers to the exercises of solutions/06_applications.md; each must lose the
points of its test cell."""

from __future__ import annotations

WRONG_ANSWERS: dict[str, list[str]] = {
    "binary_metrics": [
        # precision and recall swapped (FN where FP belongs)
        """def binary_metrics(y_true, y_pred):
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    precision = tp / (tp + fn) if tp + fn else 0.0
    recall = tp / (tp + fp) if tp + fp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)
""",
        # F1 as the arithmetic mean of precision and recall
        """def binary_metrics(y_true, y_pred):
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return float(precision), float(recall), float((precision + recall) / 2)
""",
        # divides by zero: nan when nothing is flagged
        """def binary_metrics(y_true, y_pred):
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = tp / (tp + fp)
        recall = tp / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall)
    return float(precision), float(recall), float(f1)
""",
        # the metrics of class 0 instead of the positive class 1
        """def binary_metrics(y_true, y_pred):
    tp = np.sum((y_true == 0) & (y_pred == 0))
    fp = np.sum((y_true == 1) & (y_pred == 0))
    fn = np.sum((y_true == 0) & (y_pred == 1))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)
""",
        # recall divided by all samples instead of the positives
        """def binary_metrics(y_true, y_pred):
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / len(y_true)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)
""",
    ],
    "bag_of_words": [
        # presence (0/1) instead of counts
        """def bag_of_words(texts, vocabulary):
    x = np.zeros((len(texts), len(vocabulary)), dtype=np.float32)
    for i, text in enumerate(texts):
        tokens = set(tokenize(text))
        for j, word in enumerate(vocabulary):
            x[i, j] = word in tokens
    return x
""",
        # splits on spaces without tokenize: 'GOOD' and 'good,' are not 'good'
        """def bag_of_words(texts, vocabulary):
    x = np.zeros((len(texts), len(vocabulary)), dtype=np.float32)
    for i, text in enumerate(texts):
        for token in text.split():
            if token in vocabulary:
                x[i, vocabulary.index(token)] += 1
    return x
""",
        # counts substrings: 'good' is found inside 'goods'
        """def bag_of_words(texts, vocabulary):
    x = np.zeros((len(texts), len(vocabulary)), dtype=np.float32)
    for i, text in enumerate(texts):
        for j, word in enumerate(vocabulary):
            x[i, j] = text.lower().count(word)
    return x
""",
        # columns in alphabetical order instead of the vocabulary's order
        """def bag_of_words(texts, vocabulary):
    words = sorted(vocabulary)
    column = {word: j for j, word in enumerate(words)}
    x = np.zeros((len(texts), len(words)), dtype=np.float32)
    for i, text in enumerate(texts):
        for token in tokenize(text):
            if token in column:
                x[i, column[token]] += 1
    return x
""",
        # integer counts: the dtype float32 was asked for
        """def bag_of_words(texts, vocabulary):
    column = {word: j for j, word in enumerate(vocabulary)}
    x = np.zeros((len(texts), len(vocabulary)), dtype=np.int64)
    for i, text in enumerate(texts):
        for token in tokenize(text):
            if token in column:
                x[i, column[token]] += 1
    return x
""",
    ],
    "spectrogram": [
        # no window
        """def spectrogram(signal, frame_length=512, hop_length=256, eps=1e-10):
    n = 1 + (len(signal) - frame_length) // hop_length
    frames = np.stack([signal[t * hop_length : t * hop_length + frame_length] for t in range(n)])
    return np.log(np.abs(np.fft.rfft(frames, axis=1)) ** 2 + eps)
""",
        # magnitude instead of power
        """def spectrogram(signal, frame_length=512, hop_length=256, eps=1e-10):
    n = 1 + (len(signal) - frame_length) // hop_length
    frames = np.stack([signal[t * hop_length : t * hop_length + frame_length] for t in range(n)])
    return np.log(np.abs(np.fft.rfft(frames * np.hanning(frame_length), axis=1)) + eps)
""",
        # non-overlapping frames: hop_length ignored
        """def spectrogram(signal, frame_length=512, hop_length=256, eps=1e-10):
    n = len(signal) // frame_length
    frames = signal[: n * frame_length].reshape(n, frame_length)
    return np.log(np.abs(np.fft.rfft(frames * np.hanning(frame_length), axis=1)) ** 2 + eps)
""",
        # off by one: drops the last whole frame
        """def spectrogram(signal, frame_length=512, hop_length=256, eps=1e-10):
    n = (len(signal) - frame_length) // hop_length
    frames = np.stack([signal[t * hop_length : t * hop_length + frame_length] for t in range(n)])
    return np.log(np.abs(np.fft.rfft(frames * np.hanning(frame_length), axis=1)) ** 2 + eps)
""",
        # log10 (decibels / 10) instead of the natural log
        """def spectrogram(signal, frame_length=512, hop_length=256, eps=1e-10):
    n = 1 + (len(signal) - frame_length) // hop_length
    frames = np.stack([signal[t * hop_length : t * hop_length + frame_length] for t in range(n)])
    return np.log10(np.abs(np.fft.rfft(frames * np.hanning(frame_length), axis=1)) ** 2 + eps)
""",
        # eps forgotten: log(0) = -inf in silence
        """def spectrogram(signal, frame_length=512, hop_length=256, eps=1e-10):
    n = 1 + (len(signal) - frame_length) // hop_length
    frames = np.stack([signal[t * hop_length : t * hop_length + frame_length] for t in range(n)])
    with np.errstate(divide="ignore"):
        return np.log(np.abs(np.fft.rfft(frames * np.hanning(frame_length), axis=1)) ** 2)
""",
    ],
    "threshold_for_recall": [
        # the first threshold (from the top) that meets the target, not the most precise one
        """def threshold_for_recall(y_true, scores, target_recall):
    for t in np.unique(scores)[::-1]:
        if np.sum((scores >= t) & (y_true == 1)) / np.sum(y_true == 1) >= target_recall:
            return float(t)
""",
        # the best precision overall, ignoring the recall target
        """def threshold_for_recall(y_true, scores, target_recall):
    best_t, best_p = None, -1.0
    for t in np.unique(scores)[::-1]:
        flagged = scores >= t
        p = np.sum(flagged & (y_true == 1)) / flagged.sum()
        if p > best_p:
            best_t, best_p = float(t), p
    return best_t
""",
        # ties in precision go to the smallest threshold (>= instead of >)
        """def threshold_for_recall(y_true, scores, target_recall):
    positives = np.sum(y_true == 1)
    best_t, best_p = None, -1.0
    for t in np.unique(scores)[::-1]:
        flagged = scores >= t
        tp = np.sum(flagged & (y_true == 1))
        if tp / positives >= target_recall and tp / flagged.sum() >= best_p:
            best_t, best_p = float(t), tp / flagged.sum()
    return best_t
""",
        # flags scores > t (strictly): samples at the threshold are not counted
        """def threshold_for_recall(y_true, scores, target_recall):
    positives = np.sum(y_true == 1)
    best_t, best_p = None, -1.0
    for t in np.unique(scores)[::-1]:
        flagged = scores > t
        tp = np.sum(flagged & (y_true == 1))
        if flagged.sum() and tp / positives >= target_recall and tp / flagged.sum() > best_p:
            best_t, best_p = float(t), tp / flagged.sum()
    return best_t
""",
        # ranks samples one by one: tied scores are split between flagged and not flagged
        """def threshold_for_recall(y_true, scores, target_recall):
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(y_true[order] == 1)
    precision = tp / np.arange(1, len(order) + 1)
    recall = tp / tp[-1]
    ok = np.flatnonzero(recall >= target_recall)
    return float(scores[order][ok[np.argmax(precision[ok])]])
""",
    ],
    "fraud_model": [
        # the default threshold 0.5: far too few frauds caught
        """def train_fraud_model(x, y, rng):
    model = Sequential(Dense(x.shape[1], 32, rng=rng), ReLU(), Dense(32, 2, rng=rng))
    fit(
        model, SoftmaxCrossEntropy(), Adam(model.parameters(), lr=3e-3), x, y,
        epochs=20, batch_size=256, rng=rng, progress=False,
    )
    return model, 0.5
""",
        # flags everything: recall 100%, precision 0.5%
        """def train_fraud_model(x, y, rng):
    model = Sequential(Dense(x.shape[1], 32, rng=rng), ReLU(), Dense(32, 2, rng=rng))
    fit(
        model, SoftmaxCrossEntropy(), Adam(model.parameters(), lr=3e-3), x, y,
        epochs=20, batch_size=256, rng=rng, progress=False,
    )
    return model, 0.0
""",
        # an untrained network with a recall-based threshold on its random scores
        """def train_fraud_model(x, y, rng):
    model = Sequential(Dense(x.shape[1], 32, rng=rng), ReLU(), Dense(32, 2, rng=rng))
    p = softmax(predict(model, x))[:, 1]
    return model, nnlib.thresholds.threshold_for_recall(y, p, 0.8)
""",
        # asks for 99.9% recall: the threshold flags almost everything
        """def train_fraud_model(x, y, rng):
    model = Sequential(Dense(x.shape[1], 32, rng=rng), ReLU(), Dense(32, 2, rng=rng))
    fit(
        model, SoftmaxCrossEntropy(), Adam(model.parameters(), lr=3e-3), x, y,
        epochs=20, batch_size=256, rng=rng, progress=False,
    )
    p = softmax(predict(model, x))[:, 1]
    return model, nnlib.thresholds.threshold_for_recall(y, p, 0.999)
""",
    ],
}
