"""Burn frame ranges ahead of the final cues, then keep only those the final cues still draw.

The piece that lets the picture work start before recognition ends: ranges are
burned on an encoder thread with the cues known so far. When the whole
transcript is in, a range is kept only if the final ASS draws exactly the same
thing over its frames (the same header and styles, the same events touching
it, in the same order, which is all libass sees there); every other range, and
whatever follows the last one, is burned again from the final file. So the
joined video is the one-pass burn's captions whatever guess chose the cuts:
a bad guess costs time, never a wrong frame.
"""

from __future__ import annotations

import errno
import itertools
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pysubs2

from ... import atomic
from ...errors import SkillError
from ...progress import Progress
from ...settings.local import Shape, VideoSettings
from ..probe import MediaInfo
from .ranges import encode_range, join_ranges
from .video import SoftTrack

# ASS keeps centiseconds: an event this close to a range still counts as touching it.
_SLACK_MS = 20

Drawn = tuple[Any, ...]


def drawn_over(subs: pysubs2.SSAFile, frames: tuple[int, int], fps: float) -> Drawn:
    """Everything libass uses to draw frames [first, stop): header, styles, touching events."""
    first_ms = _ms(frames[0], fps) - _SLACK_MS
    stop_ms = _ms(frames[1], fps) + _SLACK_MS
    events = tuple(
        (e.type, e.layer, e.start, e.end, e.style, e.name, e.marginl, e.marginr, e.marginv,
         e.effect, e.text)
        for e in subs.events
        if e.start < stop_ms and e.end > first_ms
    )  # fmt: skip
    styles = tuple(
        sorted((name, tuple(sorted(s.as_dict().items()))) for name, s in subs.styles.items())
    )
    return tuple(sorted(subs.info.items())), styles, events


def _ms(frame: int, fps: float) -> int:
    return round(frame * 1000 / fps)


def tail_spans(
    subs: pysubs2.SSAFile, frames: tuple[int, int], queued: int, fps: float, min_piece_s: float
) -> list[tuple[int, int]]:
    """The frames no range covers, in two pieces when the encoder thread can take one.

    The encoder thread still has `queued` frames to burn; the split point
    evens the two threads' work, moved to the middle of the nearest pause
    between captions, so no caption crosses the border. No pause, no split;
    nor when a piece would be under `min_piece_s` (a seek and an encoder
    start cost more than it saves).
    """
    first, stop = frames
    if stop <= first:
        return []
    least = min_piece_s * fps
    balance = (first + stop - queued) / 2
    if balance - first < least:
        return [frames]
    shown = sorted((e.start, e.end) for e in subs.events if e.end > e.start)
    pauses: list[int] = []
    reach = 0
    for start, end in shown:
        if start > reach and reach:
            pauses.append(round((reach + start) / 2000 * fps))
        reach = max(reach, end)
    inside = [f for f in pauses if first + least <= f <= stop - least]
    if not inside:
        return [frames]
    cut = min(inside, key=lambda f: abs(f - balance))
    return [(first, cut), (cut, stop)]


@dataclass(frozen=True)
class _Part:
    frames: tuple[int, int]
    drawn: Drawn | None  # None: burned from the final cues
    done: Future[Path]


class RangeBurner:
    """Ranges burned on one encoder thread as they are handed over, joined at `finish`."""

    def __init__(
        self,
        info: MediaInfo,
        *,
        fonts: Path,
        shape: Shape,
        fit: str,
        video: VideoSettings,
        folder: Path,
        split_tail_s: float | None = None,
    ) -> None:
        """`split_tail_s`: the shortest piece the tail is split into at `finish` (None: never)."""
        self._info = info
        self._split_tail_s = split_tail_s
        self._fonts, self._shape, self._fit, self._video = fonts, shape, fit, video
        self._folder = folder
        self._parts: list[_Part] = []
        self._names = itertools.count()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="range-burn")
        self._stopping = threading.Event()
        self._full = threading.Event()
        self.reburned = 0

    @property
    def fps(self) -> float:
        return self._info.fps

    @property
    def total_frames(self) -> int:
        info = self._info
        return round((info.video_duration or info.duration) * info.fps)

    @property
    def burned_to(self) -> int:
        """The first frame no range covers yet."""
        return self._parts[-1].frames[1] if self._parts else 0

    def submit(self, stop: int, subs: pysubs2.SSAFile) -> None:
        """Burn from where the last range ended up to frame `stop`, with these cues."""
        frames = (self.burned_to, min(stop, self.total_frames))
        if frames[1] <= frames[0] or self._full.is_set():
            return
        try:
            ass_file = self._write(subs)
        except SkillError:  # its disk is full: no more ranges, the burn will be one pass
            return
        done = self._pool.submit(self._encode, frames, ass_file)
        self._parts.append(_Part(frames, drawn_over(subs, frames, self._info.fps), done))

    def suits(self, shape: Shape, fit: str) -> bool:
        """Whether ranges burned here belong in a render of this frame and fit.

        None do once their disk filled up: they are gone, and the burn is one pass.
        """
        return self._shape == shape and self._fit == fit and not self._full.is_set()

    def finish(
        self,
        subs: pysubs2.SSAFile,
        out: Path,
        *,
        tracks: Sequence[SoftTrack] = (),
        progress: Progress | None = None,
    ) -> Path:
        """The whole video with the final cues: kept ranges, the others burned again, joined.

        What is left is burned on this thread while the encoder thread ends its
        queue, the tail split in a pause so that both end together: one x264
        leaves part of a core idle, two fill both.
        """
        try:
            final_ass = self._write(subs)
            fps = self._info.fps
            queued = sum(p.frames[1] - p.frames[0] for p in self._parts if not p.done.done())
            whole = (self.burned_to, self.total_frames)
            tail = [whole] if whole[0] < whole[1] else []
            if tail and self._split_tail_s is not None:
                tail = tail_spans(subs, whole, queued, fps, self._split_tail_s)
            if len(tail) == 2:  # the first piece goes to the encoder thread, after its queue
                done = self._pool.submit(self._encode, tail[0], final_ass)
                self._parts.append(_Part(tail[0], None, done))
                tail = tail[1:]
            paths: list[Future[Path] | Path] = []
            for part in self._parts:
                if part.drawn is None or part.drawn == drawn_over(subs, part.frames, fps):
                    paths.append(part.done)
                    continue
                part.done.result()  # its file is replaced, but it must not still be writing
                self.reburned += 1
                paths.append(self._encode(part.frames, final_ass, progress))
            paths += [self._encode(frames, final_ass, progress) for frames in tail]
            ordered = [p.result() if isinstance(p, Future) else p for p in paths]
            return join_ranges(
                self._info, ordered, tracks=tracks, video=self._video, out=out, progress=progress
            )
        finally:
            self.close()

    def close(self) -> None:
        """Stop burning: queued ranges are dropped, the one under way is stopped."""
        self._stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def discard(self) -> None:
        """Stop, and remove every range and cue file written so far (their disk may be full)."""
        self.close()
        self._clear()

    def _clear(self) -> None:
        for path in self._folder.iterdir():
            path.unlink(missing_ok=True)

    def _write(self, subs: pysubs2.SSAFile) -> Path:
        path = self._folder / f"cues{next(self._names)}.ass"
        try:
            atomic.write_text(path, subs.to_string("ass"))
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
            raise self._gave_up() from exc
        return path

    def _gave_up(self) -> SkillError:
        """The ranges' disk (which may not be the outputs') is full: free it at once, since
        the job's state is saved there too, and burn no more ahead."""
        self._full.set()
        self._stopping.set()
        self._clear()
        return SkillError("disk_full", folder=str(self._folder.parent))

    def _encode(
        self, frames: tuple[int, int], ass_file: Path, progress: Progress | None = None
    ) -> Path:
        out = self._folder / f"range{next(self._names)}.mp4"
        try:
            return encode_range(
                self._info, frames, ass_file=ass_file, fonts=self._fonts, shape=self._shape,
                fit=self._fit, video=self._video, out=out, progress=progress,
                cancel=self._stopping,
            )  # fmt: skip
        except SkillError as exc:
            # A full disk, here or on the other thread (which stopped this run).
            if exc.code != "disk_full" and not self._full.is_set():
                raise
            raise self._gave_up() from exc
