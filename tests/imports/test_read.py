"""A user's own subtitle file read as cues: the text it shows, the timing it gives."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from skill_runtime.config import config
from skill_runtime.errors import SkillError
from skill_runtime.local.cues.retime import fix_timing
from skill_runtime.local.subtitles.read import read_subtitles, rule_breaks
from skill_runtime.settings.local import CueRules

RULES = config().local.cues

SRT = (
    "1\r\n00:00:01,000 --> 00:00:03,500\r\n<i>Hello</i> there, my friend.\r\n\r\n"
    "2\r\n00:00:04,000 --> 00:00:06,000\r\n"
    "This is a much longer cue that goes well beyond forty-two characters.\r\n"
)
VTT = (
    "WEBVTT\n\nSTYLE\n::cue { color: yellow }\n\nNOTE a comment\nover two lines\n\n"
    "c1\n00:00:01.000 --> 00:00:02.500 align:start\n<v Roger>Hola <b>amigo</b> &amp; co\n\n"
    "00:03.000 --> 00:05.000\nSegunda\nlínea\n"
)
ASS = (
    "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\an8\\c&H00FFFF&}Bonjour\\Nà tous\n"
    "Comment: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,not shown\n"
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_srt_with_bom_and_crlf_keeps_the_timing_and_shows_the_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "talk.en.srt", codecs.BOM_UTF8 + SRT.encode())
    cues = read_subtitles(path, "en", RULES)
    assert [(c.start, c.end) for c in cues] == [(1.0, 3.5), (4.0, 6.0)]
    assert cues[0].lines == ["Hello there, my friend."]
    assert all("\r" not in line and "<" not in line for c in cues for line in c.lines)


def test_a_cue_longer_than_a_line_is_wrapped_to_the_line_limit(tmp_path: Path) -> None:
    cues = read_subtitles(_write(tmp_path, "a.srt", SRT.encode()), "en", RULES)
    assert len(cues[1].lines) == 2
    assert all(len(line) <= RULES.max_chars_per_line for line in cues[1].lines)
    assert " ".join(cues[1].lines) == (
        "This is a much longer cue that goes well beyond forty-two characters."
    )


def test_webvtt_notes_styles_voices_and_entities(tmp_path: Path) -> None:
    cues = read_subtitles(_write(tmp_path, "a.vtt", VTT.encode()), "es", RULES)
    assert [c.text for c in cues] == ["Hola amigo & co", "Segunda línea"]
    assert [(c.start, c.end) for c in cues] == [(1.0, 2.5), (3.0, 5.0)]


def test_ass_override_blocks_are_dropped_and_comments_left_out(tmp_path: Path) -> None:
    cues = read_subtitles(_write(tmp_path, "a.ass", ASS.encode()), "fr", RULES)
    assert [c.text for c in cues] == ["Bonjour à tous"]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE), ("cp1252", b"")],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nCafé déjà vu, señor, à bientôt.\n"
    path = _write(tmp_path, "a.srt", prefix + text.encode(encoding))
    assert read_subtitles(path, "fr", RULES)[0].text == "Café déjà vu, señor, à bientôt."


def test_control_characters_and_bidi_overrides_are_cleaned(tmp_path: Path) -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nabc\u202edef\x07 ghi\n"
    assert read_subtitles(_write(tmp_path, "a.srt", text.encode()), "en", RULES)[0].text == (
        "abcdef ghi"
    )


def test_word_times_share_the_cue_without_leaving_it(tmp_path: Path) -> None:
    cue = read_subtitles(_write(tmp_path, "a.srt", SRT.encode()), "en", RULES)[0]
    assert [w.text for w in cue.words] == ["Hello", "there,", "my", "friend."]
    assert cue.words[0].start == cue.start and cue.words[-1].end == pytest.approx(cue.end)


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n", "empty")],
)
def test_a_file_without_text_is_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    with pytest.raises(SkillError) as caught:
        read_subtitles(_write(tmp_path, "a.srt", content), "en", RULES)
    assert caught.value.code == "subtitles_unreadable"
    assert caught.value.context["reason"] == reason


def test_cues_outside_the_rules_are_counted_with_an_example(tmp_path: Path) -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:01,300\nToo quick.\n\n"
        "2\n00:00:01,300 --> 00:00:09,000\nAnd this one stays far too long on screen.\n\n"
        "3\n00:00:10,000 --> 00:00:10,400\nShort.\n"
    )
    cues = read_subtitles(_write(tmp_path, "a.srt", text.encode()), "en", RULES)
    found = {b.rule: b for b in rule_breaks(cues, RULES)}
    assert found["too_short"].count == 2
    assert found["too_short"].example_text == "Too quick."
    assert found["too_long"].count == 1
    assert found["overlap"].count == 1
    assert found["too_fast"].example_start == 1.0


def test_fixing_the_timing_applies_the_cue_rules(tmp_path: Path) -> None:
    long_text = " ".join(["word"] * 40)
    text = (
        f"1\n00:00:01,000 --> 00:00:01,300\nToo quick.\n\n"
        f"2\n00:00:01,300 --> 00:00:06,000\n{long_text}\n\n"
        f"3\n00:00:08,000 --> 00:00:08,400\nShort.\n"
    )
    rules: CueRules = RULES
    cues = read_subtitles(_write(tmp_path, "a.srt", text.encode()), "en", rules)
    fixed = fix_timing(cues, "en", rules)
    left = {b.rule for b in rule_breaks(fixed, rules)}
    assert not left & {"too_short", "too_many_lines", "line_too_wide", "overlap"}
    assert fixed[-1].start == 8.0  # lengthened into the silence after it, not before
    assert " ".join(" ".join(c.lines) for c in fixed).split() == (
        ["Too", "quick.", *long_text.split(), "Short."]
    )


def test_fix_the_timing_is_a_chat_edit_that_counts_what_it_changed(tmp_path: Path) -> None:
    from skill_runtime.captions import CaptionSettings
    from skill_runtime.local.edits.apply import apply_edits
    from skill_runtime.local.edits.interpret import interpret

    cfg = config()
    edits = interpret("fix the timing", cfg.edits, cfg.translation.languages)
    text = (
        "1\n00:00:01,000 --> 00:00:01,300\nToo quick.\n\n2\n00:00:03,000 --> 00:00:05,000\nFine.\n"
    )
    cues = read_subtitles(_write(tmp_path, "a.srt", text.encode()), "en", RULES)
    outcome = apply_edits(
        edits,
        CaptionSettings(),
        {"en": cues},
        rules_for=lambda _settings: RULES,
        styles=cfg.local.styles,
        presets=cfg.edits.presets,
        limits=cfg.edits.limits,
    )
    assert [(c.field, c.after) for c in outcome.changes] == [("retimed", 1)]
    assert outcome.tracks["en"][0].end - outcome.tracks["en"][0].start >= RULES.min_duration_s
    assert outcome.tracks["en"][1].start == 3.0
