"""The keyword router, as a table: what the user says → the actions that run."""

from __future__ import annotations

import pytest

from skill_runtime.router import route
from skill_runtime.settings.skill import SkillConfig

ROUTES = [
    # (what the user said, attachments, expected actions in order)
    ("export", 0, ["export"]),
    ("导出", 0, ["export"]),
    ("please download it", 0, ["export"]),
    ("Send me the video", 0, ["export"]),
    ("DOWNLOAD", 0, ["export"]),
    ("帮我导出视频", 0, ["export"]),
    ("credits", 0, ["credits"]),
    ("what's my balance?", 0, ["credits"]),
    ("还有多少积分", 0, ["credits"]),
    ("查一下余额", 0, ["credits"]),
    ("status", 0, ["state"]),
    ("show tracks", 0, ["state"]),
    ("现在的状态", 0, ["state"]),
    ("upload", 0, ["upload"]),
    ("上传这个视频", 0, ["upload"]),
    ("", 1, ["upload"]),
    ("here you go", 1, ["upload"]),
    ("add captions in English and Spanish", 0, ["sse"]),
    ("make it look better", 0, ["sse"]),
    ("add BGM", 0, ["sse"]),
    ("加上中文字幕", 0, ["sse"]),
    ("add captions", 1, ["upload", "sse"]),
    ("upload my video and export it", 0, ["upload", "export"]),
    ("upload this and add subtitles", 1, ["upload", "sse"]),
    ("add captions and export", 0, ["sse", "export"]),
    ("上传并导出", 0, ["upload", "export"]),
    ("export at 720p", 0, ["sse", "export"]),
    ("export it for TikTok", 0, ["sse", "export"]),
    ("导出竖屏版本", 0, ["sse", "export"]),
    ("download the 1080p version", 0, ["sse", "export"]),
]


@pytest.mark.parametrize(("text", "attachments", "expected"), ROUTES)
def test_route(cfg: SkillConfig, text: str, attachments: int, expected: list[str]) -> None:
    assert route(text, cfg, attachments).actions == expected


WHOLE_WORDS = [
    ("exported files look odd", ["sse"]),  # "exported" is not the word "export"
    ("downloads folder is full", ["sse"]),
    ("my address changed", ["sse"]),  # "add" only as a whole word, so no chaining either
]


@pytest.mark.parametrize(("text", "expected"), WHOLE_WORDS)
def test_latin_keywords_match_whole_words_only(
    cfg: SkillConfig, text: str, expected: list[str]
) -> None:
    assert route(text, cfg).actions == expected


@pytest.mark.parametrize(
    "text",
    ["what's the status of my export?", "how many credits would an export cost"],
)
def test_a_question_never_starts_a_render(cfg: SkillConfig, text: str) -> None:
    decision = route(text, cfg)
    assert "export" not in decision.actions
    assert "dropped" in decision.rule


def test_the_rule_names_the_keyword_that_decided(cfg: SkillConfig) -> None:
    assert 'keyword "导出"' in route("导出", cfg).rule


def test_nothing_matched_falls_back_to_chat(cfg: SkillConfig) -> None:
    decision = route("put some lo-fi music under it", cfg)
    assert decision.action == "sse"
    assert "no keyword" in decision.rule
