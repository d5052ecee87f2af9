"""Every handler but SSE (the chat) makes its own call: the route says which, the server agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator import Emulator
from skill_runtime import cli
from skill_runtime.config import config
from skill_runtime.router import route


@pytest.mark.parametrize(
    ("sentence", "attach"),
    [
        ("upload this", True),
        ("show the timeline", False),
        ("what is my credit balance", False),
        ("export it", False),
        ("make the captions bigger", False),
    ],
)
def test_only_the_chat_goes_to_the_sse_stream(
    home: Path, emulator: Emulator, video: Path, tmp_path: Path, sentence: str, attach: bool
) -> None:
    out = ["--backend", "cloud", "--quiet", "--out", str(tmp_path / "out")]
    assert cli.main([*out, "upload", str(video)]) == 0
    files = ["--file", str(video)] if attach else []
    decision = route(sentence, config(), attachments=len(files) // 2)
    assert decision.then == []

    assert cli.main([*out, "say", sentence, *files]) == 0
    assert bool(emulator.state.calls("/run_sse")) is not decision.skip_sse
