"""Greedy decoding first, the full beam only where the greedy pass is unsure.

Beam search (5 hypotheses) fixes the odd word greedy decoding gets wrong, but
on a CPU it costs about twice the decoder time of greedy, for every 30-second
window. The windows it changes are the ones greedy decoded with a low average
log-probability; clear speech comes out the same either way. So each window is
decoded greedily, and only a window below `min_avg_logprob` (or above
`max_compression_ratio`, text that repeats itself) is decoded again with the
requested beam and faster-whisper's usual temperature fallback. Both passes use
the same encoder output: the encoder, the largest cost, runs once per window.

faster-whisper has no such option, so a WhisperModel subclass wraps its
per-window `generate_with_fallback`; a window it would treat as silence is not
decoded again.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from faster_whisper import WhisperModel

from ...settings.local import BeamEscalation


def _with(options: Any, **changes: Any) -> Any:
    """A copy of faster-whisper's TranscriptionOptions (a dataclass; a NamedTuple before 1.1)."""
    if hasattr(options, "_replace"):
        return options._replace(**changes)
    return dataclasses.replace(options, **changes)


def needs_beam(
    rule: BeamEscalation,
    *,
    avg_logprob: float,
    compression_ratio: float,
    no_speech_prob: float,
    options: Any,
) -> bool:
    """True when a greedily decoded window should be decoded again with the beam.

    A window faster-whisper will drop as silence (likely no speech and a low
    log-probability, its own rule) is not worth a second decode.
    """
    silence = (
        options.no_speech_threshold is not None
        and options.log_prob_threshold is not None
        and no_speech_prob > options.no_speech_threshold
        and avg_logprob < options.log_prob_threshold
    )
    return not silence and (
        avg_logprob < rule.min_avg_logprob or compression_ratio > rule.max_compression_ratio
    )


class EscalatingWhisper(WhisperModel):  # type: ignore[misc]  # faster-whisper is untyped
    """A WhisperModel that decodes greedily and re-decodes unsure windows with the beam.

    `windows` and `escalated` count the decoded windows and the re-decoded ones.
    """

    def __init__(self, *args: Any, escalation: BeamEscalation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.escalation = escalation
        self.windows = 0
        self.escalated = 0

    def generate_with_fallback(
        self, encoder_output: Any, prompt: list[int], tokenizer: Any, options: Any
    ) -> Any:
        """One window as faster-whisper returns it: (result, avg_logprob, temperature, ratio)."""
        rule = self.escalation
        if rule is None or options.beam_size <= rule.first_pass_beam:
            return super().generate_with_fallback(encoder_output, prompt, tokenizer, options)
        self.windows += 1
        first = super().generate_with_fallback(
            encoder_output,
            prompt,
            tokenizer,
            _with(options, beam_size=rule.first_pass_beam, temperatures=[0.0]),
        )
        result, avg_logprob, _, compression_ratio = first
        if not needs_beam(
            rule,
            avg_logprob=avg_logprob,
            compression_ratio=compression_ratio,
            no_speech_prob=result.no_speech_prob,
            options=options,
        ):
            return first
        self.escalated += 1
        return super().generate_with_fallback(encoder_output, prompt, tokenizer, options)
