"""A language no translator can reach does not cost the user the ones that can be made."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from skill_runtime.local.sample import make_clip
from translate.fake_openai import serve

pytestmark = pytest.mark.slow

UNAVAILABLE = 4


def _run(env: dict[str, str], out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skill_runtime", "--out", str(out), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_missing_translator_delivers_the_spoken_language_then_adds_the_other_later(
    tmp_path: Path,
) -> None:
    clip = make_clip(tmp_path / "talk.mp4", "Hello world. Welcome to this demo.", size="320x180")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AI_SUBTITLES_"))}
    env["AI_SUBTITLES_HOME"] = str(tmp_path / "home")
    out = tmp_path / "out"

    first = _run(env, out, "caption", str(clip), "--languages", "en,es")
    assert first.returncode == UNAVAILABLE
    assert "English (en) → Spanish (es)" in first.stderr
    assert 'chat "add Spanish"' in first.stderr
    media = sorted(
        Path(line[7:]).name for line in first.stdout.splitlines() if line.startswith("MEDIA: ")
    )
    assert "talk.en.srt" in media and "talk.captioned.mp4" in media
    assert not list(out.glob("talk.es.*"))

    with serve() as endpoint:
        env |= {"OPENAI_BASE_URL": endpoint.base_url, "OPENAI_API_KEY": "sk-partial-0123456789"}
        added = _run(env, out, "chat", "add Spanish")
    assert added.returncode == 0, added.stderr
    assert "Captions (es)" in _run(env, out, "state").stdout


def _media(done: subprocess.CompletedProcess[str]) -> list[str]:
    return sorted(Path(x[7:]).name for x in done.stdout.splitlines() if x.startswith("MEDIA: "))


def test_a_failing_translator_costs_only_its_language_and_it_is_added_later_from_the_words(
    tmp_path: Path,
) -> None:
    clip = make_clip(tmp_path / "talk.mp4", "Hello world. Welcome to this demo.", size="320x180")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AI_SUBTITLES_"))}
    env["AI_SUBTITLES_HOME"] = str(tmp_path / "home")
    with serve() as gone:
        down = gone.base_url
    env["OPENAI_BASE_URL"] = down
    out = tmp_path / "out"

    first = _run(env, out, "say", "add captions in English and Spanish", "--file", str(clip))
    assert first.returncode == 6, first.stderr
    assert "Captions in English are ready" in first.stderr
    assert "could not be reached" in first.stderr
    assert 'chat "add Spanish"' in first.stderr
    assert {"talk.en.srt", "talk.captioned.mp4"} <= set(_media(first))

    with serve() as endpoint:
        # A model that cannot load: adding a language must not recognise the speech again.
        env |= {"OPENAI_BASE_URL": endpoint.base_url, "AI_SUBTITLES_MODEL": str(tmp_path / "none")}
        added = _run(env, out, "chat", "add Spanish")
    assert added.returncode == 0, added.stderr
    timeline = json.loads(_run(env, out, "--json", "state").stdout)["timeline"]
    assert timeline["languages"] == ["en", "es"]
