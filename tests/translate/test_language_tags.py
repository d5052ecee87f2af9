"""Language tags are checked against the skill's table before any work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from skill_runtime.config import config
from skill_runtime.errors import SkillError
from skill_runtime.language_tags import canonical
from skill_runtime.messages import render

USAGE = 2


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "en"),
        ("ES", "es"),
        ("pt_br", "pt-BR"),
        ("zh-Hant", "zh-Hant"),
        (" es ", "es"),
        ("tl", "tl"),
        ("jw", "jw"),
        ("TL_ph", "tl-PH"),
    ],
)
def test_known_tags_come_back_in_canonical_spelling(tag: str, expected: str) -> None:
    assert canonical(tag, config().translation) == expected


@pytest.mark.parametrize(
    ("tag", "suggested"),
    [
        ("english", "en (English)"),
        ("Spanish", "es (Spanish)"),
        ("espanol", "es (Spanish)"),
        ("engl", "en (English)"),
        ("xx", None),
        ("es/../../../X", None),
        ("en;rm", None),
        ("tlh", None),
        ("", None),
    ],
)
def test_unknown_tags_are_refused_naming_close_matches(tag: str, suggested: str | None) -> None:
    with pytest.raises(SkillError) as caught:
        canonical(tag, config().translation)
    assert caught.value.code == "unknown_language"
    message = render("errors/unknown_language", **caught.value.context)
    if suggested:
        assert f"Did you mean {suggested}" in message


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AI_SUBTITLES_HOME": str(tmp_path / "home")}
    return subprocess.run(
        [sys.executable, "-m", "skill_runtime", "--out", str(tmp_path / "out"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["--languages", "en,es/../../../X"],
        ["--languages", "en,xx"],
        ["--language", "english"],
        ["--language", "xx"],
        ["--languages", "en,es", "--burn-languages", "fr"],
        ["--languages", "en,es,fr", "--burn-languages", "en,es,fr"],
    ],
)
def test_the_cli_refuses_a_bad_language_before_touching_the_file(
    tmp_path: Path, args: list[str]
) -> None:
    missing = tmp_path / "not-there.mp4"
    done = _cli(tmp_path, "caption", str(missing), *args)
    assert done.returncode == USAGE, done.stderr
    assert "MEDIA:" not in done.stdout
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.parent.glob("X.*"))
