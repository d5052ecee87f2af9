"""The real job: espeak speech and a human recording through the real model and ffmpeg."""

from __future__ import annotations

import re
from pathlib import Path

import av
import jiwer
import numpy as np
import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.asr import load_model
from skill_runtime.results import Result

from .conftest import BACKGROUND_RGB, SPEECH, frame_at, transcribe_file
from .test_cues import assert_rules

pytestmark = pytest.mark.slow
LOCAL = config().local
# Whisper base scores about 5 % WER on clean read English (LibriSpeech test-clean);
# synthetic espeak voices and a short clip leave room for a few word errors.
ESPEAK_WER_BOUND = 0.15
# The Beckett recording is clean studio speech of a famous quote: one error at most.
RECORDING_WER_BOUND = 0.10
BECKETT = "Ever tried. Ever failed. No matter. Try again. Fail again. Fail better."


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).strip()


def _wer(reference: str, hypothesis: str) -> float:
    return float(jiwer.wer(_norm(reference), _norm(hypothesis)))


def _media(result: Result, kind: str, fmt: str | None = None) -> Path:
    return next(m.path for m in result.media if m.kind == kind and (fmt is None or m.format == fmt))


def test_espeak_speech_is_recognised(captioned: tuple[Result, LocalBackend]) -> None:
    _, backend = captioned
    job = backend.current_job()
    hypothesis = " ".join(w.text for w in job.words)
    assert job.source_language == "en"
    assert _wer(SPEECH, hypothesis) <= ESPEAK_WER_BOUND, hypothesis


def test_real_recording_is_recognised(recording: Path) -> None:
    transcript = transcribe_file(
        load_model(LOCAL.model, None, Environment.read(config())), recording, None
    )
    hypothesis = " ".join(w.text for w in transcript.words)
    assert _wer(BECKETT, hypothesis) <= RECORDING_WER_BOUND, hypothesis


def test_real_cues_obey_the_rules(captioned: tuple[Result, LocalBackend]) -> None:
    _, backend = captioned
    cues = backend.current_job().tracks["en"]
    assert len(cues) >= 2
    assert_rules(cues)


def test_every_file_is_written_with_its_language(captioned: tuple[Result, LocalBackend]) -> None:
    result, _ = captioned
    names = sorted(m.path.name for m in result.media)
    stem = Path(names[0]).name.split(".")[0]
    for ext in ("srt", "vtt", "ass", "json"):
        assert f"{stem}.en.{ext}" in names
    assert {m.kind for m in result.media} == {"subtitles", "transcript", "video", "preview"}
    assert all(m.path.is_file() and m.path.stat().st_size > 0 for m in result.media)


def test_ass_play_resolution_is_the_output_size(captioned: tuple[Result, LocalBackend]) -> None:
    result, _ = captioned
    text = _media(result, "subtitles", "ass").read_text()
    assert "PlayResX: 1920" in text
    assert "PlayResY: 1080" in text


def test_json_keeps_word_timings(captioned: tuple[Result, LocalBackend]) -> None:
    import json

    result, _ = captioned
    doc = json.loads(_media(result, "transcript").read_text())
    words = [w for cue in doc["cues"] for w in cue["words"]]
    assert words and all(cue["start"] <= w["start"] for cue in doc["cues"] for w in cue["words"])


def test_burned_video_is_1080p_h264_with_aac(captioned: tuple[Result, LocalBackend]) -> None:
    result, _ = captioned
    with av.open(str(_media(result, "video"))) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.name, video.width, video.height) == ("h264", 1920, 1080)
        assert video.codec_context.pix_fmt == "yuv420p"
        assert audio.codec_context.name == "aac"


def _caption_band(frame: np.ndarray) -> np.ndarray:
    return frame[800:1030, 200:1720].astype(int)


def _diff(frame: np.ndarray) -> np.ndarray:
    return np.abs(frame.astype(int) - np.array(BACKGROUND_RGB)).max(axis=2)


def test_captions_are_drawn_in_the_caption_area_during_a_cue(
    captioned: tuple[Result, LocalBackend],
) -> None:
    result, backend = captioned
    cue = backend.current_job().tracks["en"][0]
    frame = frame_at(_media(result, "video"), (cue.start + cue.end) / 2)
    assert int((_diff(frame)[800:1030, 200:1720] > 100).sum()) > 2000
    assert int(_diff(frame)[:700].max()) < 40


def test_nothing_is_drawn_outside_cues(captioned: tuple[Result, LocalBackend]) -> None:
    result, backend = captioned
    job = backend.current_job()
    last = job.tracks["en"][-1]
    assert job.media.duration - last.end > 1.0
    frame = frame_at(_media(result, "video"), (last.end + job.media.duration) / 2)
    assert int(_diff(frame).max()) < 40


def test_preview_shows_captions(captioned: tuple[Result, LocalBackend]) -> None:
    result, _ = captioned
    with av.open(str(_media(result, "preview"))) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
    assert frame.shape[1] == LOCAL.video.preview_width
    assert int((_diff(frame) > 100).sum()) > 300


def test_burned_video_carries_tagged_soft_track(captioned: tuple[Result, LocalBackend]) -> None:
    result, _ = captioned
    with av.open(str(_media(result, "video"))) as container:
        subs = container.streams.subtitles
        assert [s.metadata.get("language") for s in subs] == ["eng"]


def test_soft_export_copies_video_and_tags_tracks(
    captioned: tuple[Result, LocalBackend], talk_clip: Path
) -> None:
    _, backend = captioned
    job = backend.current_job()
    job.settings = job.settings.model_copy(update={"burn": False})
    soft = _media(backend.render(job), "video")
    with av.open(str(soft)) as out, av.open(str(talk_clip)) as src:
        assert [s.codec_context.name for s in out.streams.subtitles] == ["mov_text"]
        assert out.streams.subtitles[0].metadata.get("language") == "eng"
        out_packet = next(p for p in out.demux(video=0) if p.size)
        src_packet = next(p for p in src.demux(video=0) if p.size)
        assert bytes(out_packet) == bytes(src_packet)


def test_vertical_output_is_1080x1920(captioned: tuple[Result, LocalBackend]) -> None:
    _, backend = captioned
    job = backend.current_job()
    job.settings = job.settings.model_copy(
        update={"aspect": "9:16", "style": "vertical-bold", "burn": True}
    )
    with av.open(str(_media(backend.render(job), "video"))) as container:
        video = container.streams.video[0]
        assert (video.width, video.height) == (1080, 1920)


def test_state_shows_the_timeline(captioned: tuple[Result, LocalBackend]) -> None:
    from skill_runtime.messages import render

    _, backend = captioned
    result = backend.state()
    text = render(result.template, **result.context)
    assert "Captions (en)" in text
    assert re.search(r"\d+ cues", text)
