"""The line limit has one home, skill.yaml `local.cues.max_chars_per_line`; only the user,
the frame or the style narrow it, and none of them is a hidden constant."""

from __future__ import annotations

import pytest

from skill_runtime.captions import CaptionSettings
from skill_runtime.config import config
from skill_runtime.local.pipeline import effective_rules

LOCAL = config().local
WIDE = LOCAL.shapes["16:9"]


@pytest.mark.parametrize("limit", [30, 42, 50, 60])
def test_skill_yaml_sets_the_line_limit_of_a_plain_caption(limit: int) -> None:
    settings = LOCAL.model_copy(
        update={"cues": LOCAL.cues.model_copy(update={"max_chars_per_line": limit})}
    )
    assert effective_rules(settings, CaptionSettings(), WIDE).max_chars_per_line == limit


def test_the_shipped_limit_is_skill_yamls() -> None:
    rules = effective_rules(LOCAL, CaptionSettings(), WIDE)
    assert rules.max_chars_per_line == LOCAL.cues.max_chars_per_line


@pytest.mark.parametrize(
    ("caption", "shape", "limit"),
    [
        (CaptionSettings(max_chars=30), "16:9", 30),
        (CaptionSettings(max_chars=60), "16:9", 42),
        (CaptionSettings(), "9:16", 26),
        (CaptionSettings(max_chars=20), "9:16", 20),
        (CaptionSettings(style="pop"), "16:9", 16),
    ],
)
def test_the_user_frame_and_style_only_narrow_it(
    caption: CaptionSettings, shape: str, limit: int
) -> None:
    rules = effective_rules(LOCAL, caption, LOCAL.shapes[shape])
    assert rules.max_chars_per_line == limit
