"""Two speakers in one cue: a dashed line each, or a cue each; turns found from text and voice."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from faster_whisper.audio import decode_audio

from skill_runtime.captions import Cue, Word
from skill_runtime.config import config
from skill_runtime.local.asr.turns import mark_turns
from skill_runtime.local.audio import SAMPLE_RATE
from skill_runtime.local.cues import build_cues, refit_cues
from skill_runtime.local.sample import speak

LOCAL = config().local
RULES = LOCAL.cues


def turn_words(*sentences: tuple[str, bool], start: float = 0.5) -> list[Word]:
    """Words at a natural pace; each sentence marked as a new speaker's turn or not."""
    out, t = [], start
    for text, turn in sentences:
        for k, token in enumerate(text.split()):
            d = 0.12 + 0.06 * len(token)
            out.append(Word(text=token, start=t, end=t + d, turn=turn and k == 0))
            t += d + 0.05
        t += 0.4
    return out


def test_question_and_answer_share_a_cue_with_a_dash_each() -> None:
    words = turn_words(("Do you hear me?", False), ("Yes.", True))
    assert [c.lines for c in build_cues(words, "en", RULES)] == [["-Do you hear me?", "-Yes."]]


def test_speakers_too_long_for_one_line_each_get_their_own_cues() -> None:
    words = turn_words(
        ("Do you remember the day I went and fetched you from that ditch?", False),
        ("No, I do not remember anything about that day at all.", True),
    )
    cues = build_cues(words, "en", RULES)
    assert all(not line.startswith("-") for c in cues for line in c.lines)
    firsts = {c.words[0].text for c in cues}
    assert "No," in firsts


def test_a_dashed_line_always_opens_a_speakers_sentence() -> None:
    words = turn_words(
        ("We laugh less heartily, so we have still that resource.", False),
        ("Laugh less heartily, so we have still that resource.", True),
    )
    for cue in build_cues(words, "en", RULES.with_overrides(max_chars_per_line=22)):
        if cue.lines[0].startswith("-"):
            assert cue.lines[-1].endswith("."), cue.lines


@pytest.mark.parametrize(
    ("limit", "lines"),
    [
        (42, [["-Do you hear me?", "-Yes."]]),
        (12, [["Do you hear", "me?"], ["Yes."]]),
    ],
)
def test_refit_keeps_dialogue_lines_or_splits_by_speaker(
    limit: int, lines: list[list[str]]
) -> None:
    cue = Cue(start=1.0, end=3.0, lines=["-Do you hear me?", "-Yes."])
    assert [c.lines for c in refit_cues([cue], "en", RULES, limit)] == lines


def silent(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


@pytest.mark.parametrize(
    ("sentences", "turns"),
    [
        (["Do you hear me?", "Yes.", "Do you hear me?", "Yes."], ["Yes.", "Do", "Yes."]),
        (["Why do we do it?", "Because we always have done it this way."], []),
        (["It was the best of times.", "It was the worst of times."], []),
    ],
)
def test_question_answer_turns_from_text(sentences: list[str], turns: list[str]) -> None:
    words = turn_words(*((s, False) for s in sentences))
    marked = mark_turns(
        words,
        silent(words[-1].end + 1),
        sample_rate=SAMPLE_RATE,
        offset_s=0.0,
        sentence_end=RULES.sentence_end,
        settings=LOCAL.recognition,
    )
    assert [w.text for w in marked if w.turn] == turns


def voiced(tmp_path: Path, lines: list[tuple[str, str]]) -> tuple[np.ndarray, list[Word]]:
    """espeak lines in the given voices, 0.5 s apart; one word per line spanning its sound."""
    parts, words, t = [silent(0.5)], [], 0.5
    for k, (voice, text) in enumerate(lines):
        audio = decode_audio(str(speak(text, tmp_path / f"{k}.wav", voice)), SAMPLE_RATE)
        words.append(Word(text=text, start=t, end=t + len(audio) / SAMPLE_RATE))
        parts += [audio, silent(0.5)]
        t += len(audio) / SAMPLE_RATE + 0.5
    return np.concatenate(parts), words


@pytest.mark.parametrize(
    ("voices", "turns"),
    [
        (["en-us", "en-us+f3", "en-us"], [False, True, True]),
        (["en-us", "en-us", "en-us"], [False, False, False]),
    ],
)
def test_a_new_voice_after_a_pause_is_a_turn(
    tmp_path: Path, voices: list[str], turns: list[bool]
) -> None:
    texts = ["The train leaves at noon today.", "I will be there early.", "Then we go together."]
    audio, words = voiced(tmp_path, list(zip(voices, texts, strict=True)))
    marked = mark_turns(
        words,
        audio,
        sample_rate=SAMPLE_RATE,
        offset_s=0.0,
        sentence_end=RULES.sentence_end,
        settings=LOCAL.recognition,
    )
    assert [w.turn for w in marked] == turns
