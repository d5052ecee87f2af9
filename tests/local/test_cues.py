"""The cue builder against the timed-text rules, on hand-made and generated word streams."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill_runtime.captions import Cue, Word
from skill_runtime.config import config
from skill_runtime.local.cues import build_cues, display_width, wrap_text
from skill_runtime.settings.local import CueRules

RULES = config().local.cues
FPS = 25.0


def assert_rules(
    cues: list[Cue], rules: CueRules = RULES, fps: float = FPS, language: str = "en"
) -> None:
    gap = rules.min_gap_frames / fps
    for k, cue in enumerate(cues):
        assert 1 <= len(cue.lines) <= rules.max_lines, cue.lines
        for line in cue.lines:
            assert display_width(line) <= rules.max_chars_per_line, line
        duration = cue.end - cue.start
        assert duration >= rules.min_duration_s - 1e-3 or k + 1 < len(cues), cue
        assert duration <= rules.max_duration_s + 1e-3, cue
        assert len(" ".join(cue.lines)) / duration <= rules.max_cps + 1e-6, cue
        if k + 1 < len(cues):
            assert cues[k + 1].start - cue.end >= gap - 1e-3, (cue, cues[k + 1])
            assert duration >= rules.min_duration_s - 1e-3, cue


def assert_in_times(cues: list[Cue], rules: CueRules) -> None:
    """A cue never shows before its first word, and comes late only within the allowance."""
    for cue in cues:
        spoken = round(cue.words[0].start, 3)
        assert spoken - 1e-3 <= cue.start <= spoken + rules.max_late_in_s + 1e-3, cue


def words_from(
    text: str, start: float = 0.5, per_char: float = 0.065, pause: float = 0.05
) -> list[Word]:
    out, t = [], start
    for token in text.split():
        d = 0.1 + per_char * len(token)
        out.append(Word(text=token, start=t, end=t + d))
        t += d + pause
    return out


def test_lines_break_after_punctuation() -> None:
    lines = wrap_text(
        "I waited for hours at the station, but the train never came back.", RULES, "en"
    )
    assert lines == ["I waited for hours at the station,", "but the train never came back."]


def test_never_splits_article_from_noun() -> None:
    lines = wrap_text(
        "Yesterday afternoon my brother finally bought the red bicycle he wanted", RULES, "en"
    )
    assert len(lines) == 2
    assert lines[0].split()[-1].lower() not in {"the", "my", "he"}


def test_never_splits_spanish_article_from_noun() -> None:
    lines = wrap_text(
        "Mañana por la mañana vamos a visitar la casa de mis abuelos en el campo", RULES, "es"
    )
    assert len(lines) == 2
    assert lines[0].split()[-1].lower() not in set(RULES.no_end_words["es"])


def test_first_and_last_name_stay_together() -> None:
    lines = wrap_text(
        "We finally met the famous writer Gabriel Garcia yesterday evening", RULES, "en"
    )
    assert not (lines[0].endswith("Gabriel") and lines[1].startswith("Garcia"))


def test_two_lines_are_balanced() -> None:
    lines = wrap_text(
        "This sentence is long enough that it needs two lines on the screen", RULES, "en"
    )
    assert len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 12


def test_cjk_width_counts_double() -> None:
    text = "这是一个非常长的中文句子，我们需要把它分成两行来显示，以便观众阅读。"
    lines = wrap_text(text, RULES, "zh")
    assert len(lines) == 2
    assert all(display_width(line) <= 42 for line in lines)
    assert " " not in "".join(lines)
    assert "".join(lines) == text


def test_short_text_is_one_line() -> None:
    assert wrap_text("Hello there.", RULES, "en") == ["Hello there."]


def test_sentences_become_cues() -> None:
    cues = build_cues(
        words_from("This is the first sentence. And here is a second one that follows it."),
        "en",
        RULES,
    )
    assert cues[0].lines[-1].endswith(".")
    assert_rules(cues)


def test_long_pause_splits_cues() -> None:
    words = words_from("one two three") + words_from("four five six", start=6.0)
    cues = build_cues(words, "en", RULES)
    assert [c.text for c in cues] == ["one two three", "four five six"]


def test_short_gaps_are_chained_to_two_frames() -> None:
    first = words_from("This is the first sentence and it is quite long.")
    words = first + words_from("And this is another one that is long.", start=first[-1].end + 0.3)
    cues = build_cues(words, "en", RULES)
    assert len(cues) == 2
    assert round((cues[1].start - cues[0].end) * FPS) == 2


def test_cue_start_is_the_first_word() -> None:
    words = words_from("Hello there my friend.", start=3.21)
    assert build_cues(words, "en", RULES)[0].start == 3.21


def test_fast_speech_is_split_to_keep_reading_speed() -> None:
    cues = build_cues(
        words_from(" ".join(["wonderful"] * 40), per_char=0.05, pause=0.02), "en", RULES
    )
    assert len(cues) > 4
    assert_rules(cues)


def test_narrow_limit_is_obeyed() -> None:
    narrow = RULES.with_overrides(max_chars_per_line=16)
    cues = build_cues(
        words_from("Short cues of a few words suit vertical video on phones very well."),
        "en",
        narrow,
    )
    assert_rules(cues, narrow)


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
_PUNCT = st.sampled_from(["", "", "", "", ",", "."])


@st.composite
def speech(draw: st.DrawFn) -> list[Word]:
    """Plausible speech: word length sets duration, speaking rate at most the target CPS."""
    n = draw(st.integers(min_value=1, max_value=120))
    t = draw(st.floats(min_value=0, max_value=5))
    out = []
    for _ in range(n):
        text = draw(_WORD) + draw(_PUNCT)
        per_char = draw(st.floats(min_value=1 / RULES.target_cps, max_value=0.12))
        d = per_char * (len(text) + 1)
        out.append(Word(text=text, start=t, end=t + d))
        gap = draw(
            st.one_of(
                st.just(0.0),
                st.floats(min_value=0, max_value=0.3),
                st.floats(min_value=0.3, max_value=4),
            )
        )
        t += d + gap
    return out


# 150 generated word streams through the cue builder.
@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(speech())
def test_generated_streams_obey_every_rule(words: list[Word]) -> None:
    cues = build_cues(words, "en", RULES)
    assert_rules(cues)
    assert_in_times(cues, RULES)
    assert " ".join(c.text.replace("\n", " ") for c in cues).split() == [w.text for w in words]


@settings(max_examples=60, deadline=None)
@given(speech(), st.integers(min_value=12, max_value=42))
def test_generated_streams_obey_narrow_lines(words: list[Word], width: int) -> None:
    rules = RULES.with_overrides(max_chars_per_line=width)
    cues = build_cues(words, "en", rules)
    assert_rules(cues, rules)
    assert_in_times(cues, rules)


def test_cjk_cues_use_both_lines_of_display_width() -> None:
    text = "我们今天一起学习如何在家里做新鲜的意大利面首先把面粉和鸡蛋混合在一起然后揉面十分钟"[:40]
    words = [
        Word(text=ch, start=0.5 + k * 0.15, end=0.5 + (k + 1) * 0.15) for k, ch in enumerate(text)
    ]
    cues = build_cues(words, "zh", RULES)
    assert len(cues) == 1
    assert [display_width(line) for line in cues[0].lines] == [40, 40]
    assert_rules(cues, language="zh")
