"""A user's own subtitles through the CLI: caption with them, upload another language, burn both.

No recognition runs for an imported spoken-language track; the files written
keep the user's timing, and the burned video shows the project's style.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pysubs2
import pytest

from skill_runtime.cli import main
from skill_runtime.local.sample import make_clip
from translate.fake_openai import serve

from .conftest import BACKGROUND, BACKGROUND_RGB, frame_at

pytestmark = pytest.mark.slow

USER_SRT = (
    "1\r\n00:00:00,500 --> 00:00:02,000\r\n<i>Hello</i> there, my friend.\r\n\r\n"
    "2\r\n00:00:02,400 --> 00:00:04,800\r\n"
    "This cue is much longer than forty-two characters, as users write them.\r\n"
)
SPANISH_SRT = (
    "1\n00:00:00,500 --> 00:00:02,000\nHola, amigo mío.\n\n"
    "2\n00:00:02,400 --> 00:00:04,800\nEsta frase es larga, como las escriben.\n"
)


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("import")
    clip = make_clip(root / "talk.mp4", "Hello.", size="320x180", pattern=BACKGROUND, tail_s=4.5)
    (root / "talk.en.srt").write_bytes(codecs.BOM_UTF8 + USER_SRT.encode())
    (root / "talk.es.srt").write_text(SPANISH_SRT, encoding="utf-8")
    return {"root": root, "clip": clip, "out": root / "out"}


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    status = main(["--quiet", "--json", *args])
    return status, json.loads(capsys.readouterr().out)


def test_caption_with_the_users_file_then_upload_spanish(
    flow: dict[str, object], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = Path(str(flow["root"])), str(flow["out"])

    def no_recognition(*args: object, **kwargs: object) -> None:
        raise AssertionError("recognition ran")

    monkeypatch.setattr("skill_runtime.local.pipeline.recognise_words", no_recognition)
    status, answer = _json(
        capsys, "--out", out, "caption", str(flow["clip"]), "--subtitles", str(root / "talk.en.srt")
    )
    assert status == 0, answer
    assert answer["tracks"]["en"][0]["lines"] == ["Hello there, my friend."]  # type: ignore[index]
    written = {m["format"]: Path(m["path"]) for m in answer["media"]}  # type: ignore[attr-defined]
    for fmt in ("srt", "vtt"):
        events = pysubs2.load(str(written[fmt]))
        assert [(e.start, e.end) for e in events] == [(500, 2000), (2400, 4800)]
        assert all(len(line) <= 42 for e in events for line in e.plaintext.split("\n"))
    ass = pysubs2.load(str(written["ass"]))
    assert ass.styles["Main"].fontname == "Noto Sans"
    video = written["mp4"]
    assert frame_at(video, 1.2)[-300:].max() > 200  # white caption text near the bottom
    blank = frame_at(video, 2.2)[-300:].reshape(-1, 3).mean(axis=0)
    assert all(abs(blank[k] - BACKGROUND_RGB[k]) < 12 for k in range(3))

    status, answer = _json(capsys, "--out", out, "upload", str(root / "talk.es.srt"))
    assert status == 0, answer
    assert answer["imported"][0]["language"] == "es"  # type: ignore[index]
    status, answer = _json(capsys, "--out", out, "export")
    assert status == 0, answer
    assert answer["burned"] == ["en", "es"]
    assert answer["tracks"]["es"][1]["start"] == 2.4  # type: ignore[index]


def test_a_translator_answering_in_the_wrong_language_is_refused_and_english_delivered(
    flow: dict[str, object], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(str(flow["root"]))
    with serve(["russian"] * 6) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
        monkeypatch.setenv("AI_SUBTITLES_TRANSLATOR", "openai")
        status, answer = _json(
            capsys,
            "--out",
            str(root / "out-ru"),
            "caption",
            str(flow["clip"]),
            "--subtitles",
            str(root / "talk.en.srt"),
            "--languages",
            "en,es",
        )
    assert status == 6
    assert answer["error"] == "translation_failed"
    assert "Cyrillic instead of Latin" in str(answer["message"])
    delivered = {(m["language"], m["format"]) for m in answer["media"]}  # type: ignore[attr-defined]
    assert {("en", "srt"), ("en", "vtt"), (None, "mp4")} <= delivered
    assert not any(lang == "es" for lang, _ in delivered)


def test_an_imported_track_translates_and_muxes_like_a_recognised_one(
    flow: dict[str, object], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(str(flow["root"]))
    with serve() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
        monkeypatch.setenv("AI_SUBTITLES_TRANSLATOR", "openai")
        status, answer = _json(
            capsys,
            "--out",
            str(root / "out-soft"),
            "caption",
            str(flow["clip"]),
            "--subtitles",
            str(root / "talk.en.srt"),
            "--languages",
            "en,es",
            "--soft",
        )
    assert status == 0, answer
    assert answer["soft_tracks"] == ["en", "es"]
    spanish = answer["tracks"]["es"]  # type: ignore[index]
    assert [(c["start"], c["end"]) for c in spanish] == [(0.5, 2.0), (2.4, 4.8)]
    assert {m["format"] for m in answer["media"]} >= {"mp4", "srt", "vtt"}  # type: ignore[attr-defined]
