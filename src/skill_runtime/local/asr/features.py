"""Whisper's log-mel features, a block of frames at a time.

faster-whisper takes the STFT of the whole (speech) audio in one go: four
minutes raised peak memory by about 200 MB, an hour would need about 3 GB.
The same numbers come from blocks of frames: each frame sees the same window of
samples (reflect padding only at the two ends, as `stft(center=True)` does),
and the clamp below the loudest value is applied once, over all of them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from faster_whisper.feature_extractor import FeatureExtractor
from numpy.lib.stride_tricks import as_strided

# 41 s, a few MB. A multiple of every BLAS kernel width, and a short last block
# joins the one before it: a matrix product over one or two frames takes other
# kernels, whose sums differ in the last bit.
_BLOCK_FRAMES = 4096


class BlockFeatures(FeatureExtractor):  # type: ignore[misc]  # faster-whisper is untyped
    """faster-whisper's FeatureExtractor with memory bounded by a block, not by the file."""

    def __call__(
        self, waveform: npt.NDArray[Any], padding: int = 160, chunk_length: int | None = None
    ) -> npt.NDArray[np.float32]:
        if chunk_length is not None:
            self.n_samples = chunk_length * self.sampling_rate
            self.nb_max_frames = self.n_samples // self.hop_length
        samples = np.asarray(waveform, dtype=np.float32)
        if padding:
            samples = np.pad(samples, (0, padding))
        n_fft, hop = self.n_fft, self.hop_length
        samples = np.pad(samples, (n_fft // 2, n_fft // 2), mode="reflect")
        window = np.hanning(n_fft + 1)[:-1].astype("float32")
        # faster-whisper drops the last frame.
        count = (len(samples) - n_fft) // hop
        out = np.empty((self.mel_filters.shape[0], count), dtype=np.float32)
        step = samples.strides[0]
        starts = list(range(0, count, _BLOCK_FRAMES))[: max(1, count // _BLOCK_FRAMES)]
        for first, stop in zip(starts, [*starts[1:], count], strict=True):
            frames = as_strided(
                samples[first * hop :], (stop - first, n_fft), (hop * step, step), writeable=False
            )
            spectrum = np.fft.rfft(frames * window, n=n_fft, axis=-1).astype("complex64")
            power = np.abs(spectrum.T) ** 2
            mel = self.mel_filters @ power
            out[:, first:stop] = np.log10(np.clip(mel, a_min=1e-10, a_max=None))
        np.maximum(out, out.max() - 8.0, out=out)
        out += 4.0
        out /= 4.0
        return out
