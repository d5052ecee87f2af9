"""What people say about short-form captions and delivery → the edits, and what they change."""

from __future__ import annotations

import pytest

from skill_runtime.captions import CaptionSettings
from skill_runtime.config import config
from skill_runtime.local.edits.apply import apply_edits
from skill_runtime.local.edits.interpret import interpret
from skill_runtime.router import route
from skill_runtime.settings.edit_models import Deliver, Edit, Keywords, LookFirst, Preset, Style

CASES: list[tuple[str, list[Edit]]] = [
    ("one word at a time", [Style(style="pop-word")]),
    ("make the captions pop", [Style(style="pop")]),
    ("three words at a time please", [Style(style="pop")]),
    ("make it like TikTok", [Preset(name="tiktok-style")]),
    ("CapCut style captions", [Preset(name="tiktok-style")]),
    ("highlight the keywords", [Style(style="keywords")]),
    ("highlight each word as it's spoken", [Style(style="highlight")]),
    ("highlight the words pasta and eggs", [Keywords(words=["pasta", "eggs"])]),
    ("colour the names Anna, Ben", [Keywords(words=["Anna", "Ben"])]),
    ("for TikTok", [Preset(name="tiktok")]),
    ("send it on WhatsApp", [Deliver(channel="whatsapp")]),
    ("small enough for telegram", [Deliver(channel="telegram")]),
    ("I'll send it by email", [Deliver(channel="email")]),
    ("keep it under 16 MB", [Deliver(max_mb=16)]),
    ("no size limit", [Deliver()]),
    ("show me how it looks", [LookFirst()]),
    ("预览一下", [LookFirst()]),
    (
        "highlight the keywords and show me how it looks",
        [Style(style="keywords"), LookFirst()],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_short_form_phrasing_becomes_edits(text: str, expected: list[Edit]) -> None:
    assert interpret(text, config().edits, config().translation.languages) == expected


@pytest.mark.parametrize(
    ("preset", "changes"),
    [
        ("tiktok", {"aspect": "9:16", "platform": "tiktok"}),
        ("reels", {"aspect": "9:16", "platform": "reels"}),
        ("tiktok-style", {"aspect": "9:16", "platform": "tiktok", "style": "pop"}),
    ],
)
def test_platform_presets_pick_the_frame_and_its_safe_zones(
    preset: str, changes: dict[str, str]
) -> None:
    cfg = config()
    outcome = apply_edits(
        [Preset(name=preset)],
        CaptionSettings(),
        {},
        rules_for=lambda _s: cfg.local.cues,
        styles=cfg.local.styles,
        presets=cfg.edits.presets,
        limits=cfg.edits.limits,
    )
    assert {k: getattr(outcome.settings, k) for k in changes} == changes
    assert outcome.settings.platform in cfg.local.platforms
    assert outcome.settings.style in cfg.local.styles


@pytest.mark.parametrize(
    ("text", "actions"),
    [
        ("export it for WhatsApp", ["sse", "export"]),
        ("send it to me on telegram", ["sse", "export"]),
        ("show me how it looks", ["sse"]),
    ],
)
def test_delivery_phrases_set_the_limit_then_export(text: str, actions: list[str]) -> None:
    assert route(text, config()).actions == actions


def test_a_platform_in_the_same_sentence_frames_the_look_better_preset() -> None:
    cfg = config()
    outcome = apply_edits(
        interpret("make it look better for TikTok", cfg.edits, cfg.translation.languages),
        CaptionSettings(),
        {},
        rules_for=lambda _s: cfg.local.cues,
        styles=cfg.local.styles,
        presets=cfg.edits.presets,
        limits=cfg.edits.limits,
    )
    vertical = cfg.edits.presets["better"].by_aspect["9:16"]
    assert (outcome.settings.aspect, outcome.settings.style) == ("9:16", vertical.style)
    assert outcome.settings.platform == "tiktok"
