"""A look before the render: one PNG of four captioned moments, no video encoded.

The four frames are decoded at spread-out caption events, given those events'
timestamps, drawn through the same ASS file and frame shape the export will
use, and tiled into one image, all in a single ffmpeg call.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pysubs2

from .. import atomic
from ..context import Context
from ..errors import SkillError
from ..results import MediaFile
from .pipeline import burn_file, drawing, name_prefix
from .render.ffmpeg import escape_filter_value, file_arg, run
from .render.fonts import fontconfig_env, fonts_dir
from .render.layout import scale_filter
from .session import CaptionJob
from .subtitles import make_ass

MOMENTS = 4


def moments(subs: pysubs2.SSAFile, duration: float, count: int = MOMENTS) -> list[float]:
    """Times inside `count` main-track events spread over the video (past any scale-in)."""
    events = sorted((e for e in subs.events if e.style == "Main"), key=lambda e: e.start)
    if not events:
        return []
    n = len(events)
    picks = sorted({round(k * (n - 1) / max(count - 1, 1)) for k in range(min(count, n))})
    times = []
    for k in picks:
        event = events[k]
        at = (event.start + 0.6 * (event.end - event.start)) / 1000
        times.append(round(min(at, max(0.0, duration - 0.05)), 3))
    return times


def _layout(count: int, portrait: bool) -> str:
    return "2x2" if count == 4 and not portrait else f"{count}x1"


def contact_sheet(job: CaptionJob, ctx: Context) -> MediaFile:
    """`<stem>.contact-sheet.png`: the burned captions as the export will draw them."""
    info = job.media
    if not job.tracks:
        raise SkillError("no_captions", file_name=info.path.name, path=str(info.path))
    if not info.has_video:
        raise SkillError("needs_video", path=str(info.path))
    settings, caption = ctx.config.local, job.settings
    drawn = drawing(job, ctx)
    shape = drawn.shape
    subs = make_ass(drawn.burned, drawn.look, drawn.languages)
    times = moments(subs, info.duration)
    if not times:
        raise SkillError("no_captions", file_name=info.path.name, path=str(info.path))
    fonts = fonts_dir(settings.fonts, ctx.env)
    out = ctx.out_dir / f"{info.path.stem}{name_prefix(job)}.contact-sheet.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ai-subtitles-") as tmp:
        ass_file = burn_file(drawn, fonts, Path(tmp))
        inputs: list[str] = []
        for at in times:
            inputs += ["-ss", f"{at:.3f}", "-i", file_arg(info.path)]
        firsts = "".join(
            f"[{k}:v:0]trim=end_frame=1,setpts=PTS-STARTPTS[f{k}];" for k in range(len(times))
        )
        joined = "".join(f"[f{k}]" for k in range(len(times)))
        when = "+".join(f"eq(N,{k})*{at:.3f}" for k, at in enumerate(times))
        ass = f"ass=filename={escape_filter_value(ass_file)}:fontsdir={escape_filter_value(fonts)}"
        tile = _layout(len(times), shape.height > shape.width)
        graph = (
            f"{firsts}{joined}concat=n={len(times)}:v=1:a=0,setpts='({when})/TB',"
            f"{scale_filter(shape, caption.fit, info)},{ass},"
            f"scale={settings.video.sheet_frame_width}:-2,"
            f"tile={tile}:padding=8:margin=8:color=white[sheet]"
        )
        with atomic.atomic_path(out) as part:
            run(
                [*inputs, "-filter_complex", graph, "-map", "[sheet]", "-frames:v", "1",
                 "-f", "image2", file_arg(part)],
                duration=0,
                env=fontconfig_env(fonts),
            )  # fmt: skip
    return MediaFile(path=out, kind="preview", format="png")
