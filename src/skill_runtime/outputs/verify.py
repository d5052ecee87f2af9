"""Is a finished file whole? Checked before it takes its final name.

The media libraries (av, pysubs2) come with the local backend, so they are
imported inside the checks that need them: a core install (cloud only) still
verifies a downloaded MP4 by its box structure, and decodes it too when av is there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass
class Expect:
    """What a finished file must be: its kind and, for subtitles, how many cues it holds."""

    kind: str
    count: int = 0


def verify(path: Path, expect: Expect) -> str | None:
    """None when `path` is complete, else why not (in a few words)."""
    try:
        size = path.stat().st_size
    except OSError:
        return "missing"
    if size == 0:
        return "empty"
    try:
        if expect.kind == "mp4":
            return _mp4_boxes(path, size) or _mp4_decodes(path)
        if expect.kind == "png":
            return None if path.read_bytes()[:8] == PNG_MAGIC else "not a PNG"
        if expect.kind == "json":
            cues = json.loads(path.read_text(encoding="utf-8")).get("cues", [])
            return None if len(cues) == expect.count else "cues missing"
        return _subtitles(path, expect)
    except (OSError, ValueError) as exc:
        return type(exc).__name__


def _mp4_boxes(path: Path, size: int) -> str | None:
    """The top-level boxes tile the file exactly and include the index (`moov`): a download
    cut anywhere leaves a box that runs past the end."""
    kinds: list[bytes] = []
    with path.open("rb") as f:
        at = 0
        while at < size:
            f.seek(at)
            head = f.read(16)
            length = int.from_bytes(head[:4], "big")
            if length == 1:
                length = int.from_bytes(head[8:16], "big")
            elif length == 0:  # the last box runs to the end of the file
                length = size - at
            if len(head) < 8 or length < 8:
                return "not an MP4"
            kinds.append(head[4:8])
            at += length
    if at != size:
        return "cut short"
    if not kinds or kinds[0] != b"ftyp":
        return "not an MP4"
    return None if b"moov" in kinds else "no index"


def _mp4_decodes(path: Path) -> str | None:
    """Opens, has a duration, every packet up to that duration is there, the first frame decodes."""
    try:
        import av
    except ImportError:  # a core install: the box structure is what can be checked
        return None
    try:
        with av.open(str(path)) as container:
            if not container.duration or container.duration <= 0:
                return "no duration"
            streams = [*container.streams.video[:1], *container.streams.audio[:1]]
            if not streams:
                return "no streams"
            ends = {s.index: 0.0 for s in streams}
            for packet in container.demux(*streams):
                if packet.pts is not None and packet.time_base is not None and packet.size:
                    end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
                    ends[packet.stream.index] = max(ends[packet.stream.index], end)
            want = container.duration / av.time_base
            if max(ends.values()) < want - 0.5:
                return f"ends at {max(ends.values()):.1f} s of {want:.1f} s"
            if container.streams.video:
                container.seek(0)
                next(container.decode(video=0))
    except av.FFmpegError as exc:
        return type(exc).__name__
    return None


def _subtitles(path: Path, expect: Expect) -> str | None:
    import pysubs2

    try:
        events = pysubs2.load(str(path), encoding="utf-8")
    except pysubs2.Pysubs2Error as exc:
        return type(exc).__name__
    # An ASS style may draw one cue as several events (layers, word pops).
    if expect.kind == "ass":
        return None if len(events) >= expect.count else "cues missing"
    return None if len(events) == expect.count else "cues missing"
