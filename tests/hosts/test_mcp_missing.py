"""Without the optional `mcp` package, `ai-subtitles mcp` says how to install it (exit 4)."""

from __future__ import annotations

import pytest

from skill_runtime import cli, launcher


def test_mcp_without_the_sdk_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(launcher, "find_spec", lambda name: None)
    status = cli.main(["mcp"], servers={"mcp": launcher._serve_mcp})
    err = capsys.readouterr().err
    assert status == 4
    assert "needs the `mcp` package" in err and "[mcp]" in err
