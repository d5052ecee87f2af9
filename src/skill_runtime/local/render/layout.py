"""The output frame for an aspect choice, with margins that keep captions in safe zones.

A platform (TikTok, Reels, Shorts) brings its own UI zones from skill.yaml,
measured on 1080x1920; on a portrait frame they replace the generic margins.
"""

from __future__ import annotations

from ...settings.base import Aspect
from ...settings.local import LocalSettings, Shape
from ..probe import MediaInfo


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def platform_margins(settings: LocalSettings, platform: str, shape: Shape) -> Shape:
    """The platform's UI zones plus `safe_padding`, scaled from 1080x1920 to `shape`."""
    zone = settings.platforms[platform]
    pad = settings.safe_padding
    sx, sy = shape.width / 1080, shape.height / 1920
    return shape.model_copy(
        update={
            "margin_top": round((zone.top + pad) * sy),
            "margin_bottom": round((zone.bottom + pad) * sy),
            "margin_left": round((zone.left + pad) * sx),
            "margin_right": round((zone.right + pad) * sx),
            "margin_side": round((max(zone.left, zone.right) + pad) * sx),
        }
    )


def output_shape(
    settings: LocalSettings,
    aspect: Aspect,
    info: MediaInfo | None,
    height: int = 1080,
    platform: str | None = None,
) -> Shape:
    """1920x1080, 1080x1920, 1080x1080, or the source fitted into the matching box.

    A known `platform` sets the margins of a portrait frame; other frames keep theirs.
    """
    if aspect != "source":
        base = settings.shapes[aspect]
    else:
        w, h = (info.width, info.height) if info and info.has_video else (1920, 1080)
        key = "16:9" if w > h else "9:16" if h > w else "1:1"
        box = settings.shapes[key]
        fit = min(box.width / w, box.height / h)
        base = box.model_copy(update={"width": _even(w * fit), "height": _even(h * fit)})
    if platform in settings.platforms and base.height > base.width:
        base = platform_margins(settings, platform, base)
    scale = height / 1080
    if scale == 1:
        return base
    return base.model_copy(
        update={
            "width": _even(base.width * scale),
            "height": _even(base.height * scale),
            "margin_bottom": round(base.margin_bottom * scale),
            "margin_top": round(base.margin_top * scale),
            "margin_side": round(base.margin_side * scale),
            "margin_left": None if base.margin_left is None else round(base.margin_left * scale),
            "margin_right": None if base.margin_right is None else round(base.margin_right * scale),
        }
    )


_BLUR_SCALE = 8


def fills(shape: Shape, info: MediaInfo) -> bool:
    """The picture has exactly the frame's shape: scaled, it covers every pixel."""
    w, h = info.width, info.height
    return bool(w and h) and w * shape.height == h * shape.width


def scale_filter(shape: Shape, fit: str, info: MediaInfo) -> str:
    """Scale into the frame: fill it with a blurred copy behind (blur), crop, or pad.

    The blurred copy is made at an eighth of the frame and scaled up, so the
    fill costs little next to the encode; a picture of the frame's own shape
    gets no fill at all, since it would be drawn over entirely (on a 1080p
    source the fill cost a sixth of the whole burn). The chain has one input
    and one output, so it can be followed by more filters like the others.
    """
    w, h = shape.width, shape.height
    if fills(shape, info):
        return f"scale={w}:{h},setsar=1"
    inside = f"scale={w}:{h}:force_original_aspect_ratio=decrease"
    if fit == "crop":
        return f"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},setsar=1"
    if fit == "blur":
        bw, bh = _even(w / _BLUR_SCALE), _even(h / _BLUR_SCALE)
        back = (
            f"scale={bw}:{bh}:force_original_aspect_ratio=increase,crop={bw}:{bh},"
            f"boxblur=4:2,scale={w}:{h},setsar=1"
        )
        return (
            f"split=2[fill_bg][fill_fg];[fill_bg]{back}[fill_b];[fill_fg]{inside},setsar=1[fill_f];"
            "[fill_b][fill_f]overlay=(W-w)/2:(H-h)/2"
        )
    pad = f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color=black"
    return f"{inside},{pad},setsar=1"
