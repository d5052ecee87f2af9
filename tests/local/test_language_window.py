"""The spoken language is detected on speech, not on a long silent or tonal intro.

Whisper detects a language on the first 30 s it is given; a film whose first
32 s are silence or a tone (an intro sting) must still come out as English.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.asr import load_model
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.local.sample import make_clip

from .conftest import SPEECH, transcribe_file

# Builds clips with ffmpeg and runs Whisper.
pytestmark = pytest.mark.slow

INTRO_S = 32


def _tone_first(speech: Path, out: Path) -> Path:
    """`speech` (which starts with INTRO_S of silence) with a 440 Hz tone over that silence."""
    subprocess.run(
        [locate().exe, "-v", "error", "-y", "-i", str(speech),
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={INTRO_S}:sample_rate=44100",
         "-filter_complex", "[0:a][1:a]amix=inputs=2:duration=first:normalize=0[a]",
         "-map", "0:v", "-map", "[a]", "-c:v", "copy", "-c:a", "aac", str(out)],
        check=True,
    )  # fmt: skip
    return out


@pytest.mark.parametrize("intro", ["silence", "tone"])
def test_a_32_second_intro_does_not_decide_the_language(intro: str, tmp_path: Path) -> None:
    speech = make_clip(tmp_path / "late.mp4", SPEECH, size="160x90", lead_s=INTRO_S)
    clip = speech if intro == "silence" else _tone_first(speech, tmp_path / "tone.mp4")
    transcript = transcribe_file(
        load_model(config().local.model, None, Environment.read(config())), clip, None
    )
    assert transcript.language == "en"
    assert "pasta" in " ".join(w.text.lower() for w in transcript.words)
    assert transcript.words[0].start > INTRO_S - 1
