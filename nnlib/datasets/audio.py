"""Speech features in NumPy: frames, a Hann-windowed power spectrogram, log-mel features.

A spoken word is a pressure signal sampled thousands of times a second. Its sound changes
every few milliseconds, so it is cut into short overlapping frames; each frame's spectrum says
how much energy lies at each frequency. Mel bands pool the frequencies the way the ear does
(finely at low pitch, coarsely at high pitch). Used by chapter 6, section "Speech recognition",
and by `data/make_spoken_digits.py`, which computed the bundled spoken-digit features with them.
"""

from __future__ import annotations

import numpy as np

from nnlib.module import Array

__all__ = ["frame_signal", "log_mel_features", "mel_filterbank", "spectrogram"]


def frame_signal(signal: np.ndarray, frame_length: int, hop_length: int) -> np.ndarray:
    """Cut a 1-D signal into overlapping frames: frame t holds signal[t*hop : t*hop + frame_length].

    Only whole frames are kept: T = 1 + (len(signal) - frame_length) // hop_length.

    Args:
        signal: samples `(S,)`, S >= frame_length.
        frame_length: samples per frame.
        hop_length: samples between the starts of consecutive frames.

    Returns:
        array `(T, frame_length)` (a copy), dtype of the signal.
    """
    x = np.asarray(signal)
    if x.ndim != 1:
        raise ValueError(f"signal must be 1-D (samples,), got shape {x.shape}")
    if frame_length < 1 or hop_length < 1:
        raise ValueError(
            f"frame_length and hop_length must be >= 1, got {frame_length} and {hop_length}"
        )
    if x.shape[0] < frame_length:
        raise ValueError(
            f"a signal of {x.shape[0]} samples is shorter than one frame of {frame_length}"
        )
    n_frames = 1 + (x.shape[0] - frame_length) // hop_length
    index = hop_length * np.arange(n_frames, dtype=np.int64)[:, None] + np.arange(
        frame_length, dtype=np.int64
    )
    return x[index]


def spectrogram(
    signal: np.ndarray, frame_length: int = 512, hop_length: int = 256, eps: float = 1e-10
) -> Array:
    """Log power spectrogram: S[t, k] = log(|FFT(hann * frame_t)[k]|^2 + eps).

    Each frame is multiplied by a Hann window w[n] = 0.5 - 0.5 cos(2 pi n / (L - 1)) (so its
    edges do not add false high frequencies), then its real FFT gives L // 2 + 1 frequencies
    from 0 to half the sample rate.

    Args:
        signal: samples `(S,)`.
        frame_length: L, samples per frame.
        hop_length: samples between frames.
        eps: keeps the log finite in silence.

    Returns:
        float64 array `(T, L // 2 + 1)`, T as in `frame_signal`.
    """
    frames = frame_signal(np.asarray(signal, dtype=np.float64), frame_length, hop_length)
    power = np.abs(np.fft.rfft(frames * np.hanning(frame_length), axis=1)) ** 2
    return np.log(power + eps)


def mel_filterbank(
    n_mels: int,
    frame_length: int,
    sample_rate: int,
    f_min: float = 50.0,
    f_max: float | None = None,
) -> Array:
    """Triangular filters evenly spaced on the mel scale, mel(f) = 2595 log10(1 + f / 700).

    Filter m rises from mel point m to m + 1 and falls to m + 2 (n_mels + 2 points between
    mel(f_min) and mel(f_max)); a frame's mel energies are power_spectrum @ filterbank.T.

    Args:
        n_mels: number of bands.
        frame_length: L of the spectrogram (it has L // 2 + 1 frequencies).
        sample_rate: samples per second.
        f_min, f_max: frequency range in Hz (f_max defaults to sample_rate / 2).

    Returns:
        float64 array `(n_mels, L // 2 + 1)`.
    """
    top = sample_rate / 2 if f_max is None else f_max
    if not 0 <= f_min < top <= sample_rate / 2:
        raise ValueError(
            "need 0 <= f_min < f_max <= sample_rate / 2 = "
            f"{sample_rate / 2}, got f_min={f_min}, f_max={top}"
        )
    mels = np.linspace(2595 * np.log10(1 + f_min / 700), 2595 * np.log10(1 + top / 700), n_mels + 2)
    hz = 700 * (10 ** (mels / 2595) - 1)
    freqs = np.linspace(0, sample_rate / 2, frame_length // 2 + 1)
    left, centre, right = hz[:-2, None], hz[1:-1, None], hz[2:, None]
    rising = (freqs - left) / (centre - left)
    falling = (right - freqs) / (right - centre)
    return np.maximum(0.0, np.minimum(rising, falling))


def log_mel_features(
    signal: np.ndarray,
    sample_rate: int,
    n_mels: int = 24,
    n_frames: int = 16,
    frame_length: int = 512,
    hop_length: int = 256,
) -> Array:
    """A fixed-size feature vector for a spoken word: log-mel energies pooled over time.

    Frames quieter than 1/1000 of the loudest (30 dB below) are trimmed from both ends, the
    remaining frames are split into `n_frames` equal segments and the log-mel energies
    log(power @ mel.T + 1e-10) are averaged in each, so a fast and a slow speaker give
    vectors of the same length. Each feature vector is then centred (its mean subtracted),
    which removes the loudness of the recording.

    Args:
        signal: samples `(S,)`.
        sample_rate: samples per second.
        n_mels: mel bands per segment.
        n_frames: time segments.
        frame_length, hop_length: as in `spectrogram`.

    Returns:
        float32 array `(n_frames * n_mels,)`, segment-major (reshape to (n_frames, n_mels)).
    """
    power = np.exp(spectrogram(signal, frame_length, hop_length))
    energy = power.sum(axis=1)
    loud = np.flatnonzero(energy > energy.max() * 1e-3)
    power = power[loud[0] : loud[-1] + 1]
    if power.shape[0] < n_frames:
        raise ValueError(
            f"the word has {power.shape[0]} loud frames, "
            f"fewer than n_frames={n_frames}; use a smaller hop_length"
        )
    mel = np.log(power @ mel_filterbank(n_mels, frame_length, sample_rate).T + 1e-10)
    segments = np.array_split(mel, n_frames, axis=0)
    pooled = np.stack([s.mean(axis=0) for s in segments])
    return (pooled - pooled.mean()).reshape(-1).astype(np.float32)
