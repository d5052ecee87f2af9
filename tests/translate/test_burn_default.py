"""Which languages are burned in: both asked-for languages by default, spoken first."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill_runtime.captions import CaptionSettings, Cue
from skill_runtime.local.pipeline import burn_languages
from skill_runtime.local.probe import MediaInfo
from skill_runtime.local.session import CaptionJob

CUE = [Cue(start=0.0, end=1.0, lines=["x"])]
MEDIA = MediaInfo(path=Path("/clips/talk.mp4"), duration=1.0, has_video=True, has_audio=True)


@pytest.mark.parametrize(
    ("spoken", "asked", "chosen", "made", "burned"),
    [
        ("en", ["en", "es"], [], ["en", "es"], ["en", "es"]),
        ("en", ["es", "en"], [], ["en", "es"], ["en", "es"]),
        ("en", ["es", "fr"], [], ["en", "es", "fr"], ["es", "fr"]),
        ("en", ["en", "es", "fr"], [], ["en", "es", "fr"], ["en", "es"]),
        ("en", ["en", "es"], ["es"], ["en", "es"], ["es"]),
        ("en", ["en", "es"], [], ["en"], ["en"]),
        ("en", [], [], ["en"], ["en"]),
    ],
)
def test_burned_languages(
    spoken: str, asked: list[str], chosen: list[str], made: list[str], burned: list[str]
) -> None:
    job = CaptionJob(
        media=MEDIA,
        settings=CaptionSettings(languages=asked, burn_languages=chosen),
        source_language=spoken,
        tracks={lang: CUE for lang in made},
    )
    assert burn_languages(job) == burned
