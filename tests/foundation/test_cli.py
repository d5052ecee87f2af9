"""The command line's contract with agents: streams, JSON and exit codes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from skill_runtime import cli
from skill_runtime.backends import Backend
from skill_runtime.results import Result
from skill_runtime.settings.skill import SkillConfig


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skill_runtime", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
def test_help_fits_one_screen() -> None:
    done = run("--help")
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) <= 40
    assert "caption" in done.stdout and "Exit codes" in done.stdout


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
def test_unknown_command_is_a_usage_error_on_stderr() -> None:
    done = run("transmogrify")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "ai-subtitles --help" in done.stderr
    assert "Traceback" not in done.stderr


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
def test_usage_error_with_json_is_machine_readable() -> None:
    done = run("--json", "route")
    assert done.returncode == 2
    assert json.loads(done.stdout) == {
        "ok": False,
        "error": "usage",
        "message": done.stderr.strip(),
    }


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
def test_route_json_names_the_action() -> None:
    done = run("route", "send me the video", "--json")
    assert done.returncode == 0
    payload = json.loads(done.stdout)
    assert payload["action"] == "export"
    assert payload["rule"] == 'export (keyword "send me the video")'


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_a_reader_that_stops_reading_is_not_a_crash(json_flag: list[str], cfg: SkillConfig) -> None:
    """`ai-subtitles ... | head -3`: the work is done; no "something went wrong", no log."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "skill_runtime", "route", "send me the video", *json_flag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == cfg.exit_codes["closed"]
    assert err == ""


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
def test_route_has_no_side_effects(isolated_home: Path) -> None:
    assert run("route", "upload this", "--file", "missing.mp4").returncode == 0
    assert not isolated_home.exists()


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
def test_upload_without_anything_to_upload_says_what_to_attach() -> None:
    done = run("say", "upload")
    assert done.returncode == 3
    assert "--file" in done.stderr


class _Exploding(Backend):
    name = "exploding"

    def state(self) -> Result:
        raise RuntimeError("Bearer nmv_usr_secret_value_1234 leaked in a crash")


def test_a_crash_gives_a_short_message_and_a_private_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    monkeypatch.setattr(cli.commands, "get_backend", lambda name, ctx: _Exploding(ctx))
    assert cli.main(["state"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "nmv_usr" not in err
    log = isolated_home / "last-error.txt"
    assert "RuntimeError" in log.read_text()
    assert "nmv_usr_secret" not in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_media_lines_carry_absolute_paths(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from skill_runtime.results import MediaFile

    class _Done(Backend):
        def state(self) -> Result:
            return Result(
                action="state",
                template="timeline",
                context={"tracks": []},
                media=[MediaFile(path=Path("clip.en.srt"), kind="subtitles")],
            )

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli.commands, "get_backend", lambda name, ctx: _Done(ctx))
    assert cli.main(["state"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"MEDIA: {tmp_path / 'clip.en.srt'}"


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
def test_doctor_exits_non_zero_when_the_main_job_cannot_run(tmp_path: Path) -> None:
    env = os.environ | {
        "AI_SUBTITLES_MODEL": str(tmp_path / "no-such-model"),
        "NEMO_API_BASE": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-m", "skill_runtime", "--json", "doctor"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 4
    payload = json.loads(done.stdout)
    assert payload["ok"] is False
    failed = [c["name"] for c in payload["checks"] if c["required"] and not c["ok"]]
    assert failed == ["speech model (" + str(tmp_path / "no-such-model") + ")"]
    cloud = next(c for c in payload["checks"] if c["name"] == "cloud API")
    assert cloud["required"] is False


def test_a_value_out_of_range_is_a_usage_error_without_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = cli.main(["caption", "talk.mp4", "--audio-track", "0"])
    err = capsys.readouterr().err
    assert status == 2
    assert "--audio-track counts from 1" in err and "Traceback" not in err
