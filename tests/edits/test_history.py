"""A job's edits are a history: every kind of edit can be undone exactly, shifts round-trip.

In-process on a saved job (no speech model); the CLI tests check the same
through separate processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.captions import Cue, Word
from skill_runtime.config import config
from skill_runtime.context import Context
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.local import pipeline
from skill_runtime.local.edits.undo import UndoRequest, interpret_undo
from skill_runtime.local.probe import probe
from skill_runtime.local.sample import make_clip
from skill_runtime.messages import render
from skill_runtime.progress import Progress
from skill_runtime.store import Store
from translate.fake_openai import serve


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Speech in the middle of 13 s, so shifts of several seconds stay inside the video."""
    return make_clip(
        tmp_path_factory.mktemp("history") / "talk.mp4",
        "Hello.",
        size="160x90",
        lead_s=6.0,
        tail_s=6.0,
    )


def _cue(start: float, end: float, text: str) -> Cue:
    step = (end - start) / len(text.split())
    words = [
        Word(text=w, start=round(start + i * step, 3), end=round(start + (i + 1) * step, 3))
        for i, w in enumerate(text.split())
    ]
    return Cue(start=start, end=end, lines=[text], words=words)


@pytest.fixture
def backend(tmp_path: Path, clip: Path) -> LocalBackend:
    ctx = Context(
        config=config(),
        store=Store(tmp_path / "home"),
        out_dir=tmp_path / "out",
        progress=Progress(quiet=True),
        version="test",
        platform="test",
        env=Environment.read(config()),
    )
    backend = LocalBackend(ctx)
    with backend.jobs() as session:
        job = session.open(probe(clip, config().local.media_extensions)).job
        job.source_language = "en"
        job.settings.languages = ["en"]
        job.tracks = {
            "en": [_cue(6.1, 6.9, "hello there teh world"), _cue(7.2, 8.0, "see you soon")]
        }
        job.words = [w for cue in job.tracks["en"] for w in cue.words]
    return backend


@pytest.fixture(autouse=True)
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Adding a language translates through a fake OpenAI-compatible server on 127.0.0.1."""
    for name in ("AI_SUBTITLES_TRANSLATOR", "AI_SUBTITLES_GLOSSARY"):
        monkeypatch.delenv(name, raising=False)
    with serve() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-history-0123456789")
        yield


def _state(backend: LocalBackend) -> dict[str, Any]:
    job = backend.current_job()
    return {"settings": job.settings.model_dump(), "tracks": job.model_dump()["tracks"]}


def _say(backend: LocalBackend, text: str) -> str:
    result = backend.chat(text)
    return render(result.template, **result.context)


EVERY_KIND_OF_EDIT = [
    "make them yellow",
    "make the captions bigger",
    "font size 60",
    "move them to the top",
    "add a background box",
    "no outline",
    "turn on word highlight",
    "make it vertical for TikTok",
    "720p",
    "max 20 characters per line",
    'replace "teh" with "the"',
    "shift captions by -5 s",
    "captions are late by 300ms",
    "add Spanish",
    "make it bilingual with Spanish",
    "keep them as separate tracks",
    "make it look better",
    "boxed style",
    "中英双语",
]


@pytest.mark.parametrize("sentence", EVERY_KIND_OF_EDIT)
def test_undo_restores_the_state_before_each_kind_of_edit(
    backend: LocalBackend, sentence: str
) -> None:
    backend.chat("make them green")
    before = _state(backend)
    backend.chat(sentence)
    assert _state(backend) != before, sentence
    answer = _say(backend, "undo")
    assert _state(backend) == before
    assert f'"{sentence}"' in answer


def test_undo_the_last_two_and_back_to_the_original(backend: LocalBackend) -> None:
    original = _state(backend)
    backend.chat("make them yellow")
    after_one = _state(backend)
    backend.chat('replace "teh" with "the"')
    backend.chat("add Spanish")
    _say(backend, "undo the last two")
    assert _state(backend) == after_one
    backend.chat("shift +1s")
    answer = _say(backend, "go back to the original")
    assert _state(backend) == original
    assert backend.current_job().history.entries == []
    assert "make them yellow" in answer


@pytest.mark.parametrize(
    ("sentence", "asked"),
    [
        ("undo", UndoRequest()),
        ("undo that", UndoRequest()),
        ("revert", UndoRequest()),
        ("undo the last two", UndoRequest(count=2)),
        ("undo the last 3 edits", UndoRequest(count=3)),
        ("go back to the original", UndoRequest(everything=True)),
        ("revert everything", UndoRequest(everything=True)),
        ("撤销", UndoRequest()),
        ("撤销最近两步", UndoRequest(count=2)),
        ("撤回三次", UndoRequest(count=3)),
        ("恢复原样", UndoRequest(everything=True)),
        ("全部撤销", UndoRequest(everything=True)),
    ],
)
def test_undo_phrasings(sentence: str, asked: UndoRequest) -> None:
    assert interpret_undo(sentence, config().edits)[0] == asked


@pytest.mark.parametrize("sentence", ["make them yellow", "shift +1 s", "add Spanish", "只要中文"])
def test_edits_are_not_read_as_undo(sentence: str) -> None:
    assert interpret_undo(sentence, config().edits)[0] is None


def test_chinese_undo_steps_back_two_edits(backend: LocalBackend) -> None:
    original = _state(backend)
    backend.chat("黄色")
    backend.chat("字幕放在顶部")
    _say(backend, "撤销最近两步")
    assert _state(backend) == original


def test_undo_then_an_edit_in_one_sentence(backend: LocalBackend) -> None:
    backend.chat("make them yellow")
    answer = _say(backend, "undo that and make them red")
    job = backend.current_job()
    assert job.settings.color == "#FF3B30"
    assert [e.said for e in job.history.entries] == ["undo that and make them red"]
    assert "Undone" in answer and "Colour: default → #FF3B30" in answer


def test_undo_with_nothing_to_undo_says_so(backend: LocalBackend) -> None:
    assert "nothing to undo" in _say(backend, "undo")


def test_undo_more_than_there_is_undoes_everything_and_says_so(backend: LocalBackend) -> None:
    original = _state(backend)
    backend.chat("make them yellow")
    answer = _say(backend, "undo the last 5")
    assert _state(backend) == original
    assert "every edit there was" in answer


def test_state_lists_the_history_in_order(backend: LocalBackend) -> None:
    backend.chat("make them yellow")
    backend.chat("shift +0.5 s")
    result = backend.state()
    text = render(result.template, **result.context)
    assert '1. "make them yellow": Colour: default → #FFE600' in text
    assert '2. "shift +0.5 s": Timing: every caption moved +0.5 s (later)' in text
    history = result.data["job"]["history"]
    assert [(h["step"], h["said"]) for h in history] == [
        (1, "make them yellow"),
        (2, "shift +0.5 s"),
    ]


def _subtitle_bytes(backend: LocalBackend) -> dict[str, bytes]:
    media = pipeline.render_outputs(backend.current_job(), backend.ctx, video=False).media
    return {m.path.name: m.path.read_bytes() for m in media}


def test_a_shift_and_its_opposite_give_back_the_original_files_byte_for_byte(
    backend: LocalBackend,
) -> None:
    original = _subtitle_bytes(backend)
    backend.chat("shift captions by -5 s")
    assert backend.current_job().timed_tracks()["en"][0].start == pytest.approx(1.1)
    backend.chat("shift captions by +5 s")
    assert _subtitle_bytes(backend) == original


def test_a_shift_past_the_start_is_refused_and_changes_nothing(backend: LocalBackend) -> None:
    """Speech starts at 6.1 s: moving it 6.5 s earlier would cut it, so the range is given."""
    before = backend.current_job()
    with pytest.raises(SkillError) as refused:
        backend.chat("shift captions by -6.5 s")
    assert refused.value.code == "edit_out_of_range"
    assert refused.value.context["low"] == "-6.10 s"
    after = backend.current_job()
    assert after.timed_tracks() == before.timed_tracks()
    assert after.history.entries == before.history.entries


def test_an_edit_records_what_was_said_and_what_changed(backend: LocalBackend) -> None:
    backend.chat("make them yellow and move them to the top")
    (entry,) = backend.current_job().history.entries
    assert entry.said == "make them yellow and move them to the top"
    assert [(c.field, c.after) for c in entry.changes] == [
        ("color", "#FFE600"),
        ("position", "top"),
    ]


def test_an_edit_that_changes_nothing_is_not_recorded(backend: LocalBackend) -> None:
    backend.chat("move them to the bottom")
    assert backend.current_job().history.entries == []
