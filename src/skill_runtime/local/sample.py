"""A short talking clip for the README's first command and for tests: espeak-ng speech
over ffmpeg's test pattern. Usage: python -m skill_runtime.local.sample OUT.mp4 [TEXT]"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .. import atomic
from ..errors import SkillError
from .render.ffmpeg import locate

DEFAULT_TEXT = (
    "Hello, and welcome to this short demo. "
    "These captions were made on your own computer, with nothing uploaded. "
    "Each line is short enough to read comfortably, and timed to the speech."
)


def speak(text: str, wav: Path, voice: str = "en-us", speed: int = 165) -> Path:
    """espeak-ng to a WAV file; fails with ffmpeg_missing's sibling when espeak is absent."""
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        raise SkillError("espeak_missing")
    subprocess.run(
        [exe, "-v", voice, "-s", str(speed), "-w", str(wav), text], check=True, capture_output=True
    )
    return wav


def make_clip(
    out: Path,
    text: str = DEFAULT_TEXT,
    *,
    voice: str = "en-us",
    size: str = "640x360",
    rate: int = 25,
    lead_s: float = 0.5,
    tail_s: float = 1.0,
    pattern: str = "testsrc2",
) -> Path:
    """Speech after `lead_s` of silence over a lavfi picture (`pattern` may carry options)."""
    sep = ":" if "=" in pattern else "="
    with tempfile.TemporaryDirectory() as tmp:
        wav = speak(text, Path(tmp) / "speech.wav", voice)
        with atomic.atomic_path(out) as part:
            subprocess.run(
                [
                    locate().exe,
                    "-hide_banner",
                    "-loglevel",
                    "error",
                    "-y",
                    "-f",
                    "lavfi",
                    "-i",
                    f"{pattern}{sep}size={size}:rate={rate}",
                    "-i",
                    str(wav),
                    "-filter_complex",
                    f"[1:a]adelay={int(lead_s * 1000)}:all=1,apad=pad_dur={tail_s}[a]",
                    "-map",
                    "0:v",
                    "-map",
                    "[a]",
                    "-shortest",
                    "-c:v",
                    "libx264",
                    "-preset",
                    "veryfast",
                    "-pix_fmt",
                    "yuv420p",
                    "-c:a",
                    "aac",
                    "-b:a",
                    "96k",
                    str(part),
                ],
                check=True,
                capture_output=True,
            )
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path("sample.mp4")
    make_clip(out, args[1] if len(args) > 1 else DEFAULT_TEXT)
    print(out.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
