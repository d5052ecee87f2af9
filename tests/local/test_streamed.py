"""Ranges burned before the final cues are kept only where the final cues draw the same.

Whatever cues a range was burned with early, the joined video shows the final
cues at every frame, in sync, and a range is burned again only when what it
draws changed.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pysubs2
import pytest

from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.probe import MediaInfo, probe
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.local.render.fonts import fonts_dir
from skill_runtime.local.render.streamed import RangeBurner, drawn_over, tail_spans
from skill_runtime.local.render.video import burn
from skill_runtime.local.sample import make_clip
from skill_runtime.progress import Progress

from .conftest import BACKGROUND, frame_at
from .test_ranges import SHAPE, _streams, _text_mask

LOCAL = config().local
FONTS = fonts_dir(LOCAL.fonts, Environment.read())
FPS = 25.0
BORDER = 75  # 3.0 s
FINAL = [(0.5, 2.9, "First caption"), (2.9, 5.0, "Across the border")]


def _subs(cues: list[tuple[float, float, str]]) -> pysubs2.SSAFile:
    subs = pysubs2.SSAFile()
    subs.info.update({"PlayResX": "320", "PlayResY": "180"})
    subs.styles["Default"].fontname = LOCAL.fonts.family
    subs.styles["Default"].fontsize = 16
    for start, end, text in cues:
        subs.append(pysubs2.SSAEvent(start=int(start * 1000), end=int(end * 1000), text=text))
    return subs


@pytest.mark.parametrize(
    ("early", "same"),
    [
        (FINAL, True),
        ([*FINAL, (6.0, 7.0, "Later")], True),  # after the range: not drawn in it
        ([(0.5, 2.9, "First caption")], False),  # the cue crossing the border was not known yet
        ([(0.5, 2.9, "First captions"), FINAL[1]], False),
        ([(0.5, 2.5, "First caption"), FINAL[1]], False),
        ([(2.95, 5.0, "Across the border"), FINAL[0]], False),  # same cues, other order
    ],
)
def test_a_range_is_the_same_only_when_every_cue_it_draws_is(
    early: list[tuple[float, float, str]], same: bool
) -> None:
    frames = (0, BORDER)
    assert (drawn_over(_subs(early), frames, FPS) == drawn_over(_subs(FINAL), frames, FPS)) is same


def test_a_style_change_changes_every_range() -> None:
    bigger = _subs(FINAL)
    bigger.styles["Default"].fontsize = 20
    assert drawn_over(bigger, (0, BORDER), FPS) != drawn_over(_subs(FINAL), (0, BORDER), FPS)


PAUSED = [(0.0, 9.0, "a"), (9.6, 19.0, "b"), (20.0, 29.0, "c"), (29.2, 40.0, "d")]


@pytest.mark.parametrize(
    ("frames", "queued", "shown", "pieces"),
    [
        # Nothing queued: split in the pause nearest the middle (19.5 s of 40).
        ((0, 1000), 0, PAUSED, [(0, 488), (488, 1000)]),
        # 20 s still queued on the encoder thread: it takes the shorter first piece.
        ((0, 1000), 500, PAUSED, [(0, 233), (233, 1000)]),
        # The queue is longer than the tail: this thread burns it all.
        ((0, 1000), 1000, PAUSED, [(0, 1000)]),
        # No pause between captions: a border would fall inside one.
        ((0, 1000), 0, [(0.0, 40.0, "all")], [(0, 1000)]),
        # Too short to be worth a second encoder.
        ((0, 200), 0, PAUSED, [(0, 200)]),
        ((500, 500), 0, PAUSED, []),
    ],
)
def test_the_tail_is_split_in_a_pause_so_both_threads_end_together(
    frames: tuple[int, int],
    queued: int,
    shown: list[tuple[float, float, str]],
    pieces: list[tuple[int, int]],
) -> None:
    assert tail_spans(_subs(shown), frames, queued, FPS, 5.0) == pieces


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[MediaInfo, Path, Path]:
    """A clip with speech and its one-pass burn of the final cues."""
    folder = tmp_path_factory.mktemp("streamed")
    path = make_clip(
        folder / "clip.mp4",
        "One two three four five six.",
        size="320x180",
        pattern=BACKGROUND,
        tail_s=4.0,
    )
    info = probe(path, LOCAL.media_extensions)
    ass = folder / "final.ass"
    _subs(FINAL).save(str(ass))
    whole = burn(
        info, ass_file=ass, fonts=FONTS, shape=SHAPE, fit="pad", tracks=[],
        out=folder / "whole.mp4", video=LOCAL.video, progress=Progress(quiet=True),
    )  # fmt: skip
    return info, whole, folder


def _burn_early(
    info: MediaInfo, folder: Path, early: list[tuple[float, float, str]], name: str
) -> tuple[Path, int]:
    work = folder / name
    work.mkdir()
    burner = RangeBurner(info, fonts=FONTS, shape=SHAPE, fit="pad", video=LOCAL.video, folder=work)
    burner.submit(BORDER, _subs(early))
    out = burner.finish(_subs(FINAL), work / "joined.mp4")
    return out, burner.reburned


@pytest.mark.slow
@pytest.mark.parametrize(
    ("early", "reburned"),
    [
        (FINAL, 0),
        ([(0.5, 2.9, "First caption")], 1),  # the border cue came only with later speech
        ([(0.5, 2.9, "Wrong guess"), FINAL[1]], 1),
    ],
)
def test_the_joined_video_draws_the_final_cues_in_place_and_in_sync(
    clip: tuple[MediaInfo, Path, Path], early: list[tuple[float, float, str]], reburned: int
) -> None:
    info, whole, folder = clip
    joined, count = _burn_early(info, folder, early, f"early{len(early)}{early[0][2][:5]}")
    assert count == reburned
    for t in (1.0, 2.84, 2.96, 3.0, 3.04, 4.5, 5.2):
        a, b = _text_mask(frame_at(whole, t)), _text_mask(frame_at(joined, t))
        assert bool(a.sum() > 50) == any(start <= t < end for start, end, _ in FINAL)
        assert (a ^ b).sum() <= 0.05 * max(1, (a | b).sum())
    one, two = _streams(whole), _streams(joined)
    frame = 1 / info.fps
    assert two["video"][2] == one["video"][2]
    assert abs(two["audio"][1] - one["audio"][1]) < frame
    assert abs((two["audio"][0] - two["video"][0]) - (one["audio"][0] - one["video"][0])) < frame


@pytest.mark.slow
def test_closing_stops_the_range_under_way(tmp_path: Path) -> None:
    """A stopped caption (an error, Ctrl-C, SIGTERM) does not wait for a range to finish."""
    source = tmp_path / "long.mp4"
    subprocess.run(
        [locate().exe, "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=25:d=60",
         "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", str(source)],
        check=True,
    )  # fmt: skip
    info = probe(source, LOCAL.media_extensions)
    full = LOCAL.shapes["16:9"]
    burner = RangeBurner(
        info, fonts=FONTS, shape=full, fit="pad", video=LOCAL.video, folder=tmp_path
    )
    burner.submit(burner.total_frames, _subs(FINAL))
    time.sleep(1.0)
    started = time.monotonic()
    burner.close()
    assert time.monotonic() - started < 5  # the whole range takes about 25 s here
    assert not _children()


def _children() -> list[str]:
    """Names of this process's live children, from /proc."""
    names = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid_name, _, rest = stat.read_text().rpartition(")")
        except OSError:
            continue
        state, ppid = rest.split()[:2]
        if int(ppid) == os.getpid() and state != "Z":
            names.append(pid_name.partition("(")[2])
    return names
