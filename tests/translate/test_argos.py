"""Argos Translate: routing over installed packs, and the adapter when a pack exists."""

from __future__ import annotations

import pytest

from skill_runtime.captions import Cue
from skill_runtime.config import config
from skill_runtime.local.translate import translate_cues
from skill_runtime.local.translate.argos import installed_pairs, route

PAIRS = {("de", "en"), ("en", "es"), ("en", "fr")}


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("en", "es", ["en", "es"]),
        ("de", "es", ["de", "en", "es"]),
        ("de", "fr", ["de", "en", "fr"]),
        ("es", "de", None),
        ("fr", "es", None),
    ],
)
def test_pairs_route_directly_or_through_english(
    source: str, target: str, expected: list[str] | None
) -> None:
    assert route(PAIRS, source, target, pivot="en") == expected


def test_installed_packs_translate_a_track() -> None:
    pairs = installed_pairs()
    if not pairs:
        pytest.skip(
            "no Argos Translate pack installed: packs download from the Argos hub, which this "
            "machine cannot reach, and PyPI carries none"
        )
    source, target = sorted(pairs)[0]
    cues = [Cue(start=0.0, end=1.0, lines=["Hello"]), Cue(start=1.2, end=2.0, lines=["Thank you"])]
    out = translate_cues(
        cues, source, target, audio=None, rules=config().local.cues, provider="argos"
    )
    assert [(c.start, c.end) for c in out] == [(0.0, 1.0), (1.2, 2.0)]
    assert all(c.text for c in out)
