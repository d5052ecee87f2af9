"""What a user says about their own subtitle file → the actions that run, as a table."""

from __future__ import annotations

import pytest

from skill_runtime.config import config
from skill_runtime.router import route

ROUTES = [
    # (what the user said, attachments, expected actions in order)
    ("upload talk.es.srt", 0, ["upload"]),
    ("", 1, ["upload"]),
    ("use my Spanish file", 1, ["upload"]),
    ("use my subtitles", 1, ["upload", "sse"]),
    ("use my own subtitles for this video", 1, ["upload", "sse"]),
    ("here is my srt", 1, ["upload"]),
    ("use my Spanish file", 0, ["upload"]),  # no file yet: the upload asks for it
    ("burn these subtitles in", 1, ["upload", "sse", "export"]),
    ("burn my captions into the video", 1, ["upload", "sse", "export"]),
    ("burn this SRT into my video", 1, ["upload", "sse", "export"]),
    ("用我的字幕", 1, ["upload", "sse"]),
    ("把字幕烧进视频", 1, ["upload", "sse", "export"]),
    ("burn them in", 0, ["sse"]),  # an edit of the current job, not an import
]


@pytest.mark.parametrize(("text", "attachments", "expected"), ROUTES)
def test_route(text: str, attachments: int, expected: list[str]) -> None:
    assert route(text, config(), attachments).actions == expected
