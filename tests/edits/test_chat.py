"""respond(): the local chat action on a saved session (no speech model needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.captions import Cue
from skill_runtime.config import config
from skill_runtime.context import CaptionRequest, Context
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.handlers import say
from skill_runtime.local.chat import CaptionNext, RenderNext, respond
from skill_runtime.local.probe import probe
from skill_runtime.local.sample import make_clip
from skill_runtime.local.session import CaptionJob
from skill_runtime.messages import render
from skill_runtime.progress import Progress
from skill_runtime.results import Result
from skill_runtime.store import Store
from translate.fake_openai import serve


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(
        tmp_path_factory.mktemp("chat") / "talk.mp4",
        "Hello.",
        size="160x90",
        lead_s=0.1,
        tail_s=0.1,
    )


@pytest.fixture
def backend(tmp_path: Path) -> LocalBackend:
    ctx = Context(
        config=config(),
        store=Store(tmp_path / "home"),
        out_dir=tmp_path / "out",
        progress=Progress(quiet=True),
        version="test",
        platform="test",
        env=Environment.read(config()),
    )
    return LocalBackend(ctx)


def _open(backend: LocalBackend, clip: Path) -> CaptionJob:
    with backend.jobs() as session:
        return session.open(probe(clip, config().local.media_extensions)).job


@pytest.fixture
def captioned(backend: LocalBackend, clip: Path) -> LocalBackend:
    _open(backend, clip)
    with backend.jobs() as session:
        job = session.current
        assert job is not None
        job.source_language = "en"
        job.tracks = {"en": [Cue(start=0.1, end=0.9, lines=["hello world"])]}
        job.settings.languages = ["en"]
    return backend


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AI_SUBTITLES_TRANSLATOR", "AI_SUBTITLES_GLOSSARY"):
        monkeypatch.delenv(name, raising=False)
    with serve() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-chat-0123456789")
        yield


def _say(backend: LocalBackend, text: str) -> str:
    # Each sentence is a new run of the CLI: it sees the variables the test has set by now.
    backend.ctx.env = Environment.read(config())
    result = backend.chat(text)
    return render(result.template, **result.context)


def test_without_an_upload_the_user_is_asked_for_a_file(backend: LocalBackend) -> None:
    with pytest.raises(SkillError) as caught:
        backend.chat("make them yellow")
    assert caught.value.code == "no_upload"


def test_an_edit_is_saved_and_answered_with_the_change(captioned: LocalBackend) -> None:
    answer = _say(captioned, "make them yellow and move them to the top")
    assert "Colour: default → #FFE600" in answer and "Position: bottom → top" in answer
    settings = captioned.current_job().settings
    assert (settings.color, settings.position) == ("#FFE600", "top")


def test_adding_a_language_translates_a_new_track(captioned: LocalBackend, endpoint: None) -> None:
    answer = _say(captioned, "add Spanish")
    assert "Languages: English → English, Spanish" in answer
    assert captioned.current_job().tracks["es"][0].lines == ["hola mundo"]


def test_a_failed_translation_changes_nothing(
    captioned: LocalBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "AI_SUBTITLES_TRANSLATOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AI_SUBTITLES_PLATFORM", "unknown")  # an agent host gets a hand-off
    with pytest.raises(SkillError) as caught:
        captioned.chat("make them yellow and add Spanish")
    assert caught.value.code == "translation_unavailable"
    job = captioned.current_job()
    assert job.settings.color is None and list(job.tracks) == ["en"]


def test_something_outside_captions_points_to_the_cloud_backend(captioned: LocalBackend) -> None:
    answer = _say(captioned, "add some background music")
    assert "Local mode does captions only" in answer and "--backend cloud" in answer


def test_an_unrecognised_sentence_lists_what_local_mode_can_do(captioned: LocalBackend) -> None:
    answer = _say(captioned, "what a lovely day")
    assert "I found no caption change" in answer and "make it look better" in answer


def test_style_edits_before_any_captions_say_to_caption_first(
    backend: LocalBackend, clip: Path
) -> None:
    _open(backend, clip)
    with pytest.raises(SkillError) as caught:
        backend.chat("make them yellow")
    assert caught.value.code == "no_captions"


def test_the_last_language_is_kept(captioned: LocalBackend) -> None:
    answer = _say(captioned, "remove English")
    assert "English stayed" in answer


def test_a_first_request_captions_in_the_named_languages_with_its_settings(
    backend: LocalBackend, clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _open(backend, clip)
    seen: list[tuple[CaptionRequest, CaptionJob]] = []

    def caption(request: CaptionRequest) -> Result:
        seen.append((request, backend.current_job()))
        return Result(action="caption", template="local/credits")

    monkeypatch.setattr(backend, "caption", caption)
    result = backend.chat("中英双语字幕，竖屏，黄色")
    ((request, job),) = seen
    assert result.action == "sse"
    assert request.aspect == "9:16"
    assert job.settings.languages == ["zh", "en"]
    assert job.settings.burn_languages == ["zh", "en"]
    assert job.settings.color == "#FFE600"


def test_burned_in_languages_are_reported_as_the_render_burns_them(
    captioned: LocalBackend, endpoint: None
) -> None:
    """Two languages are burned stacked by default, and the answer says so truthfully."""
    answer = _say(captioned, "add Spanish")
    assert "Burned-in languages: English → English, Spanish" in answer
    assert "none" not in answer
    assert "Nothing changed" in _say(captioned, "show both languages")


def test_a_style_edit_on_soft_tracks_says_the_export_wont_show_it_and_offers_burning(
    captioned: LocalBackend,
) -> None:
    _say(captioned, "keep them as separate tracks")
    answer = _say(captioned, "make them yellow and move them to the top")
    assert "the next export will not show this" in answer
    assert 'Say "burn them in"' in answer
    assert "Changed:" not in answer
    result = captioned.chat("make them yellow")
    assert result.data["not_shown_in_export"] == []


def test_the_chat_answer_keeps_the_timeline_and_the_hint_on_their_own_lines(
    captioned: LocalBackend,
) -> None:
    lines = _say(captioned, "make them yellow").splitlines()
    assert lines[-2].startswith("Timeline (2 tracks): ")
    assert lines[-1].startswith('Say "export"')


# Burns the captions with ffmpeg.
@pytest.mark.slow
def test_asking_for_captions_with_the_file_attached_renders_a_captioned_job(
    captioned: LocalBackend, clip: Path
) -> None:
    upload, answer = list(say("add captions", [clip], captioned, config()))
    uploaded = render(upload.template, **upload.context)
    assert "It was captioned before" in uploaded
    assert 'Say "add captions"' not in uploaded
    assert any(m.kind == "video" and m.path.is_file() for m in answer.media)


def test_with_nothing_loaded_the_hint_names_only_options_that_exist(
    backend: LocalBackend,
) -> None:
    with pytest.raises(SkillError) as caught:
        backend.chat("make them yellow")
    message = render(f"errors/{caught.value.code}", **caught.value.context)
    assert "`ai-subtitles caption PATH`" in message and "`ai-subtitles upload PATH`" in message
    assert message.count("--file") == message.count('say "add captions" --file PATH')


def test_burning_in_says_which_saved_look_now_shows(captioned: LocalBackend) -> None:
    _say(captioned, "keep them as separate tracks")
    _say(captioned, "make them yellow")
    answer = _say(captioned, "burn them in")
    assert "Now burned in with the look saved earlier: Colour #FFE600." in answer


def test_a_first_request_for_captions_is_handed_back_to_the_backend(
    backend: LocalBackend, clip: Path
) -> None:
    """The chat layer decides what to caption; captioning itself is the backend's."""
    _open(backend, clip)
    reply = respond(backend.ctx, "中英双语字幕，竖屏")
    assert isinstance(reply, CaptionNext)
    assert (reply.request.path, reply.request.aspect) == (clip, "9:16")
    assert reply.request.said == "中英双语字幕，竖屏"
    assert backend.current_job().tracks == {}


def test_captions_asked_for_on_a_captioned_job_are_a_render_for_the_backend(
    captioned: LocalBackend,
) -> None:
    reply = respond(captioned.ctx, "add captions")
    assert reply == RenderNext(changes=[])
