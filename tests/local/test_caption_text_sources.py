"""Every place caption text enters a track holds it by the one policy (`caption_text.clean`):
recognition, a translator's answer and a chat word correction. Markup survives as text;
control characters and bidi overrides do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill_runtime.caption_text import needs_font
from skill_runtime.captions import CaptionSettings, Cue, Word
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.asr.pieces import Piece, words_as_written
from skill_runtime.local.edits.apply import apply_edits
from skill_runtime.local.translate import service
from skill_runtime.local.translate.base import Job
from skill_runtime.settings.edit_models import Replace
from skill_runtime.settings.local import CueRules

RAW = "{\\fs200}<b>big</b>\u202e\x07 --> done"
HELD = "{\\fs200}<b>big</b> --> done"


def test_recognised_words_are_held_clean() -> None:
    pieces = [Piece(" hello", 0.0, 0.4, 0.9), Piece(" " + RAW, 0.5, 1.0, 0.9)]
    words = words_as_written(pieces, spaced=True)
    assert [w.text for w in words] == ["hello", HELD]


class _Answers:
    """A translator that answers with what a careless model might send back."""

    name = "openai"

    def supports(self, source: str, target: str, *, audio: Path | None) -> bool:
        return True

    def translate(self, job: Job) -> list[str]:
        return [RAW for _ in job.texts]


def test_a_translators_answer_is_held_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "choose", lambda job, config, env, provider=None: [_Answers()])
    rules = config().local.cues.with_overrides(max_chars_per_line=80)
    cues = [Cue(start=0.0, end=4.0, lines=["hello there"])]
    out = service.translate_cues(
        cues, "en", "es", audio=None, rules=rules, config=config(), env=Environment.read(config())
    )
    assert " ".join(line for cue in out for line in cue.lines) == HELD


def _rules(settings: CaptionSettings) -> CueRules:
    return config().local.cues.with_overrides(max_chars_per_line=80)


def test_a_chat_correction_is_held_clean() -> None:
    cue = Cue(start=0.0, end=2.0, lines=["the sky"], words=[Word(text="sky", start=0.5, end=1.0)])
    outcome = apply_edits(
        [Replace(old="sky", new=RAW)],
        CaptionSettings(languages=["en"]),
        {"en": [cue]},
        rules_for=_rules,
        styles=config().local.styles,
        presets=config().edits.presets,
        limits=config().edits.limits,
        translate=lambda language: [],
    )
    assert outcome.tracks["en"][0].text == "the " + HELD


@pytest.mark.parametrize(
    ("ch", "needed"),
    [
        ("a", True),
        ("न", True),
        ("ि", True),
        ("7", True),
        ("😀", False),
        ("{", False),
        ("\\", False),
    ],
)
def test_only_letters_marks_and_digits_can_blame_a_font(ch: str, needed: bool) -> None:
    assert needs_font(ch) is needed
