"""The chat-edit interpreter: what each phrasing (English and Chinese) turns into."""

from __future__ import annotations

import pytest

from skill_runtime.config import config
from skill_runtime.local.edits.interpret import asks_for_captions, interpret
from skill_runtime.settings.edit_models import (
    AddLanguages,
    AspectEdit,
    Bilingual,
    Box,
    Burn,
    Color,
    Edit,
    FontSize,
    Highlight,
    MaxChars,
    OnlyLanguages,
    Outline,
    OutOfScope,
    Position,
    Preset,
    RemoveLanguages,
    Replace,
    Resolution,
    Shift,
)

YELLOW = Color(color="#FFE600", name="yellow")

CASES: list[tuple[str, list[Edit]]] = [
    # languages
    ("add captions in English and Spanish", [AddLanguages(languages=["en", "es"])]),
    ("also add French subtitles", [AddLanguages(languages=["fr"])]),
    ("translate them to German", [AddLanguages(languages=["de"])]),
    ("remove the Spanish captions", [RemoveLanguages(languages=["es"])]),
    ("drop Spanish and French", [RemoveLanguages(languages=["es", "fr"])]),
    ("only English please", [OnlyLanguages(languages=["en"])]),
    ("just keep Chinese", [OnlyLanguages(languages=["zh"])]),
    (
        "remove English and add Japanese",
        [RemoveLanguages(languages=["en"]), AddLanguages(languages=["ja"])],
    ),
    ("加上西班牙语字幕", [AddLanguages(languages=["es"])]),
    ("翻译成英文", [AddLanguages(languages=["en"])]),
    ("去掉英文字幕", [RemoveLanguages(languages=["en"])]),
    ("只保留中文", [OnlyLanguages(languages=["zh"])]),
    ("中英双语字幕", [Bilingual(enabled=True, languages=["zh", "en"])]),
    ("make them bilingual", [Bilingual(enabled=True)]),
    # burn-in versus separate tracks
    ("burn them in", [Burn(enabled=True)]),
    ("hardcode the subtitles", [Burn(enabled=True)]),
    ("don't burn them in", [Burn(enabled=False)]),
    ("keep them as separate tracks", [Burn(enabled=False)]),
    ("I want soft subtitles", [Burn(enabled=False)]),
    ("烧录到视频里", [Burn(enabled=True)]),
    ("改成软字幕", [Burn(enabled=False)]),
    ("不要烧录", [Burn(enabled=False)]),
    # font size
    ("make the font bigger", [FontSize(scale=1.25)]),
    ("smaller text please", [FontSize(scale=0.8)]),
    ("font size 64", [FontSize(size=64)]),
    ("set the font size to 48px", [FontSize(size=48)]),
    ("字体大一点", [FontSize(scale=1.25)]),
    ("字小一点", [FontSize(scale=0.8)]),
    ("字号调到60", [FontSize(size=60)]),
    # colour
    ("make them yellow", [YELLOW]),
    ("change the colour to #00ff88", [Color(color="#00FF88")]),
    ("改成黄色", [YELLOW]),
    ("字幕用红色", [Color(color="#FF3B30", name="red")]),
    # outline and box
    ("add an outline", [Outline(enabled=True)]),
    ("remove the outline", [Outline(enabled=False)]),
    ("put them on a black background", [Box(enabled=True)]),
    ("no box", [Box(enabled=False)]),
    ("加描边", [Outline(enabled=True)]),
    ("去掉背景框", [Box(enabled=False)]),
    ("加个黑底", [Box(enabled=True)]),
    # position
    ("move them to the top", [Position(position="top")]),
    ("put the captions at the bottom", [Position(position="bottom")]),
    ("字幕放到顶部", [Position(position="top")]),
    ("放在下方", [Position(position="bottom")]),
    # aspect and platform
    ("make it 9:16", [AspectEdit(aspect="9:16")]),
    ("for TikTok", [Preset(name="tiktok")]),
    ("I'm posting it to YouTube Shorts", [Preset(name="shorts")]),
    ("for Instagram Reels", [Preset(name="reels")]),
    ("make it 16:9 for YouTube", [AspectEdit(aspect="16:9")]),
    ("square 1:1", [AspectEdit(aspect="1:1")]),
    ("改成竖屏", [AspectEdit(aspect="9:16")]),
    ("发抖音用", [AspectEdit(aspect="9:16")]),
    ("横屏", [AspectEdit(aspect="16:9")]),
    ("做成正方形", [AspectEdit(aspect="1:1")]),
    ("９：１６", [AspectEdit(aspect="9:16")]),
    # resolution
    ("export at 720p", [Resolution(height=720)]),
    ("1080p please", [Resolution(height=1080)]),
    # word highlight
    ("turn on word highlight", [Highlight(enabled=True)]),
    ("karaoke style", [Highlight(enabled=True)]),
    ("no highlight", [Highlight(enabled=False)]),
    ("turn off word highlight", [Highlight(enabled=False)]),
    ("highlight off", [Highlight(enabled=False)]),
    ("逐字高亮", [Highlight(enabled=True)]),
    ("取消高亮", [Highlight(enabled=False)]),
    # shifting
    ("shift all captions by +0.5s", [Shift(seconds=0.5)]),
    ("shift captions -1.5 seconds", [Shift(seconds=-1.5)]),
    ("delay the captions 2 seconds", [Shift(seconds=2.0)]),
    ("move captions 300ms earlier", [Shift(seconds=-0.3)]),
    ("the captions are 1 second late", [Shift(seconds=-1.0)]),
    ("字幕提前半秒", [Shift(seconds=-0.5)]),
    ("字幕延后1秒", [Shift(seconds=1.0)]),
    ("字幕晚了两秒", [Shift(seconds=-2.0)]),
    # replacing
    ('replace "teh" with "the"', [Replace(old="teh", new="the")]),
    ("replace colour with color everywhere", [Replace(old="colour", new="color")]),
    ("change 'Nemo' to 'NemoVideo'", [Replace(old="Nemo", new="NemoVideo")]),
    ("replace 'top' with 'bottom'", [Replace(old="top", new="bottom")]),
    ("把“测试”替换成“考试”", [Replace(old="测试", new="考试")]),
    ("将苹果改成香蕉", [Replace(old="苹果", new="香蕉")]),
    # line length
    ("max 32 characters per line", [MaxChars(chars=32)]),
    ("no more than 30 chars per line", [MaxChars(chars=30)]),
    ("25 characters per line", [MaxChars(chars=25)]),
    ("每行最多16个字", [MaxChars(chars=16)]),
    ("每行不超过二十个字", [MaxChars(chars=20)]),
    # presets
    ("make it look better", [Preset(name="better")]),
    ("can you make it look more professional", [Preset(name="better")]),
    ("美化一下字幕", [Preset(name="better")]),
    ("字幕好看一点", [Preset(name="better")]),
    # "polish" is a look after no verb, the language after a language verb
    ("polish the captions a bit", [Preset(name="better")]),
    ("add Polish", [AddLanguages(languages=["pl"])]),
    ("translate them into polish too", [AddLanguages(languages=["pl"])]),
    ("remove Polish", [RemoveLanguages(languages=["pl"])]),
    # several at once
    ("make them yellow and move them to the top", [YELLOW, Position(position="top")]),
    ("字幕放到顶部，改成黄色", [Position(position="top"), YELLOW]),
    ("bigger font, no highlight", [FontSize(scale=1.25), Highlight(enabled=False)]),
    ("remove the box and add an outline", [Box(enabled=False), Outline(enabled=True)]),
    ("不要高亮加描边", [Highlight(enabled=False), Outline(enabled=True)]),
    (
        "for TikTok with a yellow highlight",
        [Preset(name="tiktok"), YELLOW, Highlight(enabled=True)],
    ),
    # outside captions
    ("add some background music", [OutOfScope(topic="music")]),
    ("add a title at the start", [OutOfScope(topic="titles")]),
    ("cut the first five seconds", [OutOfScope(topic="cuts")]),
    ("加点背景音乐", [OutOfScope(topic="music")]),
    ("加个转场", [OutOfScope(topic="effects")]),
    # nothing to do
    ("hello there", []),
    ("谢谢", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_phrasing_becomes_edits(text: str, expected: list[Edit]) -> None:
    assert interpret(text, config().edits, config().translation.languages) == expected


CAPTION_REQUESTS = [
    ("add captions in English and Spanish", True),
    ("subtitle this video", True),
    ("加字幕", True),
    ("生成中英双语字幕", True),
    ("make them yellow", False),
    ("export", False),
]


@pytest.mark.parametrize(("text", "expected"), CAPTION_REQUESTS)
def test_caption_requests_are_recognised(text: str, expected: bool) -> None:
    assert asks_for_captions(text, config().edits) is expected
