"""Burn the picture while speech is still being recognised.

The burn is most of a caption's time; recognition, run first, left a core idle
and delayed the encode by its whole length. Here, after each recognised
segment, the frames up to a settled pause are handed to a `RangeBurner` with
the captions drawn from the words so far. A cut falls in the gap after a cue
that ends a sentence, at least `settle_s` behind what recognition has heard,
where later words no longer change a cue; and the burner keeps a range only if
the final captions draw the same over it. A wrong guess costs time, never a
frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pysubs2

from ..captions import Cue, Word
from ..settings.local import BurnAhead, Shape
from .asr.transcribe import Partial
from .render.streamed import RangeBurner


@dataclass(frozen=True)
class Sketch:
    """The burn's captions from the words so far, and the first burned language's cues."""

    subs: pysubs2.SSAFile
    cues: list[Cue]


# The burn's captions from (words, spoken language); None when they cannot be
# drawn before the end (a burned translation needs the whole transcript).
Sketcher = Callable[[list[Word], str], Sketch | None]


class Ahead:
    """Feeds a `RangeBurner` the ranges that recognition has settled.

    The burner is made (`start`: fonts prepared, a folder for the ranges) only
    when the first range is ready, so a run that fails before leaves nothing.
    """

    def __init__(
        self,
        start: Callable[[], RangeBurner],
        fps: float,
        sketch: Sketcher,
        rules: BurnAhead,
        sentence_end: str,
    ) -> None:
        self._start = start
        self._fps = fps
        self._sketch = sketch
        self._rules = rules
        self._sentence_end = sentence_end
        self._burner: RangeBurner | None = None
        self._next_try_s = 0.0
        self._off = False

    @property
    def burned_to(self) -> int:
        return self._burner.burned_to if self._burner else 0

    def burner_for(self, shape: Shape, fit: str) -> RangeBurner | None:
        """The burner, if it has ranges and they belong in a render of this frame and fit."""
        if self._burner is None or not self.burned_to or not self._burner.suits(shape, fit):
            return None
        return self._burner

    def close(self) -> None:
        if self._burner is not None:
            self._burner.close()

    def heard(self, partial: Partial) -> None:
        """Hand over the frames up to the last settled pause, if a long enough range is ready."""
        rules = self._rules
        earliest_s = self._first_stop(self.burned_to) / self._fps + rules.settle_s
        if self._off or partial.until_s < max(self._next_try_s, earliest_s):
            return
        sketch = self._sketch(partial.words(), partial.language)
        if sketch is None:
            self._off = True
            return
        stop = self.cut(sketch.cues, partial.until_s - rules.settle_s, self.burned_to)
        if stop is None:
            self._next_try_s = partial.until_s + rules.settle_s / 2
            return
        if self._burner is None:
            self._burner = self._start()
        self._burner.submit(stop, sketch.subs)

    def cut(self, cues: list[Cue], settled_s: float, burned_to: int) -> int | None:
        """The frame in the middle of the last sentence-ending gap before `settled_s`.

        A range is at least `min_range_s` long and at least as long as all before
        it: the first starts the encoder early, the later ones grow so that
        few ranges (each costs a seek and an encoder start) keep it busy.
        """
        first = self._first_stop(burned_to)
        for before, after in zip(reversed(cues[:-1]), reversed(cues[1:]), strict=True):
            if after.start > settled_s:
                continue
            ends = before.text.rstrip().endswith(tuple(self._sentence_end))
            frame = round((before.end + after.start) / 2 * self._fps)
            if frame < first:
                return None
            if ends and before.end * self._fps < frame < after.start * self._fps:
                return frame
        return None

    def _first_stop(self, burned_to: int) -> int:
        """The earliest frame the next range may end at (sketching before it is wasted work)."""
        return burned_to + max(round(self._rules.min_range_s * self._fps), burned_to)
