"""Re-create nnlib/datasets/files/spoken_digits.npz: the words "zero" to "nine" spoken by 96 voices.

Speech is synthesised with espeak-ng (Debian package `espeak-ng`, GPL-3.0; the generated
audio is not covered by its licence) in 8 English accents x 12 voice variants = 96 voices;
each voice says each digit 3 times at a random speed (120-220 words per minute) and pitch
(20-80 of 0-99). Each clip becomes a 16 x 24 log-mel feature vector with
`nnlib.datasets.audio.log_mel_features`; the audio itself is not kept, except one clip per
digit of one voice for the book's figure. The seed fixes every choice, but other espeak-ng
versions synthesise slightly different audio, so the SHA-256 holds for espeak-ng 1.51.
Run from the repository root: `python data/make_spoken_digits.py` (about a minute).
"""

from __future__ import annotations

import io
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from npz import text_to_bytes, write_npz  # noqa: E402

from nnlib.datasets.audio import log_mel_features  # noqa: E402

DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
ACCENTS = [
    "en-gb",
    "en-us",
    "en-gb-scotland",
    "en-gb-x-gbclan",
    "en-gb-x-rp",
    "en-gb-x-gbcwmd",
    "en-029",
    "en-us-nyc",
]
VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m7", "f1", "f2", "f3", "f4", "croak", "klatt"]
REPEATS = 3
SAMPLE_RATE = 22050


def speak(word: str, voice: str, speed: int, pitch: int) -> np.ndarray:
    """espeak-ng's audio of `word` as float64 samples in [-1, 1] at SAMPLE_RATE."""
    wav = subprocess.run(
        ["espeak-ng", "--stdout", "-v", voice, "-s", str(speed), "-p", str(pitch), word],
        check=True,
        capture_output=True,
    ).stdout
    with wave.open(io.BytesIO(wav)) as w:
        assert w.getframerate() == SAMPLE_RATE and w.getsampwidth() == 2 and w.getnchannels() == 1
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2") / 32768.0


rng = np.random.default_rng(6)
voices = [f"{accent}+{variant}" for accent in ACCENTS for variant in VARIANTS]
features, labels, voice_ids, examples = [], [], [], []
for v, voice in enumerate(voices):
    for digit, word in enumerate(DIGITS):
        for _ in range(REPEATS):
            audio = speak(word, voice, int(rng.integers(120, 221)), int(rng.integers(20, 81)))
            features.append(log_mel_features(audio, SAMPLE_RATE))
            labels.append(digit)
            voice_ids.append(v)
            if voice == "en-us+m1" and len(examples) == digit:
                examples.append(audio[:SAMPLE_RATE])
example_audio = np.stack([np.pad(a, (0, SAMPLE_RATE - a.size)) for a in examples])
write_npz(
    "spoken_digits.npz",
    features=np.stack(features),
    labels=np.array(labels, dtype=np.uint8),
    voice=np.array(voice_ids, dtype=np.uint8),
    voice_names=text_to_bytes(voices),
    example_audio=(example_audio * 32767).round().astype(np.int16),
)
