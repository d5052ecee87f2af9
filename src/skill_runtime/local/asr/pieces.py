"""Whisper's word pieces back into words as written.

faster-whisper splits a word where the tokenizer does: "ill-disposed" comes
back as " ill" and "-disposed", "1,000" as " 1" and ",000". A piece that
starts a word carries its own leading space; a piece without one continues
the word before it. Stripping every piece and joining with spaces (what the
cue builder does with words) wrote "ill -disposed". Languages written without
spaces keep their pieces apart: each is a unit a line may break after.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ...caption_text import clean
from ...captions import Word


class Piece(NamedTuple):
    """One faster-whisper word as decoded: text with its leading space, times, confidence."""

    text: str
    start: float
    end: float
    probability: float


def words_as_written(pieces: Iterable[Piece], *, spaced: bool, offset_s: float = 0.0) -> list[Word]:
    """Words of one segment; in spaced scripts a piece with no leading space joins the word before.

    A joined word spans its pieces' times and keeps the lowest confidence, so
    a single doubtful piece still counts against the segment.
    """
    out: list[Word] = []
    for piece in pieces:
        text = clean(piece.text)
        if not text:
            continue
        continues = spaced and out and not piece.text[:1].isspace()
        if continues:
            prev = out[-1]
            out[-1] = prev.model_copy(
                update={
                    "text": prev.text + text,
                    "end": max(prev.end, piece.end + offset_s),
                    "probability": min(prev.probability, piece.probability),
                }
            )
            continue
        out.append(
            Word(
                text=text,
                start=piece.start + offset_s,
                end=piece.end + offset_s,
                probability=piece.probability,
            )
        )
    return out
