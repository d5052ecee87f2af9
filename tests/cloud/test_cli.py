"""The cloud backend end to end through `ai-subtitles`, as an agent would run it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from emulator import Emulator, Fault

from .conftest import Harness

# One CLI process (a fresh interpreter) per step; the library tests cover the same logic.
pytestmark = pytest.mark.slow


class Cli:
    def __init__(self, emulator: Emulator, home: Path, out: Path) -> None:
        self.emulator = emulator
        self.out = out
        self.env = {k: v for k, v in os.environ.items() if k != "NEMO_TOKEN"}
        self.env.update(
            NEMO_API_BASE=emulator.url,
            AI_SUBTITLES_HOME=str(home),
            NEMO_POLL_INTERVAL_S="0.05",
            NEMO_RETRY_AFTER_S="0.05",
        )

    def argv(self, *args: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "skill_runtime",
            "--backend",
            "cloud",
            "--out",
            str(self.out),
            *args,
        ]

    def __call__(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            self.argv(*args), env={**self.env, **env}, capture_output=True, text=True, timeout=60
        )
        self.assert_no_token(done.stdout + done.stderr)
        return done

    def assert_no_token(self, text: str) -> None:
        for token in list(self.emulator.state.tokens):
            assert token not in text
        assert "Bearer" not in text


@pytest.fixture
def cli(emulator: Emulator, home: Path, tmp_path: Path) -> Cli:
    return Cli(emulator, home, tmp_path / "out")


def _media(stdout: str) -> list[Path]:
    return [
        Path(line.removeprefix("MEDIA: "))
        for line in stdout.splitlines()
        if line.startswith("MEDIA: ")
    ]


def test_first_run_sets_up_and_confirms(cli: Cli) -> None:
    done = cli("setup")
    assert done.returncode == 0
    assert "Setting things up..." in done.stderr
    assert "Connected to the video service" in done.stdout
    assert "{" not in done.stdout


def test_first_contact_inside_another_command_announces_itself(cli: Cli) -> None:
    done = cli("credits")
    first, second = done.stderr.splitlines()[:2]
    assert first == "Setting things up..."
    assert second.startswith("Connected to the video service")
    assert "Credits: 100 available" in done.stdout


def test_upload_caption_export_delivers_an_mp4(cli: Cli, video: Path) -> None:
    assert cli("upload", str(video)).returncode == 0
    chat = cli("chat", "add captions in English and Spanish")
    assert "Added English and Spanish captions." in chat.stdout
    assert "Timeline (3 tracks)" in chat.stdout
    done = cli("export")
    (mp4,) = _media(done.stdout)
    assert done.returncode == 0
    assert mp4.is_absolute() and mp4.suffix == ".mp4" and mp4.read_bytes()[4:8] == b"ftyp"


def test_one_sentence_with_a_file_uploads_then_captions(cli: Cli, video: Path) -> None:
    done = cli("say", "add captions in English and Spanish", "--file", str(video))
    assert done.returncode == 0, done.stderr
    assert "Uploaded 1 file" in done.stdout
    assert "Added English and Spanish captions." in done.stdout


def test_state_prints_the_seed_timeline_format(cli: Cli, video: Path) -> None:
    cli("upload", str(video))
    assert cli("state").stdout.strip() == "Timeline (1 track): 1. Video: clip.mp4 (0-12s)"


def test_json_output_carries_media_but_no_secrets(cli: Cli, video: Path) -> None:
    cli("upload", str(video))
    cli("chat", "add captions in English")
    payload = json.loads(cli("--json", "export").stdout)
    assert payload["ok"] is True
    assert Path(payload["media"][0]["path"]).is_file()


def test_interrupted_export_resumes(cli: Cli, emulator: Emulator, video: Path) -> None:
    cli("upload", str(video))
    cli("chat", "add captions in English")
    emulator.state.polls_to_complete = 10**6
    proc = subprocess.Popen(
        cli.argv("export"), env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # A loaded machine may take a while to start the CLI: interrupt only once the render is sent.
    deadline = time.monotonic() + 180
    while not emulator.state.calls("/render/proxy/lambda/") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert emulator.state.calls("/render/proxy/lambda/"), "the export never reached the render"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    cli.assert_no_token(out + err)
    assert proc.returncode == 130
    assert "ai-subtitles export --resume" in err
    emulator.state.polls_to_complete = 1
    done = cli("export", "--resume")
    assert done.returncode == 0, done.stderr
    assert "Finished the export an earlier run started." in done.stdout
    assert len(_media(done.stdout)) == 1
    assert len(emulator.state.jobs) == 1


@pytest.mark.parametrize(
    ("endpoint", "fault", "times", "status", "phrase"),
    [
        ("credits", Fault(code=2001), 1, 5, "https://nemovideo.ai/claim?token=clm_"),
        ("credits", Fault(http=402), 1, 5, "not a lack of credits"),
        ("credits", Fault(http=429), 2, 6, "asked us to slow down"),
        ("credits", Fault(code=1001), 2, 5, "did not accept this device's sign-in"),
        ("credits", Fault(code=1002), 2, 5, "lost this project's session"),
        ("credits", Fault(code=9999, message="odd failure"), 1, 6, "odd failure"),
        ("credits", Fault(drop=True), 1, 6, "dropped partway"),
    ],
)
def test_error_paths_exit_with_the_table_status_and_a_clear_message(
    cli: Cli, emulator: Emulator, endpoint: str, fault: Fault, times: int, status: int, phrase: str
) -> None:
    cli("setup")
    emulator.state.inject(endpoint, fault, times=times)  # type: ignore[arg-type]
    done = cli("credits")
    assert done.returncode == status
    assert phrase in done.stderr
    assert done.stdout == ""


def test_export_blocked_on_the_free_plan(cli: Cli, emulator: Emulator, video: Path) -> None:
    cli("upload", str(video))
    emulator.state.inject("render", Fault(http=402))
    done = cli("export")
    assert done.returncode == 5
    assert "subscription limit, not a lack of credits" in done.stderr


def test_server_refusing_the_file_type(cli: Cli, emulator: Emulator, video: Path) -> None:
    cli("setup")
    emulator.state.inject("upload", Fault(code=4001))
    done = cli("upload", str(video))
    assert done.returncode == 3
    assert "Accepted formats: mp4, mov, avi, webm, mkv" in done.stderr


def test_file_too_large_suggests_compressing(cli: Cli, tmp_path: Path) -> None:
    big = tmp_path / "long.mov"
    with big.open("wb") as fh:
        fh.truncate(501 * 1024 * 1024)
    done = cli("upload", str(big))
    assert done.returncode == 3
    assert "Compress it" in done.stderr and "500 MB" in done.stderr


def test_in_stream_error(cli: Cli, emulator: Emulator, video: Path) -> None:
    cli("upload", str(video))
    emulator.state.inject("chat", Fault(in_stream=True, message="agent crashed"))
    done = cli("chat", "add background music")
    assert done.returncode == 6
    assert "agent crashed" in done.stderr


def test_rejected_user_token(cli: Cli, emulator: Emulator) -> None:
    done = cli("credits", NEMO_TOKEN="nmv_usr_not_a_real_token_123")
    assert done.returncode == 5
    assert "NEMO_TOKEN" in done.stderr
    assert "nmv_usr_not_a_real_token_123" not in done.stderr
    assert emulator.state.calls("/anonymous-token") == []


def test_plain_http_to_another_host_is_refused(cli: Cli, emulator: Emulator) -> None:
    done = cli("credits", NEMO_API_BASE="http://api.example.com")
    assert done.returncode == 2
    assert "Refusing to talk to http://api.example.com" in done.stderr


def test_unreachable_service(cli: Cli, emulator: Emulator) -> None:
    emulator.stop()
    done = cli("credits")
    assert done.returncode == 6
    assert "Could not reach the video service" in done.stderr


def test_token_file_is_private_after_the_cli_ran(cli: Cli, home: Path) -> None:
    cli("setup")
    assert (home / "cloud_auth.json").stat().st_mode & 0o077 == 0


def test_cli_and_library_share_one_session(cli: Cli, harness: Harness, emulator: Emulator) -> None:
    cli("setup")
    harness.backend().state()
    assert len(emulator.state.calls("/with-session/")) == 1
