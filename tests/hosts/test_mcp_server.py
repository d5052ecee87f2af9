"""`ai-subtitles mcp`, driven by the MCP SDK's own client over a real stdio subprocess.

One session: list the tools, caption a clip (with progress notifications), edit it
in words, export, and see a bad path come back as a tool error with the CLI's code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp_types import CallToolResult, ResourceLink, TextContent

from skill_runtime.local.sample import make_clip
from skill_runtime.mcp_server import TOOLS

SPEECH = "Hello world. Welcome to this short demo."


def _text(result: CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, TextContent))


def _files(result: CallToolResult) -> list[Path]:
    links = [c for c in result.content if isinstance(c, ResourceLink)]
    return [Path(str(link.uri).removeprefix("file://")) for link in links]


async def _session(root: Path, clip: Path) -> dict[str, Any]:
    env = {
        "AI_SUBTITLES_HOME": str(root / "home"),
        "PATH": os.environ["PATH"],
        "HOME": str(root),
    }
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "skill_runtime", "--out", str(root / "out"), "mcp"],
        env=env,
    )
    seen: dict[str, Any] = {"progress": []}

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen["progress"].append((progress, message))

    errlog = (root / "server.log").open("w", encoding="utf-8")
    async with stdio_client(params, errlog) as streams, ClientSession(*streams) as session:
        await session.initialize()
        seen["tools"] = (await session.list_tools()).tools
        seen["caption"] = await session.call_tool(
            "caption", {"video": str(clip)}, progress_callback=on_progress
        )
        seen["edit"] = await session.call_tool("chat_edit", {"text": "make them yellow"})
        seen["export"] = await session.call_tool("export", {})
        seen["undo"] = await session.call_tool("undo", {})
        seen["state"] = await session.call_tool("state", {})
        seen["missing"] = await session.call_tool("caption", {"video": str(root / "nope.mp4")})
        seen["bad_args"] = await session.call_tool("undo", {"steps": 0})
    errlog.close()
    seen["log"] = (root / "server.log").read_text(encoding="utf-8")
    return seen


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("mcp")
    clip = make_clip(root / "talk.mp4", SPEECH, size="320x180", lead_s=0.3, tail_s=0.5)
    seen: dict[str, Any] = anyio.run(_session, root, clip)
    seen["root"] = root
    return seen


pytestmark = pytest.mark.slow


def test_every_table_entry_is_a_tool_with_a_typed_schema(session: dict[str, Any]) -> None:
    tools = {t.name: t for t in session["tools"]}
    assert set(tools) == {t.name for t in TOOLS}
    caption = tools["caption"].input_schema
    assert caption["required"] == ["video"]
    assert caption["properties"]["aspect"]["anyOf"][0]["enum"] == ["16:9", "9:16", "1:1", "source"]
    assert "description" in caption["properties"]["video"]


def test_caption_answers_with_the_clis_sentences_and_the_files(session: dict[str, Any]) -> None:
    result = session["caption"]
    assert not result.is_error, _text(result)
    assert "Captioned talk.mp4" in _text(result)
    files = _files(result)
    assert {f.suffix for f in files} >= {".mp4", ".srt", ".vtt"}
    assert all(f.is_file() and f.parent == session["root"] / "out" for f in files)
    assert all(f"MEDIA: {f}" in _text(result) for f in files)
    assert result.structured_content["ok"] is True


def test_long_work_sends_progress_notifications(session: dict[str, Any]) -> None:
    steps = [p for p, _ in session["progress"]]
    assert len(steps) >= 3
    assert steps == sorted(steps) and len(set(steps)) == len(steps)  # strictly increasing
    assert any("Transcribing" in (m or "") for _, m in session["progress"])


def test_an_edit_then_export_renders_the_new_captions(session: dict[str, Any]) -> None:
    assert not session["edit"].is_error, _text(session["edit"])
    export = session["export"]
    assert not export.is_error, _text(export)
    ass = next(f for f in _files(export) if f.suffix == ".ass").read_text(encoding="utf-8")
    assert "&H0000E6FF" in ass.upper()  # yellow, in ASS's BGR order (white before the edit)


def test_undo_takes_the_edit_back_and_state_shows_the_job(session: dict[str, Any]) -> None:
    assert not session["undo"].is_error, _text(session["undo"])
    state = session["state"]
    assert not state.is_error and "talk.mp4" in _text(state)
    assert state.structured_content["job"]["settings"]["color"] is None  # yellow taken back


def test_a_failure_is_a_tool_error_with_the_clis_code(session: dict[str, Any]) -> None:
    result = session["missing"]
    assert result.is_error
    assert result.structured_content["error"] == "file_missing"
    assert result.structured_content["exit_name"] == "input"
    assert result.structured_content["exit"] == 3
    assert "nope.mp4" in _text(result) and "Traceback" not in _text(result)


def test_arguments_outside_the_schema_are_refused(session: dict[str, Any]) -> None:
    assert session["bad_args"].is_error


def test_the_servers_log_holds_no_routine_lines(session: dict[str, Any]) -> None:
    """A host shows stderr as the server's log: one line per request or file is noise."""
    assert "Processing" not in session["log"]
    assert "INFO" not in session["log"]
