"""Short-form costs: each style's render against the plain one, a 16 MB export, the preview.

Usage: python bench/short_form.py [WORKDIR] [ROUNDS]

Prints, on a 1-minute 1080x1920 talking clip: the render time of each style
relative to the plain (clean) style (goal <= 1.15), wall time and ffmpeg CPU
time both, best of ROUNDS (default 2); the contact sheet's time relative to
the export of the same transcribed job (goal <= 0.10). On a 3-minute 1080p
clip: `export --max-size 16MB`'s size (goal <= 16 MB), time, and SSIM/PSNR
against the full render, the smaller file scaled back to the full frame.
"""

from __future__ import annotations

import os
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from caption_e2e import SENTENCES, talking_clip
from skill_runtime.backends.local import LocalBackend
from skill_runtime.config import config
from skill_runtime.context import CaptionRequest, Context
from skill_runtime.environment import Environment
from skill_runtime.local.asr import models
from skill_runtime.local.render.ffmpeg import run
from skill_runtime.local.sample import make_clip
from skill_runtime.progress import Progress
from skill_runtime.store import Store

STYLES = ["clean", "pop", "pop-word", "highlight", "keywords", "karaoke"]
LIMIT = 16_000_000


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds of the ffmpeg children it ran)."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0, _children_cpu() - cpu0


def vertical_clip(folder: Path) -> Path:
    """About one minute of speech over a moving 1080x1920 test picture."""
    text: list[str] = []
    k = 0
    while sum(len(s.split()) for s in text) < 150:
        text.append(SENTENCES[k % len(SENTENCES)])
        k += 1
    return make_clip(folder / "vertical 1min.mp4", " ".join(text), size="1080x1920", tail_s=1.0)


def _backend(work: Path, name: str) -> LocalBackend:
    return LocalBackend(
        Context(
            config=config(),
            store=Store(work / "home" / f"store-{name}"),
            out_dir=work / f"out-{name}",
            progress=Progress(quiet=True),
            version="bench",
            env=Environment.read(config()),
            platform="bench",
        )
    )


def quality(small: Path, full: Path, width: int, height: int) -> tuple[float, float]:
    """SSIM (All) and PSNR (average, dB) of `small` scaled to width x height against `full`."""
    graph = (
        f"[0:v]scale={width}:{height}:flags=bicubic,split[a1][a2];[1:v]split[b1][b2];"
        "[a1][b1]ssim;[a2][b2]psnr"
    )
    stderr = run(
        ["-i", str(small), "-i", str(full), "-lavfi", graph, "-f", "null", "-"], duration=0
    )
    ssim = re.search(r"SSIM .*All:([\d.]+)", stderr)
    psnr = re.search(r"PSNR .*average:([\d.]+|inf)", stderr)
    assert ssim and psnr, stderr[-500:]
    return float(ssim.group(1)), float(psnr.group(1))


def styles_and_preview(work: Path, rounds: int) -> None:
    clip = work / "vertical 1min.mp4"
    if not clip.exists():
        print("making the 1-minute vertical clip...", file=sys.stderr)
        vertical_clip(work)
    backend = _backend(work, "vertical")
    backend.caption(CaptionRequest(path=clip, aspect="9:16", burn=True, preview=True))
    session = backend.load_session()
    duration = session.current.duration  # type: ignore[union-attr]
    best: dict[str, tuple[float, float]] = {}
    for _ in range(rounds):
        for style in STYLES:
            session.settings = session.settings.model_copy(update={"style": style})
            _, wall, cpu = _timed(lambda: backend.render(session))
            old = best.get(style, (float("inf"), float("inf")))
            best[style] = (min(old[0], wall), min(old[1], cpu))
    plain_wall, plain_cpu = best["clean"]
    print(f"1-minute clip: {duration:.1f} s, 1080x1920, best of {rounds}")
    print(f"{'style':<10} {'wall s':>8} {'x plain':>8} {'ffmpeg cpu s':>13} {'x plain':>8}")
    for style in STYLES:
        wall, cpu = best[style]
        print(
            f"{style:<10} {wall:8.1f} {wall / plain_wall:8.3f} {cpu:13.1f} {cpu / plain_cpu:8.3f}"
        )
    print("goal: each style <= 1.15 x plain")
    session.settings = session.settings.model_copy(update={"style": "clean"})
    backend.save_session(session)
    sheets = [_timed(backend.preview) for _ in range(3)]
    sheet_wall = min(s[1] for s in sheets)
    print(
        f"preview (contact sheet): {sheet_wall:.2f} s wall, best of 3; "
        f"x export of the same job: {sheet_wall / plain_wall:.3f} (goal <= 0.10)"
    )


def max_size(work: Path) -> None:
    clip = work / "talk 1080p.mp4"
    if not clip.exists():
        print("making the 3-minute clip...", file=sys.stderr)
        talking_clip(work)
    backend = _backend(work, "landscape")
    backend.caption(CaptionRequest(path=clip, aspect="16:9", burn=True, preview=True))
    session = backend.load_session()
    full_result, full_wall, _ = _timed(lambda: backend.render(session))
    full = next(m.path for m in full_result.media if m.kind == "video")
    sized_result, sized_wall, _ = _timed(lambda: backend.export_sized(max_bytes=LIMIT))
    sized = next(m.path for m in sized_result.media if m.kind == "video")
    report = sized_result.data["size"]
    ssim, psnr = quality(sized, full, report["full_width"], report["full_height"])
    duration = session.current.duration  # type: ignore[union-attr]
    print(f"3-minute clip: {duration:.1f} s, 1920x1080")
    print(f"full render: {full.stat().st_size / 1e6:.1f} MB in {full_wall:.1f} s")
    print(
        f"--max-size 16MB: {report['size_bytes'] / 1e6:.2f} MB (goal <= 16.00) "
        f"in {sized_wall:.1f} s, {report['width']}x{report['height']}, "
        f"video {report['video_kbps']} kbit/s "
        f"(cap {report['cap_kbps']}), audio {report['audio_kbps']} kbit/s, "
        f"{report['attempts']} encode(s)"
    )
    print(f"quality vs the full render: SSIM {ssim:.4f}, PSNR {psnr:.2f} dB")


def main() -> int:
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="short-bench-"))
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AI_SUBTITLES_HOME", str(work / "home"))
    models.resolve_model(config().local.model, None)
    styles_and_preview(work, rounds)
    max_size(work)
    print(f"load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (shared machine)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
