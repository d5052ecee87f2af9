"""Versions of one video in a chat, and undo aimed at what the user names.

In-process on a saved job (no speech model, no encode): "also a vertical TikTok
version" makes a rendition, "the TikTok one" points at it, "undo the yellow"
puts the colour back where that yellow shows and nothing else, an ambiguous
sentence changes nothing and answers with the choices, and a job saved before
renditions existed loads as one rendition.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.captions import Cue, Word
from skill_runtime.config import config
from skill_runtime.context import Context
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.local.chat import CaptionNext, respond
from skill_runtime.local.probe import probe
from skill_runtime.local.sample import make_clip
from skill_runtime.local.session import STORE_NAME, LocalSession
from skill_runtime.messages import render
from skill_runtime.progress import Progress
from skill_runtime.store import Store

YELLOW, WHITE_DEFAULT = "#FFE600", None


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("versions") / "talk.mp4", "Hello.", size="160x90")


def _cue(start: float, end: float, text: str) -> Cue:
    step = (end - start) / len(text.split())
    words = [
        Word(text=w, start=round(start + i * step, 3), end=round(start + (i + 1) * step, 3))
        for i, w in enumerate(text.split())
    ]
    return Cue(start=start, end=end, lines=[text], words=words)


def _backend(tmp_path: Path, clip: Path, rendition: str | None = None) -> LocalBackend:
    ctx = Context(
        config=config(),
        store=Store(tmp_path / "home"),
        out_dir=tmp_path / "out",
        progress=Progress(quiet=True),
        version="test",
        platform="test",
        env=Environment.read(config()),
        rendition=rendition,
    )
    return LocalBackend(ctx)


@pytest.fixture
def backend(tmp_path: Path, clip: Path) -> LocalBackend:
    """A captioned 16:9 job whose one rendition is `main`."""
    backend = _backend(tmp_path, clip)
    with backend.jobs() as session:
        job = session.open(probe(clip, config().local.media_extensions)).job
        job.source_language = "en"
        job.settings.languages = ["en"]
        job.tracks = {"en": [_cue(0.2, 0.9, "hello there world")]}
        job.words = [w for cue in job.tracks["en"] for w in cue.words]
    return backend


def _say(backend: LocalBackend, text: str) -> str:
    result = backend.chat(text)
    return render(result.template, **result.context)


def _looks(backend: LocalBackend) -> dict[str, dict[str, Any]]:
    job = backend.current_job()
    return {name: r.settings.model_dump() for name, r in job.renditions.items()}


def _conversation(backend: LocalBackend) -> None:
    """YouTube yellow at the top, then a vertical TikTok version with pop captions."""
    backend.chat("yellow, at the top")
    backend.chat("also a vertical TikTok version with pop captions")


def test_a_new_version_is_a_new_rendition_and_the_first_stays(backend: LocalBackend) -> None:
    _conversation(backend)
    job = backend.current_job()
    assert list(job.renditions) == ["main", "tiktok"]
    assert job.rendition == "tiktok"
    main, tiktok = job.renditions["main"].settings, job.renditions["tiktok"].settings
    assert (main.aspect, main.style, main.platform) == ("source", "clean", None)
    assert (tiktok.aspect, tiktok.style, tiktok.platform) == ("9:16", "pop", "tiktok")
    assert tiktok.color == YELLOW and tiktok.position == "top"


def test_the_tiktok_one_points_at_that_version_only(backend: LocalBackend) -> None:
    _conversation(backend)
    backend.chat("make the YouTube one bigger")
    before = _looks(backend)
    answer = _say(backend, "send the TikTok one on WhatsApp")
    after = _looks(backend)
    assert after["main"] == before["main"]
    assert after["tiktok"]["deliver"] == "whatsapp"
    assert backend.current_job().rendition == "tiktok"
    assert "Version: tiktok" in answer


def test_both_edits_every_version(backend: LocalBackend) -> None:
    _conversation(backend)
    _say(backend, "make both of them red")
    assert {look["color"] for look in _looks(backend).values()} == {"#FF3B30"}


def test_the_rendition_option_picks_the_version(tmp_path: Path, clip: Path) -> None:
    backend = _backend(tmp_path, clip)
    with backend.jobs() as session:
        job = session.open(probe(clip, config().local.media_extensions)).job
        job.tracks = {"en": [_cue(0.2, 0.9, "hello there world")]}
    backend.chat("also a vertical version")
    picked = _backend(tmp_path, clip, rendition="main")
    picked.chat("make them green")
    looks = _looks(picked)
    assert looks["main"]["color"] == "#34C759" and looks["vertical"]["color"] is None


def test_a_version_name_is_matched_whatever_its_case(tmp_path: Path, clip: Path) -> None:
    backend = _backend(tmp_path, clip)
    with backend.jobs() as session:
        job = session.open(probe(clip, config().local.media_extensions)).job
        job.tracks = {"en": [_cue(0.2, 0.9, "hello there world")]}
    backend.chat("also a vertical version")
    _backend(tmp_path, clip, rendition="Main").chat("make them green")
    assert _looks(backend)["main"]["color"] == "#34C759"


def test_an_unknown_rendition_option_is_refused_with_the_names(tmp_path: Path, clip: Path) -> None:
    backend = _backend(tmp_path, clip, rendition="reels")
    with backend.jobs() as session:
        job = session.open(probe(clip, config().local.media_extensions)).job
        job.tracks = {"en": [_cue(0.2, 0.9, "hello there world")]}
    with pytest.raises(SkillError) as caught:
        backend.chat("make them red")
    assert caught.value.code == "unknown_rendition"
    assert caught.value.context["renditions"] == ["main"]


# Aimed undo: after "yellow, at the top" on main and a TikTok version made from it.
AIMED = [
    # (sentence, expected colour and position on main, then on tiktok)
    ("undo the yellow", (WHITE_DEFAULT, "top"), (WHITE_DEFAULT, "top")),
    ("put the colour back", (YELLOW, "top"), (WHITE_DEFAULT, "top")),
    ("撤销颜色", (YELLOW, "top"), (WHITE_DEFAULT, "top")),
    ("恢复白色", (YELLOW, "top"), (WHITE_DEFAULT, "top")),
    ("undo the top", (YELLOW, "bottom"), (YELLOW, "bottom")),
    ("put the position back", (YELLOW, "top"), (YELLOW, "bottom")),
    ("undo the colour on the YouTube one", (WHITE_DEFAULT, "top"), (YELLOW, "top")),
]


@pytest.mark.parametrize(("sentence", "main", "tiktok"), AIMED)
def test_aimed_undo_reverts_that_attribute_only(
    backend: LocalBackend, sentence: str, main: tuple[Any, ...], tiktok: tuple[Any, ...]
) -> None:
    _conversation(backend)
    before = _looks(backend)
    backend.chat(sentence)
    after = _looks(backend)
    assert (after["main"]["color"], after["main"]["position"]) == main
    assert (after["tiktok"]["color"], after["tiktok"]["position"]) == tiktok
    for name in ("main", "tiktok"):
        rest = {k: v for k, v in after[name].items() if k not in ("color", "position")}
        assert rest == {k: v for k, v in before[name].items() if k not in ("color", "position")}


def test_undo_the_yellow_keeps_the_vertical_frame_and_says_what_changed(
    backend: LocalBackend,
) -> None:
    _conversation(backend)
    answer = _say(backend, "undo the yellow")
    tiktok = backend.current_job().renditions["tiktok"].settings
    assert tiktok.aspect == "9:16" and tiktok.style == "pop"
    assert f"tiktok: Colour: {YELLOW} → default" in answer
    assert f"main: Colour: {YELLOW} → default" in answer
    assert "Frame" not in answer


def test_an_aimed_undo_is_itself_one_step_back(backend: LocalBackend) -> None:
    _conversation(backend)
    before = _looks(backend)
    backend.chat("undo the yellow")
    backend.chat("undo")
    assert _looks(backend) == before


def test_undo_the_tiktok_version_removes_that_rendition(backend: LocalBackend) -> None:
    _conversation(backend)
    main = _looks(backend)["main"]
    answer = _say(backend, "undo the TikTok version")
    job = backend.current_job()
    assert list(job.renditions) == ["main"] and job.rendition == "main"
    assert _looks(backend)["main"] == main
    assert "Version tiktok: removed" in answer
    backend.chat("undo")
    assert list(backend.current_job().renditions) == ["main", "tiktok"]


def test_plain_undo_is_the_last_step_and_the_last_two_two_steps(backend: LocalBackend) -> None:
    start = _looks(backend)
    _conversation(backend)
    backend.chat("undo")
    assert list(backend.current_job().renditions) == ["main"]
    backend.chat("make them red")
    backend.chat("undo the last two")
    assert _looks(backend) == start


# Sentences that name no one thing: nothing changes, and the answer offers the choices.
AMBIGUOUS = [
    ("undo the banana", "unknown", "does not name one thing"),
    ("undo the size", "unchanged", "never changed"),
    ("undo the main version", "last", "only version"),
]


@pytest.mark.parametrize(("sentence", "problem", "said"), AMBIGUOUS)
def test_an_ambiguous_undo_changes_nothing_and_offers_choices(
    backend: LocalBackend, sentence: str, problem: str, said: str
) -> None:
    backend.chat("make them yellow")
    before = backend.current_job().model_dump()
    result = backend.chat(sentence)
    assert result.data["problem"] == problem
    assert backend.current_job().model_dump() == before
    assert said in render(result.template, **result.context)


def test_a_change_on_another_version_only_is_offered_not_done(backend: LocalBackend) -> None:
    backend.chat("also a vertical TikTok version")
    backend.chat("make the tiktok one bigger")
    backend.chat("make the main one red")
    before = backend.current_job().model_dump()
    result = backend.chat("undo the size")
    assert result.data["problem"] == "ambiguous"
    assert [(c["rendition"], c["field"]) for c in result.data["choices"]] == [
        ("tiktok", "font_size")
    ]
    assert backend.current_job().model_dump() == before
    assert '"undo the size on the tiktok one"' in render(result.template, **result.context)


def test_a_job_saved_before_renditions_loads_as_one(tmp_path: Path, clip: Path) -> None:
    info = probe(clip, config().local.media_extensions)
    settings = {"languages": ["en"], "color": YELLOW, "aspect": "source"}
    old = {
        "jobs": {
            str(info.path): {
                "media": info.model_dump(mode="json"),
                "settings": settings,
                "tracks": {"en": [_cue(0.2, 0.9, "hello").model_dump(mode="json")]},
                "outputs": [],
                "history": {
                    "entries": [
                        {
                            "said": "make them yellow",
                            "changes": [{"field": "color", "before": None, "after": YELLOW}],
                            "edits": [],
                            "before": {"settings": {"languages": ["en"]}, "tracks": {}},
                        }
                    ],
                    "pool": {},
                },
            }
        },
        "current_key": str(info.path),
    }
    store = Store(tmp_path / "home")
    store.path(STORE_NAME).parent.mkdir(parents=True, exist_ok=True)
    store.path(STORE_NAME).write_text(json.dumps(old), encoding="utf-8")
    session = store.load(STORE_NAME, LocalSession)
    assert session is not None and session.current is not None
    job = session.current
    assert list(job.renditions) == ["main"] and job.settings.color == YELLOW
    backend = _backend(tmp_path, clip)
    backend.chat("undo the yellow")
    assert backend.current_job().settings.color is None


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("captions in English and Spanish for YouTube", "youtube"),
        ("add vertical TikTok captions", "tiktok"),
        ("加字幕，抖音", "tiktok"),
        ("add captions", None),
    ],
)
def test_first_captions_name_their_version_by_what_was_said(
    tmp_path: Path, clip: Path, sentence: str, name: str | None
) -> None:
    backend = _backend(tmp_path, clip)
    with backend.jobs() as session:
        session.open(probe(clip, config().local.media_extensions))
    reply = respond(backend.ctx, sentence)
    assert isinstance(reply, CaptionNext)
    assert reply.request.rendition == name


def test_every_choice_offered_is_a_sentence_that_does_it(backend: LocalBackend) -> None:
    _conversation(backend)
    backend.chat("send the TikTok one on WhatsApp")
    offered = backend.chat("undo the banana").data["choices"]
    assert offered
    words = config().edits.undo.attributes
    for choice in offered:
        job = backend.current_job()
        before = job.model_dump()
        if choice["kind"] == "rendition":
            sentence = f"undo the {choice['rendition']} version"
        else:
            sentence = f"undo the {words[choice['field']][0]} on the {choice['rendition']} one"
        result = backend.chat(sentence)
        assert result.data.get("problem") is None, sentence
        assert backend.current_job().model_dump() != before, sentence
        backend.chat("undo")


def test_an_edit_on_the_vertical_version_keeps_the_wide_versions_lines(
    tmp_path: Path, clip: Path
) -> None:
    """The tracks are shared: laid out for the widest frame, each version narrows its own."""
    backend = _backend(tmp_path, clip)
    text = "Mix three eggs with the flour, a pinch of salt and some water"
    with backend.jobs() as session:
        job = session.open(probe(clip, config().local.media_extensions)).job
        job.source_language, job.settings.languages = "en", ["en"]
        job.tracks = {"en": [_cue(0.2, 4.0, text)]}
        job.words = list(job.tracks["en"][0].words)
    backend.chat("also a vertical TikTok version")
    backend.chat("replace salt with pepper")
    (cue,) = backend.current_job().tracks["en"]
    assert " ".join(cue.lines) == text.replace("salt", "pepper")
    assert max(len(line) for line in cue.lines) > 26  # 9:16's longest line
