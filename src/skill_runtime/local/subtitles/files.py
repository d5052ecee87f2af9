"""Plain subtitle formats, each written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pysubs2

from ... import atomic
from ...captions import Cue


def subtitle_name(out_dir: Path, stem: str, language: str, ext: str) -> Path:
    return out_dir / f"{stem}.{language}.{ext}"


def _plain(cues: list[Cue]) -> pysubs2.SSAFile:
    subs = pysubs2.SSAFile()
    for cue in cues:
        event = pysubs2.SSAEvent(start=round(cue.start * 1000), end=round(cue.end * 1000))
        event.plaintext = cue.text
        subs.append(event)
    return subs


def write_text_subs(cues: list[Cue], path: Path, fmt: str) -> Path:
    """SRT or VTT through pysubs2."""
    atomic.write_text(path, _plain(cues).to_string(fmt))
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
