"""The WhisperModel the project runs: escalation, one encoder pass per window, split threads,
features in blocks (`features.py`: memory bounded by a block, not by the file).

Two costs faster-whisper leaves on the table on a CPU, both removed without
changing a word of the output:

- With the language left open, it encodes the first window once to detect the
  language and again to transcribe it: on a short clip the encoder, the largest
  cost, ran twice. Detection now sees exactly the first window the transcription
  loop will see, and the encoder output is reused.
- CTranslate2 fixes a model's threads when it loads. The encoder (large matrix
  products) scales with cores; the decoder emits one token at a time on
  matrices too small to share: on 2 cores, base int8 decodes about 1.8x faster
  on one thread than on two. A small model is therefore loaded twice, and
  `SplitThreads` sends the whole-sequence passes (`encode`, and `align` for
  word times) to the copy on every core and token-by-token generation (and
  language detection) to the copy on `decoder_threads`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ...settings.local import BeamEscalation, ThreadSplit
from .escalate import EscalatingWhisper
from .features import BlockFeatures


class SplitThreads:
    """A CTranslate2 Whisper: whole-sequence passes on one copy, token by token on another."""

    def __init__(self, encoder: Any, decoder: Any) -> None:
        self._encoder = encoder
        self._decoder = decoder

    def encode(self, *args: Any, **kwargs: Any) -> Any:
        return self._encoder.encode(*args, **kwargs)

    def align(self, *args: Any, **kwargs: Any) -> Any:
        return self._encoder.align(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._decoder, name)


def split_threads(model_path: Path, split: ThreadSplit | None, threads: int) -> int | None:
    """The decoder's thread count when this model should decode on its own copy, else None."""
    if split is None or threads <= split.decoder_threads:
        return None
    size_mb = (model_path / "model.bin").stat().st_size / 1e6
    return split.decoder_threads if size_mb <= split.max_model_mb else None


class Whisper(EscalatingWhisper):
    """EscalatingWhisper that encodes each window once and may decode on fewer threads."""

    def __init__(
        self,
        model_path: Path,
        *,
        device: str,
        compute_type: str,
        cpu_threads: int,
        escalation: BeamEscalation | None,
        split: ThreadSplit | None,
    ) -> None:
        super().__init__(
            str(model_path),
            device=device,
            compute_type=compute_type,
            cpu_threads=cpu_threads,
            escalation=escalation,
        )
        self._last: tuple[np.ndarray, Any] | None = None
        self.feature_extractor = BlockFeatures(**self.feat_kwargs)
        decoder_threads = split_threads(model_path, split, cpu_threads)
        if device == "cpu" and decoder_threads is not None:
            import ctranslate2

            decoder = ctranslate2.models.Whisper(
                str(model_path),
                device="cpu",
                compute_type=compute_type,
                intra_threads=decoder_threads,
            )
            self.model: Any = SplitThreads(self.model, decoder)

    def transcribe(self, *args: Any, **kwargs: Any) -> Any:
        """faster-whisper's transcribe; a window is reused within one call only."""
        self._last = None
        return super().transcribe(*args, **kwargs)

    def encode(self, features: np.ndarray) -> Any:
        """The encoder output, reused when the same window comes again (detect, then decode)."""
        if self._last is not None and np.array_equal(self._last[0], features):
            return self._last[1]
        output = super().encode(features)
        self._last = (np.array(features, copy=True), output)
        return output

    def detect_language(
        self, audio: Any = None, features: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        """Detect on the frames the transcription loop uses, which drops the last one."""
        if audio is None and features is not None and features.shape[-1] > 1:
            features = features[..., :-1]
        return super().detect_language(audio, features, *args, **kwargs)
