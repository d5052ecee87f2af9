"""Every bad input: a clear message, a non-zero exit, and no file left in the output folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from skill_runtime.captions import CaptionSettings
from skill_runtime.cli import main
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.local.sample import speak
from skill_runtime.local.subtitles import AssLook

from .conftest import SPEECH

INPUT_ERROR = config().exit_codes["input"]
LOOK = AssLook(
    shape=config().local.shapes["16:9"],
    preset=config().local.styles["clean"],
    settings=CaptionSettings(),
    font=config().local.fonts.family,
    short_form=config().local.short_form,
)


def caption(path: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--backend", "local", "--out", str(out), "caption", str(path)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def ffmpeg(*args: str) -> None:
    subprocess.run([locate().exe, "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = caption(tmp_path / "nope.mp4", tmp_path / "out", capsys)
    assert code == INPUT_ERROR
    assert "There is no file at" in text
    assert not (tmp_path / "out").exists()


def test_unsupported_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    code, text = caption(notes, tmp_path / "out", capsys)
    assert code == INPUT_ERROR
    assert ".txt file" in text and "mp4" in text
    assert not (tmp_path / "out").exists()


def test_not_media(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "holiday.mp4"
    fake.write_text("this is a text file with a video name\n" * 20)
    code, text = caption(fake, tmp_path / "out", capsys)
    assert code == INPUT_ERROR
    assert "is not a video or audio file (Invalid data found when processing input)" in text
    assert "Errno" not in text
    assert not (tmp_path / "out").exists()


def test_corrupt_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    code, text = caption(broken, tmp_path / "out", capsys)
    assert code == INPUT_ERROR
    assert "damaged or cut short" in text
    assert "Errno" not in text
    assert not (tmp_path / "out").exists()


def test_truncated_file(
    tmp_path: Path, talk_clip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = tmp_path / "full.mp4"
    ffmpeg("-i", str(talk_clip), "-c", "copy", "-movflags", "+faststart", str(full))
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    code, text = caption(cut, tmp_path / "out", capsys)
    assert code == INPUT_ERROR
    assert "damaged or cut short" in text
    assert not (tmp_path / "out").exists()


def test_video_without_audio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    silent = tmp_path / "mute.mp4"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=160x90:rate=10",
        "-t",
        "2",
        "-pix_fmt",
        "yuv420p",
        str(silent),
    )
    code, text = caption(silent, tmp_path / "out", capsys)
    assert code == INPUT_ERROR
    assert "has no sound track" in text
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_silence_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    quiet = tmp_path / "quiet.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=black:size=160x90:rate=10",
        "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.002:sample_rate=16000",
        "-t", "4", "-pix_fmt", "yuv420p", "-c:a", "aac", str(quiet),
    )  # fmt: skip
    code, text = caption(quiet, tmp_path / "out", capsys)
    assert code == INPUT_ERROR
    assert "No speech was found" in text
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_audio_only_writes_subtitles_and_asks_for_video(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    voice = speak(SPEECH, tmp_path / "voice note.wav")
    out = tmp_path / "out"
    code, text = caption(voice, out, capsys)
    assert code == INPUT_ERROR
    assert "audio only" in text
    written = sorted(p.name for p in out.iterdir())
    assert written == [f"voice note.en.{ext}" for ext in ("ass", "json", "srt", "vtt")]
    assert not list(out.glob("*.mp4"))
    media = [
        line.removeprefix("MEDIA: ") for line in text.splitlines() if line.startswith("MEDIA: ")
    ]
    assert sorted(Path(m).name for m in media) == written


@pytest.mark.slow
def test_awkward_path_names_reach_ffmpeg_intact(
    tmp_path: Path, talk_clip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out dir, [x]: 'q'"
    code = main(["--backend", "local", "--json", "--out", str(out), "caption", str(talk_clip)])
    listed = json.loads(capsys.readouterr().out)
    assert code == 0, listed
    kinds = {
        m["kind"] for r in (listed if isinstance(listed, list) else [listed]) for m in r["media"]
    }
    assert kinds == {"subtitles", "transcript", "video", "preview"}
    assert (out / f"{talk_clip.stem}.captioned.mp4").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_text_no_font_can_draw_is_refused(tmp_path: Path) -> None:
    from skill_runtime.captions import Cue
    from skill_runtime.errors import SkillError
    from skill_runtime.local.render.fonts import fonts_dir
    from skill_runtime.local.render.video import check_drawn
    from skill_runtime.local.subtitles import make_ass

    ass = tmp_path / "pua.ass"
    ass.write_text(make_ass([[Cue(start=0, end=1, lines=["\ue123\ue124"])]], LOOK).to_string("ass"))
    with pytest.raises(SkillError) as caught:
        check_drawn(
            ass,
            fonts=fonts_dir(config().local.fonts, Environment.read()),
            shape=LOOK.shape,
            at=0.5,
            chars="\ue123",
        )
    assert caught.value.code == "font_missing"


def test_unknown_style_is_a_usage_error(
    tmp_path: Path, talk_clip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "--backend",
            "local",
            "--out",
            str(tmp_path / "out"),
            "caption",
            str(talk_clip),
            "--style",
            "neon",
        ]
    )
    text = "".join(capsys.readouterr())
    assert code == config().exit_codes["usage"]
    assert 'no caption style called "neon"' in text
    assert not (tmp_path / "out").exists()


def test_failed_render_leaves_no_partial_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from skill_runtime.errors import SkillError
    from skill_runtime.local.render.ffmpeg import run

    out = tmp_path / "x.mp4"
    with pytest.raises(SkillError) as caught:
        run(
            [
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=160x90",
                "-t",
                "1",
                "-c:v",
                "no_such_codec",
                str(out),
            ],
            duration=1,
        )
    assert caught.value.code == "render_failed"
    assert not out.exists()


def test_filter_escaping_keeps_special_characters() -> None:
    from skill_runtime.local.render.ffmpeg import escape_filter_value

    assert escape_filter_value("/a b/it's:[1],x;y.ass") == "/a b/it\\\\\\'s\\\\:\\[1\\]\\,x\\;y.ass"


def test_missing_model_name_says_how_to_get_one(
    tmp_path: Path, talk_clip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "--backend",
            "local",
            "--model",
            "giant-v9",
            "--out",
            str(tmp_path),
            "caption",
            str(talk_clip),
        ]
    )
    text = "".join(capsys.readouterr())
    assert code == config().exit_codes["unavailable"]
    assert '"giant-v9" is not a Whisper model name' in text


def test_model_folder_without_model(
    tmp_path: Path, talk_clip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty-model").mkdir()
    model = str(tmp_path / "empty-model")
    code = main(
        [
            "--backend",
            "local",
            "--model",
            model,
            "--out",
            str(tmp_path / "o"),
            "caption",
            str(talk_clip),
        ]
    )
    assert code == config().exit_codes["unavailable"]
    assert "holds no Whisper model" in "".join(capsys.readouterr())
