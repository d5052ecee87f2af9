"""Whisper's word pieces become words as written: no space inside "ill-disposed" or "1,000"."""

from __future__ import annotations

import inspect
from functools import cache

import pytest
from faster_whisper import WhisperModel
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import merge_punctuations
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer as HfTokenizer

from skill_runtime.config import config
from skill_runtime.local.asr.models import bundled_parts
from skill_runtime.local.asr.pieces import Piece, words_as_written
from skill_runtime.local.cues import build_cues

_DEFAULTS = inspect.signature(WhisperModel.transcribe).parameters
PREPEND: str = _DEFAULTS["prepend_punctuations"].default
APPEND: str = _DEFAULTS["append_punctuations"].default


def pieces(*texts: str) -> list[Piece]:
    return [Piece(t, float(k), k + 0.5, 0.9) for k, t in enumerate(texts)]


@pytest.mark.parametrize(
    ("raw", "spaced", "written"),
    [
        ((" ill", "-disposed"), True, ["ill-disposed"]),
        ((" cold", "-hearted", " man."), True, ["cold-hearted", "man."]),
        ((" It", "'s", " nine", " o", "'clock."), True, ["It's", "nine", "o'clock."]),
        ((" 1", ",000", " people"), True, ["1,000", "people"]),
        ((" 3", ".5", "%"), True, ["3.5%"]),
        ((" we", "'ve", " got"), True, ["we've", "got"]),
        (("我们", "今天", "去"), False, ["我们", "今天", "去"]),
        (("今天", "是", " iPhone"), False, ["今天", "是", "iPhone"]),
    ],
)
def test_pieces_join_by_their_own_leading_space(
    raw: tuple[str, ...], spaced: bool, written: list[str]
) -> None:
    assert [w.text for w in words_as_written(pieces(*raw), spaced=spaced)] == written


def test_a_joined_word_spans_its_pieces_and_keeps_the_lowest_confidence() -> None:
    raw = [Piece(" ill", 1.0, 1.2, 0.9), Piece("-disposed", 1.2, 1.8, 0.4)]
    (word,) = words_as_written(raw, spaced=True, offset_s=10.0)
    assert (word.start, word.end, word.probability) == (11.0, 11.8, 0.4)


def test_cues_show_hyphenated_words_without_a_space() -> None:
    words = words_as_written(
        pieces(" The", " ill", "-disposed", " and", " cold", "-hearted", " man."), spaced=True
    )
    (cue,) = build_cues(words, "en", config().local.cues)
    assert cue.lines == ["The ill-disposed and cold-hearted man."]


@cache
def tokenizer() -> Tokenizer:
    parts = bundled_parts(config().local.model)
    assert parts is not None, "the bundled base model packages are installed with [local]"
    hf = HfTokenizer.from_file(str(parts[0].parent / "tokenizer.json"))
    return Tokenizer(hf, multilingual=True, task="transcribe", language="en")


def whisper_pieces(text: str) -> list[str]:
    """The word strings faster-whisper's word timestamps would carry for `text`."""
    tok = tokenizer()
    words, word_tokens = tok.split_to_word_tokens(tok.encode(" " + text))
    alignment = [{"word": w, "tokens": t} for w, t in zip(words, word_tokens, strict=True)]
    merge_punctuations(alignment, PREPEND, APPEND)
    return [a["word"] for a in alignment if a["word"]]


WORD = st.one_of(
    st.from_regex(r"[A-Za-z]{1,9}(-[A-Za-z]{1,7}){0,2}", fullmatch=True),
    st.from_regex(r"[A-Za-z]{1,7}['’](s|t|re|ve|ll|d|m|clock)", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}(,[0-9]{3}){0,2}(\.[0-9]{1,2})?%?", fullmatch=True),
)
TEXT = st.lists(
    st.tuples(WORD, st.sampled_from(["", "", "", ",", ".", "?", "!"])), min_size=1, max_size=12
).map(lambda ws: " ".join(w + p for w, p in ws))


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_words_from_real_tokenizer_pieces_are_the_words_as_written(text: str) -> None:
    raw = whisper_pieces(text)
    words = words_as_written(pieces(*raw), spaced=True)
    assert [w.text for w in words] == text.split()
