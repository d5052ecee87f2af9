"""Backend replies written for a visual editor become chat text plus actions."""

from __future__ import annotations

import pytest

from skill_runtime.gui_phrases import translate_gui
from skill_runtime.settings.skill import SkillConfig

CASES = [
    # (backend text, text kept, follow-up actions)
    ("Captions added! Click Export to render your video.", "Captions added!", ["export"]),
    ("字幕已添加。点击导出即可下载。", "字幕已添加。", ["export"]),
    ("Done. Open the project panel to review.", "Done.", ["state"]),
    ("Done. 打开时间线查看。", "Done.", ["state"]),
    ("You can preview in timeline now.", "", ["state"]),
    ("Drag the subtitle track to move it.", "", ["sse"]),
    ("拖拽字幕条调整位置。", "", ["sse"]),
    ("Click credits to see your balance.", "", ["credits"]),
    ("Spanish captions are on track 3.", "Spanish captions are on track 3.", []),
]


@pytest.mark.parametrize(("reply", "kept", "follow_ups"), CASES)
def test_gui_wording(cfg: SkillConfig, reply: str, kept: str, follow_ups: list[str]) -> None:
    result = translate_gui(reply, cfg)
    assert result.text == kept
    assert result.follow_ups == follow_ups


def test_each_follow_up_is_listed_once(cfg: SkillConfig) -> None:
    reply = "Click Export. Then click Export again to be sure."
    assert translate_gui(reply, cfg).follow_ups == ["export"]


def test_a_click_on_nothing_actionable_is_dropped_without_an_action(cfg: SkillConfig) -> None:
    result = translate_gui("Nice! Click the blue button.", cfg)
    assert result.text == "Nice!"
    assert result.follow_ups == []
