"""A misbehaving NemoVideo server (the emulator's switches) in process, and damaged cloud
state and a malformed token through the CLI in separate processes."""

from __future__ import annotations

import io
from pathlib import Path

import av
import pytest

from emulator import Emulator, Fault
from skill_runtime.backends.cloud import CloudBackend
from skill_runtime.config import config
from skill_runtime.context import Context
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.messages import render
from skill_runtime.progress import Progress
from skill_runtime.store import Store

from .conftest import Run, cli, held


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x01" * 50_000)
    return path


@pytest.fixture
def backend(tmp_path: Path, emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> CloudBackend:
    """A cloud backend on the emulator; `sleep` records instead of waiting."""
    monkeypatch.setenv("AI_SUBTITLES_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEMO_API_BASE", emulator.url)
    monkeypatch.setenv("NEMO_POLL_INTERVAL_S", "0.01")
    monkeypatch.setenv("NEMO_RETRY_AFTER_S", "0.01")
    monkeypatch.setenv("NEMO_RETRY_AFTER_MAX_S", "5")
    monkeypatch.delenv("NEMO_TOKEN", raising=False)
    ctx = Context(
        config=config(),
        store=Store(tmp_path / "home"),
        out_dir=tmp_path / "out",
        progress=Progress(stream=io.StringIO()),
        version="1.0.0",
        platform="unknown",
        env=Environment.read(config()),
        language="en",
    )
    return CloudBackend(ctx, sleep=SLEEPS.append)


SLEEPS: list[float] = []


def _exit(exc: SkillError) -> int:
    return config().exit_status(exc.code)


def _captioned(backend: CloudBackend, video: Path) -> CloudBackend:
    backend.upload([video], [])
    backend.chat("add captions in English")
    return backend


def test_download_redirected_to_another_host_is_fetched_without_credentials(
    backend: CloudBackend, emulator: Emulator, video: Path
) -> None:
    emulator.state.download_redirect = True
    (media,) = _captioned(backend, video).export().media
    with av.open(str(media.path)) as container:
        assert container.duration and media.path.stat().st_size > 1000
    (cdn,) = emulator.state.calls("/cdn/")
    assert "authorization" not in cdn["headers"]


def test_empty_download_is_no_success(
    backend: CloudBackend, emulator: Emulator, video: Path
) -> None:
    emulator.state.download_empty = True
    with pytest.raises(SkillError) as err:
        _captioned(backend, video).export()
    assert (_exit(err.value), "empty" in err.value.context["detail"]) == (6, True)
    out = backend.ctx.out_dir
    assert not out.exists() or [p for p in out.iterdir() if not p.name.startswith(".")] == []
    emulator.state.download_empty = False
    assert backend.export(resume=True).media[0].path.stat().st_size > 0


def test_a_hanging_server_is_a_timeout(
    backend: CloudBackend, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEMO_READ_TIMEOUT_S", "0.3")
    backend.ctx.env = Environment.read(config())
    emulator.state.hang = {"/api/credits": 1.5}
    fresh = CloudBackend(backend.ctx)
    with pytest.raises(SkillError) as err:
        fresh.credits()
    assert (_exit(err.value), err.value.context["seconds"]) == (7, "0.3")


def test_a_stream_past_its_watchdog_is_a_timeout(
    backend: CloudBackend, emulator: Emulator, video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEMO_STREAM_TIMEOUT_S", "0.3")
    backend.ctx.env = Environment.read(config())
    fresh = CloudBackend(backend.ctx)
    fresh.upload([video], [])
    emulator.state.event_delay_s = 1.0
    with pytest.raises(SkillError) as err:
        fresh.chat("add captions in English")
    assert _exit(err.value) == 7


@pytest.mark.parametrize(("asked", "waited"), [("1", [1.0]), ("0", [0.0]), ("600", [])])
def test_retry_after_is_honoured_up_to_the_cap(
    backend: CloudBackend, emulator: Emulator, asked: str, waited: list[float]
) -> None:
    backend.credits()
    SLEEPS.clear()
    emulator.state.inject("credits", Fault(http=429, headers={"Retry-After": asked}))
    if waited:
        backend.credits()
    else:
        with pytest.raises(SkillError) as err:
            backend.credits()
        assert (err.value.code, err.value.context["wait_s"]) == ("rate_limited", 600)
    assert waited == SLEEPS


def test_an_oversized_reply_is_cut_with_a_note(
    backend: CloudBackend, emulator: Emulator, video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEMO_MAX_REPLY_CHARS", "1000")
    backend.ctx.env = Environment.read(config())
    fresh = CloudBackend(backend.ctx)
    fresh.upload([video], [])
    emulator.state.big_event_chars = 2_000_000
    emulator.state.sse_style = "flat"
    reply = fresh.chat("add captions in English").data["reply"]
    assert len(reply) < 1300 and "NEMO_MAX_REPLY_CHARS" in reply


def _cloud(emulator: Emulator, home: Path, *args: str, env: dict[str, str]) -> Run:
    base = {"NEMO_API_BASE": emulator.url, "NEMO_RETRY_AFTER_S": "0.01"}
    home.mkdir(parents=True, exist_ok=True)
    return cli("--backend", "cloud", *args, home=home, cwd=home, env={**base, **env})


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
def test_damaged_cloud_identity_is_kept_not_replaced(emulator: Emulator, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    damaged = b'{"client_id": "abc", "token": "\xff'
    (home / "cloud_auth.json").write_bytes(damaged)
    run = _cloud(emulator, home, "credits", env={"NEMO_TOKEN": ""})
    held(run, 5)
    assert (home / "cloud_auth.json").read_bytes() == damaged
    assert str(home / "cloud_auth.json") in run.stderr
    assert emulator.state.calls("/api/auth/anonymous-token") == []


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
@pytest.mark.parametrize("token", ["nmv_usr_caf\u00e9", "line\nbreak"])
def test_a_malformed_token_is_an_account_problem(
    emulator: Emulator, tmp_path: Path, token: str
) -> None:
    run = _cloud(emulator, tmp_path / "home", "credits", env={"NEMO_TOKEN": token})
    held(run, 5)
    assert "NEMO_TOKEN" in run.stderr and token not in run.stderr + run.stdout


def test_an_endless_stream_line_is_refused_at_the_cap(
    backend: CloudBackend, emulator: Emulator, video: Path
) -> None:
    backend.upload([video], [])
    emulator.state.endless_line_bytes = 64 << 20
    with pytest.raises(SkillError) as err:
        backend.chat("add captions in English")
    assert (err.value.code, _exit(err.value)) == ("reply_too_large", 6)
    assert err.value.context["limit"] == f"{config().cloud.reply_limits.sse_line_bytes:,} bytes"


def test_an_event_of_endless_data_lines_is_refused_at_the_cap(
    backend: CloudBackend, emulator: Emulator, video: Path
) -> None:
    backend.upload([video], [])
    emulator.state.event_data_lines = 10 * 1024
    with pytest.raises(SkillError) as err:
        backend.chat("add captions in English")
    assert (err.value.code, err.value.context["what"]) == ("reply_too_large", "a chat event")


def test_json_nested_without_end_is_refused_not_a_crash(
    backend: CloudBackend, emulator: Emulator
) -> None:
    backend.credits()
    emulator.state.deep_json = 200_000
    with pytest.raises(SkillError) as err:
        backend.credits()
    assert (err.value.code, _exit(err.value)) == ("reply_too_large", 6)


def test_an_answer_past_the_json_size_cap_is_refused(
    backend: CloudBackend, emulator: Emulator
) -> None:
    backend.credits()
    emulator.state.deep_json = config().cloud.reply_limits.json_bytes
    with pytest.raises(SkillError) as err:
        backend.credits()
    assert (err.value.code, err.value.context["what"]) == ("reply_too_large", "an answer")


@pytest.mark.parametrize(
    ("switch", "link"),
    [
        ("download_link", "file:///etc/passwd"),
        ("download_link", "http://169.254.169.254/latest/meta-data/"),
        ("download_link", "https://[fe80::1]/video.mp4"),
        ("download_redirect_to", "http://169.254.169.254/latest/meta-data/"),
        ("download_redirect_to", "file:///etc/passwd"),
    ],
)
def test_a_refused_download_link_is_the_servers_fault_and_later_exports_work(
    backend: CloudBackend, emulator: Emulator, video: Path, switch: str, link: str
) -> None:
    setattr(emulator.state, switch, link)
    with pytest.raises(SkillError) as err:
        _captioned(backend, video).export()
    assert (err.value.code, _exit(err.value)) == ("download_refused", 6)
    assert "NEMO_API_BASE" not in render(f"errors/{err.value.code}", **err.value.context)
    assert len(emulator.state.jobs) == 1
    # The server keeps its bad link for that render: set aside, it no longer blocks exports.
    emulator.state.download_link = emulator.state.download_redirect_to = None
    emulator.state.jobs[next(iter(emulator.state.jobs))].status = "failed"
    (media,) = backend.export().media
    assert media.path.stat().st_size > 1000
    assert len(emulator.state.jobs) == 2
