"""Find an ffmpeg that can burn captions, and run it with progress from `-progress`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ...errors import SkillError
from ...progress import Progress


@dataclass(frozen=True)
class FFmpeg:
    exe: str
    source: str
    version: str


def _capabilities(exe: str) -> tuple[bool, bool, str]:
    """(has the ass filter, has libx264, version line)."""
    try:
        filters = subprocess.run(
            [exe, "-hide_banner", "-filters"], capture_output=True, text=True, timeout=30
        )
        encoders = subprocess.run(
            [exe, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=30
        )
        version = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False, False, ""
    has_ass = any(line.split()[1:2] == ["ass"] for line in filters.stdout.splitlines())
    has_x264 = "libx264" in encoders.stdout
    return has_ass, has_x264, version.stdout.partition("\n")[0]


def candidates() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    system = shutil.which("ffmpeg")
    if system:
        found.append((system, "system"))
    try:
        import imageio_ffmpeg

        found.append((imageio_ffmpeg.get_ffmpeg_exe(), "imageio-ffmpeg"))
    except (ImportError, RuntimeError):
        pass
    return found


@cache
def locate() -> FFmpeg:
    """The system ffmpeg when it has libass and libx264, else imageio-ffmpeg's build."""
    tried: list[str] = []
    for exe, source in candidates():
        has_ass, has_x264, version = _capabilities(exe)
        if has_ass and has_x264:
            return FFmpeg(exe=exe, source=source, version=version)
        missing = [name for name, ok in (("libass", has_ass), ("libx264", has_x264)) if not ok]
        tried.append(f"{exe} ({', '.join(missing)} missing)")
    raise SkillError("ffmpeg_missing", tried=tried)


@cache
def _die_with_parent() -> list[str]:
    """Linux: ffmpeg gets SIGTERM if this process dies, even by SIGKILL.

    util-linux's `setpriv` sets that up in the child and then execs ffmpeg. A
    Python `preexec_fn` would do the same, but runs Python between fork and
    exec, which can hang forever while other threads (recognition, Ray) hold
    locks; without setpriv a killed run's ffmpeg finishes into its temp name.
    """
    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []


def _stop(proc: subprocess.Popen[str]) -> None:
    """Ask ffmpeg to stop, then make it."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def file_arg(path: Path) -> str:
    """A path ffmpeg reads as a plain file: no protocol (`concat:`), no `-` for a pipe."""
    return f"file:{path}"


def run(
    args: list[str],
    *,
    duration: float,
    progress: Progress | None = None,
    template: str = "progress/encoding",
    env: dict[str, str] | None = None,
    cancel: threading.Event | None = None,
) -> str:
    """Run ffmpeg; report `out_time` as a percentage of `duration`, and 100 % when done.

    stderr goes to a temporary file, so a chatty libass cannot fill a pipe and
    stall. Whatever stops this process (an error, Ctrl-C, SIGTERM) stops
    ffmpeg with it, so no orphan keeps writing a part file; so does `cancel`,
    for an ffmpeg run on another thread (seen at its next progress line).
    """
    cmd = [
        *_die_with_parent(),
        *(locate().exe, "-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:1"),
        *args,
    ]
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if cancel is not None and cancel.is_set():
                    _stop(proc)
                    break
                key, _, value = line.strip().partition("=")
                if key == "out_time_us" and progress is not None and value.isdigit():
                    progress.bar(template, int(value) / 1e6, duration)
            code = proc.wait()
        finally:
            _stop(proc)
        err.seek(0)
        stderr = err.read()
    if progress is not None:
        if code == 0:
            progress.bar(template, duration, duration)
        progress.finish()
    if "No space left on device" in stderr:  # ffmpeg 5 exits 0 when closing the file fails
        raise SkillError("disk_full", folder="")
    if code != 0:
        tail = "\n".join(stderr.strip().splitlines()[-6:])
        raise SkillError("render_failed", detail=tail, status=code)
    return stderr


def escape_filter_value(value: str | Path) -> str:
    """Escape a value for an ffmpeg filter option inside a filtergraph.

    Two levels, per ffmpeg's "Notes on filtergraph escaping": the option value
    (\\ ' :), then the graph (\\ ' [ ] , ;).
    """
    text = str(value)
    for ch in "\\':":
        text = text.replace(ch, "\\" + ch)
    for ch in "\\'[],;":
        text = text.replace(ch, "\\" + ch)
    return text
