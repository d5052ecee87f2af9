"""translate_cues: provider choice, alignment guarantees, re-wrapping, clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill_runtime.captions import Cue, Word
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.local.translate.base import Job
from skill_runtime.local.translate.service import LANGUAGE_FAILURES, choose, translate_cues
from skill_runtime.messages import render

from .conftest import KEY
from .fake_openai import FakeOpenAI, serve

RULES = config().local.cues.with_overrides(max_chars_per_line=20)


def _cues() -> list[Cue]:
    return [
        Cue(
            start=0.5,
            end=2.0,
            lines=["hello world"],
            words=[Word(text="hello", start=0.5, end=1.0)],
        ),
        Cue(start=2.2, end=5.0, lines=["a very long sentence and", "a very long sentence"]),
        Cue(start=5.1, end=6.0, lines=["good morning"]),
    ]


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with serve() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        yield fake


def _to(target: str, source: str = "en", **options: Any) -> list[Cue]:
    """The sample cues in `target`, as a run would ask: skill.yaml and the environment now."""
    cfg = options.pop("config", config())
    return translate_cues(
        options.pop("cues", _cues()),
        source,
        target,
        audio=options.pop("audio", None),
        rules=options.pop("rules", RULES),
        config=cfg,
        env=Environment.read(cfg),
        **options,
    )


def _job(source: str, target: str, audio: Path | None = None) -> Job:
    return Job(texts=["x"], times=[(0.0, 1.0)], source=source, target=target, audio=audio)


def test_translated_cues_keep_count_order_and_timing(endpoint: FakeOpenAI) -> None:
    out = _to("es")
    assert [(c.start, c.end) for c in out] == [(c.start, c.end) for c in _cues()]
    assert out[0].lines == ["hola mundo"]
    assert out[2].lines == ["buenos días"]


def test_translated_cues_are_rewrapped_to_the_line_rules(endpoint: FakeOpenAI) -> None:
    long = _to("es")[1]
    assert len(long.lines) == 2
    assert all(len(line) <= 20 for line in long.lines)
    assert " ".join(long.lines) == "un muy largo frase y un muy largo frase"


def test_the_same_language_is_a_copy_with_no_provider_needed() -> None:
    assert _to("en-US") == _cues()


def test_with_no_translator_the_error_names_the_pair_and_how_to_enable_it() -> None:
    with pytest.raises(SkillError) as caught:
        _to("es")
    assert caught.value.code == "translation_unavailable"
    message = render("errors/translation_unavailable", **caught.value.context)
    assert "English (en) → Spanish (es)" in message
    assert "ai-subtitles setup --translation en-es" in message
    assert "OPENAI_BASE_URL" in message


def test_whisper_is_offered_for_english_only() -> None:
    with pytest.raises(SkillError) as caught:
        _to("es", "de", audio=Path("talk.mp4"), provider="whisper")
    message = render("errors/translation_unavailable", **caught.value.context)
    assert "Whisper only translates into English" in message


def test_automatic_choice_is_the_configured_endpoint_before_whisper(endpoint: FakeOpenAI) -> None:
    names = [
        p.name
        for p in choose(
            _job("de", "en", audio=Path("talk.mp4")), config(), Environment.read(config())
        )
    ]
    assert names == ["openai", "whisper"]


def test_automatic_choice_for_english_from_audio_is_whisper() -> None:
    assert [
        p.name
        for p in choose(
            _job("de", "en", audio=Path("talk.mp4")), config(), Environment.read(config())
        )
    ] == ["whisper"]


def test_the_environment_can_pin_the_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AI_SUBTITLES_TRANSLATOR", "whisper")
    assert [
        p.name
        for p in choose(
            _job("de", "en", audio=Path("talk.mp4")), config(), Environment.read(config())
        )
    ] == ["whisper"]


def test_an_unknown_provider_is_a_usage_error() -> None:
    with pytest.raises(SkillError) as caught:
        choose(_job("en", "es"), config(), Environment.read(config()), provider="babelfish")
    assert caught.value.code == "usage"


def test_an_untranslated_answer_is_never_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(["echo"] * 3) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        with pytest.raises(SkillError) as caught:
            _to("es")
    assert caught.value.code == "translation_failed"
    assert caught.value.context["reason"] == "untranslated"


def test_a_glossary_file_named_in_the_environment_is_used(
    endpoint: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("NemoVideo: NemoVideo\n", encoding="utf-8")
    monkeypatch.setenv("AI_SUBTITLES_GLOSSARY", str(glossary))
    _to("es")
    assert '"NemoVideo" → "NemoVideo"' in endpoint.requests[0].system


def test_each_cue_goes_out_with_its_budget(endpoint: FakeOpenAI) -> None:
    _to("es")
    lines = endpoint.requests[0].payload["lines"]
    assert [line["max_chars"] for line in lines] == [30, 41, 18]


def test_translations_over_budget_are_asked_again_shorter(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(wordy=True) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        out = _to("es")
    (shortened,) = fake.requests[1].payload["lines"]
    assert shortened["text"] == "a very long sentence and a very long sentence"
    assert shortened["translation"].startswith("o sea, en")
    assert "shorter translation" in fake.requests[1].system
    assert [(c.start, c.end) for c in out] == [(c.start, c.end) for c in _cues()]
    for cue in out:
        assert len(cue.text.replace("\n", " ")) <= 20 * (cue.end - cue.start)


def test_a_translation_too_long_for_its_cue_is_split_inside_the_source_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cues = [
        Cue(start=0.0, end=6.0, lines=["hello world. welcome to this short demo"]),
        Cue(start=6.1, end=7.5, lines=["good morning"]),
    ]
    rules = RULES.with_overrides(max_chars_per_line=20)
    with serve(wordy=True, refuse={"json_schema", "json_object"}) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setattr(
            "skill_runtime.local.translate.openai.OpenAIProvider.shorten", None, raising=False
        )
        out = _to("es", cues=cues, rules=rules)
    first = [c for c in out if c.end <= 6.0]
    assert len(first) == 2
    assert first[0].start == 0.0 and first[-1].end == 6.0
    assert first[0].text.endswith("mundo.")
    assert [(c.start, c.end) for c in out if c.start >= 6.1] == [(6.1, 7.5)]
    assert all(c.end - c.start >= rules.min_duration_s for c in out)


class _Runaway:
    name = "argos"

    def supports(self, source: str, target: str, *, audio: Path | None) -> bool:
        return True

    def translate(self, job: Job) -> list[str]:
        return [text * 1500 for text in job.texts]


def test_a_runaway_translation_from_any_provider_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "skill_runtime.local.translate.service.registry",
        lambda config, env, model=None: {"argos": _Runaway()},
    )
    argos_only = config().translation.model_copy(update={"order": ["argos"]})
    cfg = config().model_copy(update={"translation": argos_only})
    with pytest.raises(SkillError) as caught:
        _to("es", config=cfg)
    assert caught.value.context["reason"] == "too_long"


def test_a_refused_endpoint_names_the_pair_so_the_others_can_be_delivered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://translate.example.com/v1")
    with pytest.raises(SkillError) as caught:
        _to("es")
    assert caught.value.code in LANGUAGE_FAILURES
    message = render("errors/translator_insecure", **caught.value.context, made=["English"])
    assert "Captions in English are ready" in message
    assert 'chat "add Spanish"' in message
