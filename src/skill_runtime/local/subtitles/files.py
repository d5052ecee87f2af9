"""Plain subtitle formats, each written atomically.

SRT and WebVTT are written here rather than by pysubs2's writers, which read
the text as ASS (a `{...}` block vanishes, `\\N` breaks the line): caption text
is data, escaped for each format by `escape` (pysubs2 still formats the times).
"""

from __future__ import annotations

import json
from pathlib import Path

from pysubs2.formats.subrip import SubripFormat
from pysubs2.formats.webvtt import WebVTTFormat

from ... import atomic
from ...captions import Cue
from . import escape


def subtitle_name(out_dir: Path, stem: str, language: str, ext: str) -> Path:
    return out_dir / f"{stem}.{language}.{ext}"


def _blocks(cues: list[Cue], fmt: str) -> list[str]:
    """One block per cue that has text: number, times, escaped lines."""
    stamp = SubripFormat.ms_to_timestamp if fmt == "srt" else WebVTTFormat.ms_to_timestamp
    line = escape.srt if fmt == "srt" else escape.vtt
    blocks: list[str] = []
    for cue in cues:
        lines = [line(text) for text in cue.lines if text.strip()]
        if not lines:
            continue
        start, end = (max(0, round(t * 1000)) for t in (cue.start, cue.end))
        times = f"{stamp(start)} --> {stamp(end)}"
        blocks.append("\n".join([str(len(blocks) + 1), times, *lines]))
    return blocks


def write_text_subs(cues: list[Cue], path: Path, fmt: str) -> Path:
    """SRT or VTT (`fmt`), every cue's text shown literally by players."""
    head = ["WEBVTT"] if fmt == "vtt" else []
    atomic.write_text(path, "\n\n".join([*head, *_blocks(cues, fmt)]) + "\n")
    return path


def write_json(cues: list[Cue], path: Path, language: str) -> Path:
    """Every cue with its lines and word timings, for tools and for later re-timing."""
    doc = {
        "language": language,
        "cues": [
            {
                "start": cue.start,
                "end": cue.end,
                "lines": cue.lines,
                "words": [w.model_dump() for w in cue.words],
            }
            for cue in cues
        ],
    }
    atomic.write_text(path, json.dumps(doc, ensure_ascii=False, indent=1))
    return path
