"""Whisper's log-mel features, a block of frames at a time.

faster-whisper takes the STFT of the whole (speech) audio in one go: four
minutes raised peak memory by about 200 MB, an hour would need about 3 GB.
The same numbers come from blocks of frames: each frame sees the same window of
samples (reflect padding only at the two ends, as `stft(center=True)` does),
and the clamp below the loudest value is applied once, over all of them.
Only the padded ends are built; each block copies its own samples, so
nothing but the output grows with the file.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from faster_whisper.feature_extractor import FeatureExtractor
from numpy.lib.stride_tricks import sliding_window_view

# About 10 s: with numpy's FFT scratch, a block takes about 20 MB (4096 frames
# took 90). A multiple of every BLAS kernel width, and a short last block joins
# the one before it: a matrix product over a few frames takes other kernels,
# whose sums differ in the last bit.
_BLOCK_FRAMES = 1024


def _padded(waveform: npt.NDArray[Any], padding: int, half: int) -> list[npt.NDArray[Any]]:
    """`padding` zeros after the waveform and `half` reflected samples at both ends, as
    pieces laid end to end: the waveform itself is one of them, not copied."""
    edge = half + 1  # reflecting `half` samples reads `half + 1` at each end
    if len(waveform) < edge:
        return [np.pad(np.pad(waveform, (0, padding)), half, mode="reflect")]
    head = np.pad(waveform[:edge], (half, 0), mode="reflect")[:half]
    tail = np.pad(np.pad(waveform[-edge:], (0, padding)), (0, half), mode="reflect")[edge:]
    return [head, waveform, tail]


def _take(pieces: list[npt.NDArray[Any]], start: int, stop: int) -> npt.NDArray[np.float32]:
    """Samples `start` to `stop` of the pieces laid end to end, as float32."""
    parts, offset = [], 0
    for piece in pieces:
        low, high = max(start - offset, 0), min(stop - offset, len(piece))
        if low < high:
            parts.append(piece[low:high])
        offset += len(piece)
    return np.concatenate(parts).astype(np.float32, copy=False)


class BlockFeatures(FeatureExtractor):  # type: ignore[misc]  # faster-whisper is untyped
    """faster-whisper's FeatureExtractor with memory bounded by a block, not by the file."""

    def __call__(
        self, waveform: npt.NDArray[Any], padding: int = 160, chunk_length: int | None = None
    ) -> npt.NDArray[np.float32]:
        if chunk_length is not None:
            self.n_samples = chunk_length * self.sampling_rate
            self.nb_max_frames = self.n_samples // self.hop_length
        n_fft, hop = self.n_fft, self.hop_length
        pieces = _padded(waveform, padding, n_fft // 2)
        window = np.hanning(n_fft + 1)[:-1].astype("float32")
        # faster-whisper drops the last frame.
        count = (sum(len(piece) for piece in pieces) - n_fft) // hop
        out = np.empty((self.mel_filters.shape[0], count), dtype=np.float32)
        starts = list(range(0, count, _BLOCK_FRAMES))[: max(1, count // _BLOCK_FRAMES)]
        for first, stop in zip(starts, [*starts[1:], count], strict=True):
            samples = _take(pieces, first * hop, (stop - 1) * hop + n_fft)
            frames = sliding_window_view(samples, n_fft)[::hop]
            spectrum = np.fft.rfft(frames * window, n=n_fft, axis=-1)
            power = np.abs(spectrum.astype(np.complex64, copy=False).T) ** 2
            mel = self.mel_filters @ power
            out[:, first:stop] = np.log10(np.clip(mel, a_min=1e-10, a_max=None))
        np.maximum(out, out.max() - 8.0, out=out)
        out += 4.0
        out /= 4.0
        return out
