"""One job per file, through the CLI, each step its own process sharing one home.

caption first.mp4 --aspect 9:16 --soft -> caption second.mp4 (no options) ->
upload first.mp4 -> "make them yellow" -> "burn them in" -> export -> a word
replacement -> caption first.mp4 again.
Then, without the speech model: concurrent edits, and a command killed midway.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.captions import Cue
from skill_runtime.config import config
from skill_runtime.context import Context
from skill_runtime.environment import Environment
from skill_runtime.local.probe import probe
from skill_runtime.local.sample import make_clip
from skill_runtime.progress import Progress
from skill_runtime.store import Store

pytestmark = pytest.mark.slow

YELLOW = np.array([0xFF, 0xE6, 0x00])


class Cli:
    def __init__(self, root: Path) -> None:
        self.root, self.out = root, root / "out"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("AI_SUBTITLES_",))}
        self.env["AI_SUBTITLES_HOME"] = str(root / "home")
        self.steps: dict[str, subprocess.CompletedProcess[str]] = {}

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "skill_runtime", "--out", str(self.out), *args]

    def run(self, name: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            self.argv(*args),
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.steps[name] = done
        return done

    def ok(self, name: str) -> str:
        done = self.steps[name]
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def video(self, name: str) -> Path:
        return next(
            Path(line.removeprefix("MEDIA: "))
            for line in self.ok(name).splitlines()
            if line.startswith("MEDIA: ") and line.endswith(".mp4")
        )


def _size(video: Path) -> tuple[int, int]:
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        return stream.width, stream.height


def _frame(video: Path, t: float) -> np.ndarray:
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            if frame.time is not None and frame.time >= t:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"no frame at {t}s")


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    root = tmp_path_factory.mktemp("jobs")
    first = make_clip(root / "first.mp4", "Hello world.", size="320x180", lead_s=0.2, tail_s=0.3)
    second = make_clip(root / "second.mp4", "Good morning.", size="320x180", lead_s=0.2, tail_s=0.3)
    cli = Cli(root)
    cli.run("vertical", "caption", str(first), "--aspect", "9:16", "--soft")
    cli.run("default", "caption", str(second))
    cli.run("reopen", "upload", str(first))
    cli.run("yellow", "chat", "make them yellow")
    cli.run("yellow_state", "--json", "state")
    cli.run("burn", "chat", "burn them in")
    cli.run("export", "--json", "export")
    cli.run("replace", "chat", 'replace "hello" with "howdy"')
    cli.run("recaption", "caption", str(first))
    return cli


def test_a_vertical_job_then_a_16_9_file_comes_out_1920x1080(flow: Cli) -> None:
    assert _size(flow.video("vertical")) == (1080, 1920)
    assert _size(flow.video("default")) == (1920, 1080)


def test_a_soft_job_then_a_file_with_no_options_is_burned_with_the_defaults(flow: Cli) -> None:
    out = flow.ok("default")
    assert "Captions are burned in" in out
    assert "Settings: the defaults (each new file starts from the defaults)" in out
    assert flow.video("default").name == "second.captioned.mp4"


def test_reopening_a_file_states_what_its_job_keeps(flow: Cli) -> None:
    out = flow.ok("reopen")
    assert "It was captioned before" in out
    assert "Burned into the picture off" in out and "Frame 9:16" in out
    assert 'Say "add captions"' not in out


def test_a_yellow_edit_on_soft_tracks_offers_burning_them_in(flow: Cli) -> None:
    assert 'Say "burn them in"' in flow.ok("yellow")
    job = json.loads(flow.ok("yellow_state"))["job"]
    assert job["file"].endswith("first.mp4")
    assert job["settings"]["burn"] is False and job["settings"]["color"] == "#FFE600"


def test_once_burned_the_export_shows_the_yellow_captions(flow: Cli) -> None:
    assert "Burned into the picture: off → on" in flow.ok("burn")
    exported = json.loads(flow.ok("export"))
    video = next(Path(m["path"]) for m in exported["media"] if m["format"] == "mp4")
    assert _size(video) == (1080, 1920)
    cue = exported["tracks"][next(iter(exported["tracks"]))][0]
    frame = _frame(video, (cue["start"] + cue["end"]) / 2).astype(int)
    yellow = (np.abs(frame - YELLOW).max(axis=2) < 40).sum()
    assert yellow > 300


def test_captioning_a_file_again_keeps_its_jobs_edits_and_says_which(flow: Cli) -> None:
    out = flow.ok("recaption")
    assert "Kept from this file's earlier job: " in out
    for kept in ("Frame 9:16", "Colour #FFE600", '"hello" → "howdy"'):
        assert kept in out
    assert "Captions are burned in" in out
    assert "howdy" in (flow.out / "first.en.srt").read_text(encoding="utf-8").lower()
    assert _size(flow.video("recaption")) == (1080, 1920)


# Without the speech model: a job written straight into the store.


@pytest.fixture
def captioned_home(tmp_path: Path) -> Cli:
    clip = make_clip(tmp_path / "talk.mp4", "Hi.", size="160x90", lead_s=0.1, tail_s=0.1)
    cli = Cli(tmp_path)
    backend = LocalBackend(
        Context(
            config=config(),
            store=Store(tmp_path / "home"),
            out_dir=cli.out,
            progress=Progress(quiet=True),
            version="test",
            platform="test",
            env=Environment.read(config()),
        )
    )
    with backend.jobs() as session:
        job = session.open(probe(clip, config().local.media_extensions)).job
        job.source_language = "en"
        job.settings.languages = ["en"]
        job.tracks = {"en": [Cue(start=0.1, end=0.9, lines=["hello world"])]}
    return cli


def _state(cli: Cli) -> dict[str, object]:
    done = cli.run("state", "--json", "state")
    job: dict[str, object] = json.loads(cli.ok("state"))["job"]
    assert done.returncode == 0
    return job


def test_two_edits_started_together_both_land(captioned_home: Cli) -> None:
    cli = captioned_home
    started = [
        subprocess.Popen(
            cli.argv("chat", text), env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for text in ("make them yellow", "move them to the top")
    ]
    for process in started:
        assert process.wait(timeout=120) == 0
    job = _state(cli)
    settings = job["settings"]
    assert isinstance(settings, dict)
    assert (settings["color"], settings["position"]) == ("#FFE600", "top")
    history = job["history"]
    assert isinstance(history, list) and len(history) == 2


@pytest.fixture
def silent_endpoint() -> Iterator[tuple[str, threading.Event]]:
    """A translation endpoint that accepts a request and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    called = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)
            called.set()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/v1", called
    for conn in held:
        conn.close()
    server.close()


def test_a_command_killed_midway_leaves_the_previous_state_and_frees_the_lock(
    captioned_home: Cli, silent_endpoint: tuple[str, threading.Event]
) -> None:
    cli = captioned_home
    cli.run("yellow", "chat", "make them yellow")
    before = _state(cli)
    url, called = silent_endpoint
    env = {**cli.env, "OPENAI_BASE_URL": url, "OPENAI_API_KEY": "sk-killed-0123456789"}
    process = subprocess.Popen(
        cli.argv("chat", "add Spanish and move them to the top"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert called.wait(timeout=120), "the translation request never came"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert _state(cli) == before
    started = time.monotonic()
    cli.run("red", "chat", "make them red")
    assert cli.ok("red") and time.monotonic() - started < 60
