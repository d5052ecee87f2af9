"""Every translator's answer must be in the script of the language asked for."""

from __future__ import annotations

import pytest

from skill_runtime.captions import Cue
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.local.translate.language_check import script_name, wrong_script
from skill_runtime.local.translate.service import LANGUAGE_FAILURES, translate_cues
from skill_runtime.messages import render

from .conftest import KEY
from .fake_openai import serve

SCRIPTS = [
    # (text, language asked for, the script found instead, or None when it fits)
    ("Buenos días, amigo.", "es", None),
    ("Доброе утро, это перевод.", "es", "Cyrillic"),
    ("Доброе утро, это перевод.", "ru", None),
    ("Good morning.", "ru", "Latin"),
    ("おはようございます", "ja", None),
    ("早上好", "ja", None),
    ("早上好", "zh", None),
    ("좋은 아침", "zh", "Korean Hangul"),
    ("صباح الخير", "ar", None),
    ("Guten Morgen", "ar", "Latin"),
    ("Привет, YouTube!", "ru", None),  # a brand name in Latin letters is fine
    ("12:30 — 42 %", "es", None),  # no letters, nothing to judge
    ("Καλημέρα", "el", None),
]


@pytest.mark.parametrize(("text", "language", "found"), SCRIPTS)
def test_the_script_of_a_text_is_checked(text: str, language: str, found: str | None) -> None:
    assert wrong_script(text, language) == found


def test_the_expected_script_has_a_readable_name() -> None:
    assert script_name("es") == "Latin"
    assert script_name("ru") == "Cyrillic"


def test_a_translator_answering_in_russian_for_spanish_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cues = [Cue(start=0.5, end=2.5, lines=["good morning"]), Cue(start=3, end=5, lines=["hello"])]
    with serve(["russian"]) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("AI_SUBTITLES_TRANSLATOR", "openai")
        with pytest.raises(SkillError) as caught:
            translate_cues(
                cues,
                "en",
                "es",
                audio=None,
                rules=config().local.cues,
                config=config(),
                env=Environment.read(config()),
            )
    error = caught.value
    assert error.code == "translation_failed" and error.code in LANGUAGE_FAILURES
    assert error.context["reason"] == "wrong_language"
    message = render("errors/translation_failed", **error.context)
    assert "Cyrillic instead of Latin" in message and "Spanish" in message
