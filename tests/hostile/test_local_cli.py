"""Hostile names, paths, folders, disks, state and signals against the local CLI."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import av
import pysubs2
import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.config import config
from skill_runtime.context import CaptionRequest, Context
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.local.probe import probe
from skill_runtime.local.render.fonts import fonts_dir
from skill_runtime.local.render.streamed import RangeBurner
from skill_runtime.local.sample import make_clip
from skill_runtime.progress import Progress
from skill_runtime.settings.local import BurnAhead
from skill_runtime.store import Store

from .conftest import JOBS, SRC, Run, can_mount, cli, edit_current_job, held

# Each case runs the CLI with the real Whisper model, or encodes.
pytestmark = pytest.mark.slow

# --- Bad input and output folders: refused with their own exit, before any decoding.


def _missing(tmp: Path, talk: Path) -> list[str | Path]:
    return ["caption", tmp / "nope.mp4"]


def _text_as_mp4(tmp: Path, talk: Path) -> list[str | Path]:
    (tmp / "notes.mp4").write_text("just some words\n")
    return ["caption", tmp / "notes.mp4"]


def _truncated(tmp: Path, talk: Path) -> list[str | Path]:
    data = talk.read_bytes()
    (tmp / "cut.mp4").write_bytes(data[: len(data) // 3])
    return ["caption", tmp / "cut.mp4"]


def _folder_as_input(tmp: Path, talk: Path) -> list[str | Path]:
    (tmp / "dir.mp4").mkdir()
    return ["caption", tmp / "dir.mp4"]


def _out_is_file(tmp: Path, talk: Path) -> list[str | Path]:
    (tmp / "afile").write_text("mine")
    return ["caption", talk, "--out", tmp / "afile"]


def _out_under_file(tmp: Path, talk: Path) -> list[str | Path]:
    (tmp / "afile").write_text("mine")
    return ["caption", talk, "--out", tmp / "afile" / "sub"]


def _out_with_newline(tmp: Path, talk: Path) -> list[str | Path]:
    return ["caption", talk, "--out", tmp / "two\nlines"]


BAD_INPUT: dict[str, tuple[Callable[[Path, Path], list[str | Path]], int]] = {
    "missing input": (_missing, 3),
    "text file named .mp4": (_text_as_mp4, 3),
    "truncated mp4": (_truncated, 3),
    "folder named .mp4": (_folder_as_input, 3),
    "--out names a file": (_out_is_file, 2),
    "--out inside a file": (_out_under_file, 2),
    "--out with a newline": (_out_with_newline, 2),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_is_refused_with_its_exit(
    case: str, tmp_path: Path, talk: Path, fresh_home: Path
) -> None:
    make, code = BAD_INPUT[case]
    run = cli(*make(tmp_path, talk), home=fresh_home, cwd=tmp_path)
    held(run, code)
    assert run.media == [] and run.stderr.strip()
    assert "Reading the audio" not in run.stderr  # refused before any decoding


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file, so none is unreadable")
def test_unreadable_input_is_bad_input(tmp_path: Path, talk: Path, fresh_home: Path) -> None:
    locked = tmp_path / "locked.mp4"
    shutil.copy(talk, locked)
    locked.chmod(0)
    held(cli("caption", locked, home=fresh_home), 3)


@contextlib.contextmanager
def tmpfs(where: Path, size: str, *options: str) -> Iterator[Path]:
    reason = can_mount()
    if reason:
        pytest.skip(reason)
    where.mkdir(parents=True, exist_ok=True)
    opts = ",".join([f"size={size}", *options])
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)])
    if done.returncode != 0:
        pytest.skip("mount -t tmpfs failed here (no mount permission in this container)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_read_only_out_folder_is_refused_before_decoding(
    tmp_path: Path, talk: Path, fresh_home: Path
) -> None:
    with tmpfs(tmp_path / "ro", "1m", "ro") as ro:
        run = cli("caption", talk, "--out", ro / "x", home=fresh_home)
    held(run, 3)
    assert "Reading the audio" not in run.stderr


# --- Outputs: the user's files are never replaced, sets never mix, names stay one line.


def _export(home: Path, out: Path, *extra: str) -> Run:
    return cli("export", "--out", out, "--quiet", *extra, home=home)


def _digest(folder: Path) -> dict[str, str]:
    """The finished files (not hidden part files) and their contents."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".")
    }


def test_a_hand_made_subtitle_file_is_never_replaced(tmp_path: Path, captioned_home: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "talk.en.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nmine\n")
    run = _export(captioned_home, out)
    held(run, 0)
    assert (out / "talk.en.srt").read_text().endswith("mine\n")
    assert {p.name for p in run.media} >= {"talk-2.en.srt", "talk-2.captioned.mp4"}
    assert "talk-2" in run.stdout


def test_overwrite_replaces_the_users_file(tmp_path: Path, captioned_home: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "talk.en.srt").write_text("mine\n")
    held(_export(captioned_home, out, "--overwrite"), 0)
    assert "mine" not in (out / "talk.en.srt").read_text()


def test_two_inputs_with_one_stem_do_not_mix(
    tmp_path: Path, talk: Path, captioned_home: Path
) -> None:
    out = tmp_path / "out"
    held(_export(captioned_home, out), 0)
    before = _digest(out)
    wav = tmp_path / "talk.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(talk), "-vn", "-t", "2", str(wav)], check=True
    )
    run = cli("caption", wav, "--out", out, "--quiet", home=captioned_home)
    assert run.code == 3  # an audio file gets subtitles but no video
    assert {p.name for p in run.media} == {f"talk-2.en.{x}" for x in ("srt", "vtt", "ass", "json")}
    assert _digest(out).items() >= before.items()


def test_control_characters_in_a_name_never_split_a_media_line(
    tmp_path: Path, talk: Path, captioned_home: Path
) -> None:
    odd = tmp_path / "new\nline %d\t.mp4"
    shutil.copy(talk, odd)
    edit_current_job(captioned_home, lambda job: job["media"].update(path=str(odd)))
    run = _export(captioned_home, tmp_path / "out")
    held(run, 0)
    assert run.media and all("\n" not in str(p) and "\t" not in str(p) for p in run.media)
    assert "new_line %d_" in run.stdout and "control characters" in run.stdout


# --- Full disks: a clear message, exit 3, nothing partial, no MEDIA line.


# No room at all; room for the subtitles but not the video; a disk already nearly full.
@pytest.mark.parametrize(("size", "fill_kb"), [("16k", 0), ("48k", 0), ("64k", 40)])
def test_full_disk_leaves_nothing_and_says_so(
    tmp_path: Path, captioned_home: Path, size: str, fill_kb: int
) -> None:
    with tmpfs(tmp_path / "small", size) as small:
        if fill_kb:
            (small / "ballast").write_bytes(b"\0" * fill_kb * 1024)
        run = _export(captioned_home, small)
        left = sorted(p.name for p in small.iterdir() if p.name != "ballast")
    held(run, 3)
    assert run.media == [] and "full" in run.stderr
    assert left == []


# --- Damaged state: moved aside, named, and the command goes on.

DAMAGE: dict[str, bytes] = {
    "invalid UTF-8": b'{"jobs": "\xff\xfe"}',
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "not JSON": b"{this is not json",
    "wrong shape": b'{"jobs": 42}',
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_session_is_set_aside_and_the_command_goes_on(kind: str, fresh_home: Path) -> None:
    (fresh_home / JOBS).write_bytes(DAMAGE[kind])
    run = cli("state", home=fresh_home)
    held(run, 0)
    kept = list(fresh_home.glob("local_jobs.damaged-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == DAMAGE[kind]
    assert str(kept[0]) in run.stderr


# --- Signals: children stop, part files go, the previous set stays whole.


def _ffmpeg_children(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if "ffmpeg" in cmdline and marker in cmdline:
                found.append(int(proc.name))
    return found


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to find ffmpeg")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_signal_mid_encode_stops_ffmpeg_and_keeps_the_previous_set(
    tmp_path: Path, captioned_home: Path, sig: signal.Signals
) -> None:
    out = tmp_path / "out"
    held(_export(captioned_home, out), 0)
    before = _digest(out)

    # A full-HD frame makes the next encode long enough to be interrupted.
    def landscape(job: dict[str, Any]) -> None:
        job["renditions"][job["rendition"]]["settings"].update(aspect="16:9", height=1080)

    edit_current_job(captioned_home, landscape)
    env = {**os.environ, "PYTHONPATH": str(SRC), "AI_SUBTITLES_HOME": str(captioned_home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "skill_runtime", "export", "--out", str(out), "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob(".*part*.mp4")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(out.glob(".*part*.mp4")), "the encode never started"
    proc.send_signal(sig)
    code = proc.wait(timeout=60)
    deadline = time.monotonic() + 10
    while _ffmpeg_children(str(out)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ffmpeg_children(str(out)) == []
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 130)
    assert _digest(out) == before
    if sig != signal.SIGKILL:
        assert not [p for p in out.iterdir() if ".part-" in p.name]
    # Files under final names play; a SIGKILL may leave a hidden temp file, never a final one.
    for video in (v for v in out.glob("*.mp4") if not v.name.startswith(".")):
        with av.open(str(video)) as container:
            assert container.duration


# --- The state folder: read-only or full is the user's to fix (exit 3), never an internal error.


def test_a_read_only_state_folder_is_named_as_such(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "1m", "ro") as ro:
        run = cli("doctor", home=ro / "home")
    held(run, 3)
    assert str(ro / "home") in run.stderr and "read-only" in run.stderr
    assert "last-error" not in run.stderr


def test_a_state_folder_too_small_for_the_model_is_named_as_such(
    tmp_path: Path, talk: Path
) -> None:
    with tmpfs(tmp_path / "small", "2m") as small:
        run = cli("--backend", "local", "caption", talk, "--out", tmp_path / "out",
                  home=small / "home")  # fmt: skip
        left = [p for p in (small / "home").rglob("*") if p.is_file()]
    held(run, 3)
    assert str(small / "home") in run.stderr and "MB" in run.stderr
    assert left == []


def test_a_crash_with_no_writable_state_folder_is_logged_where_it_can_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from skill_runtime import cli as entry

    def explode(name: str, ctx: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(entry.commands, "get_backend", explode)
    with tmpfs(tmp_path / "ro", "1m", "ro") as ro:
        monkeypatch.setenv("AI_SUBTITLES_HOME", str(ro / "home"))
        assert entry.main(["state"]) == 1
    err = capsys.readouterr().err
    (log,) = [word.rstrip(".;") for word in err.split() if word.endswith(".txt")]
    assert not log.startswith(str(ro)) and "RuntimeError" in Path(log).read_text()


def test_a_full_disk_under_the_early_ranges_is_named_as_that_disk(
    tmp_path: Path, talk: Path
) -> None:
    """Ranges burned while recognising live in the state folder, which may sit on another disk
    than the outputs: the message names the disk that filled up."""
    settings = config().local
    info = probe(talk, settings.media_extensions)
    with tmpfs(tmp_path / "state", "16k") as small:
        ranges = small / "ranges-1-x"
        ranges.mkdir()
        burner = RangeBurner(
            info, fonts=fonts_dir(settings.fonts, Environment.read()),
            shape=settings.shapes["16:9"], fit="pad", video=settings.video, folder=ranges,
        )  # fmt: skip
        burner.submit(burner.total_frames // 2, pysubs2.SSAFile())
        with pytest.raises(SkillError) as raised:
            burner.finish(pysubs2.SSAFile(), tmp_path / "out.mp4")
    assert raised.value.code == "disk_full", raised.value.context
    assert raised.value.context["folder"] == str(small)
    assert not (tmp_path / "out.mp4").exists()


COOKING = (
    "Good morning everyone. Today we will learn how to cook fresh pasta at home. "
    "First, mix the flour with three eggs, then knead the dough for ten minutes."
)


def test_a_full_disk_under_the_early_ranges_falls_back_to_one_pass(
    tmp_path: Path, fresh_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranges and their join hold the video twice where a one-pass burn holds it once: when
    the state folder's disk fills up under them, they go and the burn is done in one pass."""
    monkeypatch.setenv("AI_SUBTITLES_HOME", str(fresh_home))
    clip = make_clip(
        tmp_path / "long.mp4",
        " ".join([COOKING] * 3),
        size="640x360",
        tail_s=1.0,
    )
    base = config()
    rules = BurnAhead(min_range_s=4, settle_s=2, split_tail_s=1)
    video = base.local.video.model_copy(update={"burn_ahead": rules})
    local = base.local.model_copy(update={"video": video})
    handed: list[int] = []
    submit = RangeBurner.submit

    def spied(self: RangeBurner, stop: int, subs: pysubs2.SSAFile) -> None:
        handed.append(stop)
        submit(self, stop, subs)

    monkeypatch.setattr(RangeBurner, "submit", spied)
    with tmpfs(tmp_path / "state", "256k") as small:
        ctx = Context(
            config=base.model_copy(update={"local": local}),
            store=Store(small),
            out_dir=tmp_path / "out",
            progress=Progress(quiet=True),
            version="test",
            platform="test",
            env=Environment.read(base),
        )
        made = LocalBackend(ctx).caption(CaptionRequest(path=clip, burn=True))
        left = [p.name for p in small.rglob("*") if p.name.startswith(("range", "cues"))]
    assert handed and left == []
    (mp4,) = [m.path for m in made.media if m.path.name.endswith(".captioned.mp4")]
    with av.open(str(mp4)) as burned, av.open(str(clip)) as source:
        assert burned.streams.video[0].frames == source.streams.video[0].frames
