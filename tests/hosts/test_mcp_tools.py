"""Each MCP tool is a CLI command line: the arguments a host sends become the argv the
CLI parser reads, so both front doors run the same action with the same options."""

from __future__ import annotations

from typing import Any

import pytest

from skill_runtime.cli import build_parser
from skill_runtime.mcp_server import TOOLS

BY_NAME = {t.name: t for t in TOOLS}

CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("caption", {"video": "/v/talk.mp4"}, ["caption", "/v/talk.mp4"]),
    (
        "caption",
        {"video": "/v/talk.mp4", "aspect": "9:16", "fit": "crop", "rendition": "tiktok"},
        ["caption", "/v/talk.mp4", "--aspect", "9:16", "--fit", "crop", "--rendition", "tiktok"],
    ),
    (
        "caption",
        {"video": "/v/talk.mp4", "subtitles": "/v/talk.es.srt", "audio_track": 2},
        ["caption", "/v/talk.mp4", "--audio-track", "2", "--subtitles", "/v/talk.es.srt"],
    ),
    ("chat_edit", {"text": "yellow", "rendition": "all"}, ["chat", "yellow", "--rendition", "all"]),
    ("undo", {}, ["chat", "undo"]),
    ("undo", {"steps": 2}, ["chat", "undo the last 2"]),
    (
        "undo",
        {"what": "the yellow", "rendition": "tiktok"},
        ["chat", "undo the yellow", "--rendition", "tiktok"],
    ),
    ("preview", {"rendition": "all"}, ["preview", "--rendition", "all"]),
    (
        "export",
        {"channel": "whatsapp", "rendition": "tiktok"},
        ["export", "--for", "whatsapp", "--rendition", "tiktok"],
    ),
    ("translate", {"language": "es"}, ["translate", "es", "--handoff"]),
    (
        "translate",
        {"language": "es", "answers": "/w/es.json"},
        ["translate", "es", "--from", "/w/es.json"],
    ),
    ("proofread", {}, ["proofread", "--handoff"]),
    ("proofread", {"answers": "/w/p.json"}, ["proofread", "--from", "/w/p.json"]),
]


@pytest.mark.parametrize(("tool", "arguments", "argv"), CASES)
def test_a_tool_call_is_the_cli_command_line(
    tool: str, arguments: dict[str, Any], argv: list[str]
) -> None:
    entry = BY_NAME[tool]
    assert entry.command(entry.arguments.model_validate(arguments)) == argv


@pytest.mark.parametrize(("tool", "arguments", "argv"), CASES)
def test_the_cli_parser_accepts_every_tool_command_line(
    tool: str, arguments: dict[str, Any], argv: list[str]
) -> None:
    parsed = build_parser().parse_args(argv)
    assert parsed.command == argv[0]
