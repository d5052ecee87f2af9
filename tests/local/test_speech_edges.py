"""No word invented at the edge of a speech island; a sentence end and a pause close the cue.

The real case: two human recordings joined with 1.5 s of silence (A Tale of
Two Cities, then Beckett). Whisper base hears "Yeah, yeah." after the last
"Fail better.", and the cues ran on over the reader's pauses ("Ever tried,
ever failed. | No matter. Try again.").
"""

from __future__ import annotations

import numpy as np
import pytest
from faster_whisper.audio import decode_audio

from skill_runtime.captions import Cue, Word
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.asr import load_model, transcribe
from skill_runtime.local.asr.edges import Segment, spoken_words
from skill_runtime.local.asr.onsets import snap_onsets
from skill_runtime.local.audio import SAMPLE_RATE
from skill_runtime.local.cues import build_cues
from skill_runtime.progress import Progress

from .conftest import FIXTURES

LOCAL = config().local
SETTINGS = LOCAL.recognition
RULES = LOCAL.cues


def _tone(spans: list[tuple[float, float]], total: float) -> np.ndarray:
    """Near-silence with a 220 Hz tone in each (start, end) span."""
    t = np.arange(int(total * SAMPLE_RATE)) / SAMPLE_RATE
    audio = 0.001 * np.random.default_rng(3).standard_normal(t.size)
    for start, end in spans:
        inside = (t >= start) & (t < end)
        audio[inside] += 0.3 * np.sin(2 * np.pi * 220 * t[inside])
    return audio.astype(np.float32)


def _w(text: str, start: float, end: float, p: float = 0.95) -> Word:
    return Word(text=text, start=start, end=end, probability=p)


def _kept(segments: list[Segment], audio: np.ndarray) -> list[str]:
    words = spoken_words(segments, audio, sample_rate=SAMPLE_RATE, offset_s=0.0, settings=SETTINGS)
    return [w.text for w in words]


PHRASE = [_w("Try", 2.0, 2.3), _w("again.", 2.3, 2.8)]
AUDIO = _tone([(2.0, 2.8)], 6.0)


@pytest.mark.parametrize(
    ("case", "segments", "kept"),
    [
        (
            "unsure short segment after an island is dropped",
            [Segment(PHRASE, -0.3, 0.1), Segment([_w("Yeah.", 2.8, 3.2, 0.2)], -1.4, 0.4)],
            ["Try", "again."],
        ),
        (
            "unsure short segment before an island is dropped",
            [Segment([_w("Right.", 1.5, 1.9, 0.3)], -1.2, 0.3), Segment(PHRASE, -0.3, 0.1)],
            ["Try", "again."],
        ),
        (
            "a confident short answer is kept however low its log-probability",
            [Segment(PHRASE, -0.3, 0.1), Segment([_w("Yes.", 3.0, 3.3, 0.9)], -1.4, 0.4)],
            ["Try", "again.", "Yes."],
        ),
        (
            "an unsure segment in the middle of speech is not an edge",
            [
                Segment(PHRASE, -0.3, 0.1),
                Segment([_w("so", 2.9, 3.0, 0.2)], -1.4, 0.4),
                Segment([_w("then.", 3.1, 3.5)], -0.3, 0.1),
            ],
            ["Try", "again.", "so", "then."],
        ),
        (
            "a doubtful first word over silence is dropped",
            [Segment([_w("Right", 1.2, 2.0, 0.05), *PHRASE], -0.5, 0.1)],
            ["Try", "again."],
        ),
        (
            "a doubtful first word with sound under it is kept",
            [Segment([_w("Ever", 1.9, 2.3, 0.05), _w("again.", 2.3, 2.8)], -0.5, 0.1)],
            ["Ever", "again."],
        ),
        (
            "a zero-length doubtful last word is dropped",
            [Segment([*PHRASE, _w("yeah", 2.8, 2.8, 0.01)], -0.5, 0.1)],
            ["Try", "again."],
        ),
    ],
)
def test_edge_words(case: str, segments: list[Segment], kept: list[str]) -> None:
    assert _kept(segments, AUDIO) == kept, case


def test_a_word_stretched_over_a_pause_starts_at_its_sound() -> None:
    audio = _tone([(0.5, 1.2), (2.0, 2.6)], 3.0)
    words = [_w("way.", 0.9, 1.2), _w("In", 1.2, 2.3)]
    out = snap_onsets(words, audio, sample_rate=SAMPLE_RATE, offset_s=0.0, settings=SETTINGS)
    assert out[1].start == pytest.approx(2.0, abs=0.02)
    assert out[0] == words[0]


def test_a_sentence_end_followed_by_a_pause_closes_the_cue() -> None:
    pause = RULES.sentence_pause_s + 0.01
    words = [_w("He", 0.0, 0.2), _w("was", 0.2, 0.4), _w("amiable", 0.4, 0.9)]
    words += [_w("himself.", 0.9, 1.4), _w("And", 1.4 + pause, 1.6 + pause)]
    words += [_w("then", 1.6 + pause, 1.8 + pause), _w("we", 1.8 + pause, 2.0 + pause)]
    words += [_w("left.", 2.0 + pause, 2.4 + pause)]
    cues = build_cues(words, "en", RULES)
    assert [" ".join(c.lines) for c in cues] == ["He was amiable himself.", "And then we left."]


def test_a_sentence_end_without_a_pause_may_share_a_cue() -> None:
    words = [_w("Ever", 0.0, 0.3), _w("tried.", 0.3, 0.7), _w("Ever", 0.9, 1.2)]
    words.append(_w("failed.", 1.2, 1.6))
    assert [" ".join(c.lines) for c in build_cues(words, "en", RULES)] == [
        "Ever tried. Ever failed."
    ]


@pytest.fixture(scope="module")
def joined_recordings() -> tuple[np.ndarray, list[Word], list[Cue]]:
    """Two Cities, 1.5 s of silence, Beckett: the project's words and cues."""
    silence = np.zeros(int(1.5 * SAMPLE_RATE), dtype=np.float32)
    audio = np.concatenate(
        [
            decode_audio(str(FIXTURES / "two_cities.flac"), sampling_rate=SAMPLE_RATE),
            silence,
            decode_audio(str(FIXTURES / "beckett.wav"), sampling_rate=SAMPLE_RATE),
        ]
    )
    transcript = transcribe(
        load_model(LOCAL.model, None, Environment.read(config())),
        audio,
        duration=len(audio) / SAMPLE_RATE,
        language=None,
        model_settings=LOCAL.model,
        settings=SETTINGS,
        progress=Progress(quiet=True),
    )
    words = snap_onsets(
        transcript.words, audio, sample_rate=SAMPLE_RATE, offset_s=0.0, settings=SETTINGS
    )
    return audio, words, build_cues(words, "en", RULES)


@pytest.mark.slow
def test_no_word_is_invented_after_the_last_phrase(
    joined_recordings: tuple[np.ndarray, list[Word], list[Cue]],
) -> None:
    _, words, _ = joined_recordings
    assert [w.text for w in words[-2:]] == ["Fail", "better."]


@pytest.mark.slow
def test_no_cue_runs_on_past_the_readers_pause(
    joined_recordings: tuple[np.ndarray, list[Word], list[Cue]],
) -> None:
    _, _, cues = joined_recordings
    texts = [" ".join(c.lines) for c in cues]
    # The reader pauses about 0.9 s after "failed." and after "again.".
    assert "Ever tried, ever failed." in texts, texts
    assert texts[-2:] == ["Fail again.", "Fail better."], texts
