"""A burn that starts while speech is still being recognised ends as the one-pass burn:
the same captions in the same places at the same times, the sound in sync, and
no range border inside a cue."""

from __future__ import annotations

import dataclasses
import os
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

import av
import numpy as np
import pysubs2
import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.captions import Cue, Word
from skill_runtime.config import config
from skill_runtime.context import CaptionRequest, Context
from skill_runtime.local import pipeline
from skill_runtime.local.ahead import Ahead, Sketch
from skill_runtime.local.asr.transcribe import Partial
from skill_runtime.local.probe import probe
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.local.render.streamed import RangeBurner
from skill_runtime.local.sample import make_clip
from skill_runtime.local.session import CaptionJob
from skill_runtime.settings.local import BurnAhead
from skill_runtime.settings.skill import SkillConfig

from .conftest import BACKGROUND, BACKGROUND_RGB, SPEECH, frame_at, make_ctx

RULES = BurnAhead(min_range_s=4, settle_s=2, split_tail_s=1)


class Renders(NamedTuple):
    outputs: dict[str, Path]
    cuts: list[int]  # where ranges handed over during recognition end
    borders: list[int]  # every range's first frame but 0, the tail's split included
    reburned: list[int]
    fps: float


def _with_burn_ahead(rules: BurnAhead | None) -> SkillConfig:
    base = config()
    video = base.local.video.model_copy(update={"burn_ahead": rules})
    return base.model_copy(update={"local": base.local.model_copy(update={"video": video})})


def _ahead(rules: BurnAhead = RULES) -> Ahead:
    def start() -> RangeBurner:
        raise AssertionError("no range is burned here")

    return Ahead(start, 25.0, lambda words, language: None, rules, ".?!")


def _cues(*spans: tuple[float, float, str]) -> list[Cue]:
    return [Cue(start=a, end=b, lines=[text]) for a, b, text in spans]


@pytest.mark.parametrize(
    ("cues", "settled_s", "frame"),
    [
        # The last gap after a sentence end, behind the settled point, cut in its middle.
        (_cues((0, 3, "One."), (3.4, 6, "Two."), (6.4, 9, "Three.")), 9.0, 155),
        # The gap before "Four." ends where recognition has not settled: the one before it.
        (_cues((0, 3, "One."), (3.4, 6, "Two."), (6.4, 9, "Three."), (9.4, 12, "Four.")), 9.0, 155),
        # A gap inside a sentence is not a cut.
        (
            _cues((0, 3, "One and"), (3.4, 6, "two and"), (6.4, 9, "three,"), (9.4, 12, "four.")),
            12.0,
            None,
        ),
        # Cues that touch leave no frame without a caption.
        (_cues((0, 5, "One."), (5, 9, "Two.")), 9.0, None),
        # Too short a range: wait for more speech.
        (_cues((0, 1, "One."), (1.5, 3, "Two.")), 3.0, None),
    ],
)
def test_a_range_ends_in_a_pause_after_a_sentence(
    cues: list[Cue], settled_s: float, frame: int | None
) -> None:
    assert _ahead().cut(cues, settled_s, 0) == frame


def test_a_range_is_at_least_min_range_s_long() -> None:
    cues = _cues((0, 3, "One."), (3.4, 6, "Two."), (6.4, 9, "Three."), (9.4, 12, "Four."))
    ahead = _ahead(BurnAhead(min_range_s=8, settle_s=2, split_tail_s=1))
    assert ahead.cut(cues, 12.0, 0) == 230  # 9.2 s; the gap at 6.2 s would be too short
    assert ahead.cut(cues, 9.0, 0) is None


def test_a_range_is_as_long_as_all_before_it() -> None:
    """Few ranges keep the encoder busy: each costs a seek and an encoder start."""
    cues = _cues(*((k * 3.0, k * 3.0 + 2.6, f"Sentence {k}.") for k in range(20)))
    ahead = _ahead(BurnAhead(min_range_s=2, settle_s=0, split_tail_s=1))
    assert ahead.cut(cues, 35.9, 0) == 820  # the last settled gap, at 32.8 s
    assert ahead.cut(cues, 20.0, 100) == 445  # from 4 s: to 8 s at least; the gap at 17.8 s
    assert ahead.cut(cues, 35.9, 500) is None  # from 20 s: to 40 s at least
    assert ahead.cut(cues, 60.0, 500) == 1420


def test_captions_that_cannot_be_drawn_yet_turn_the_burn_ahead_off() -> None:
    """A burned translation needs the whole transcript: nothing is burned early."""
    ahead = _ahead()
    ahead.heard(Partial(30.0, "en", list))
    assert ahead.burned_to == 0


def test_no_captions_are_sketched_before_the_next_range_could_end() -> None:
    """Each sketch builds the cues of everything heard so far: one drawn too early is waste."""
    cues = _cues(*((k * 3.0, k * 3.0 + 2.6, f"Sentence {k}.") for k in range(70)))
    rules = RULES
    sketched: list[tuple[float, float]] = []

    class Burner:
        burned_to = 0

        def submit(self, stop: int, subs: pysubs2.SSAFile) -> None:
            self.burned_to = stop

    burner = Burner()

    def sketch(words: list[Word], language: str) -> Sketch:
        sketched.append((until_s, burner.burned_to / 25.0))
        return Sketch(pysubs2.SSAFile(), cues)

    ahead = Ahead(lambda: burner, 25.0, sketch, rules, ".?!")  # type: ignore[arg-type, return-value]
    for until_s in np.arange(0.5, 210.0, 0.5):
        ahead.heard(Partial(float(until_s), "en", list))
    assert burner.burned_to > 150 * 25  # ranges 4, 8, 16, ... seconds: several were cut
    for heard_s, done_s in sketched:
        assert heard_s >= done_s + max(rules.min_range_s, done_s) + rules.settle_s
    assert len(sketched) <= 12


@pytest.fixture(scope="module")
def renders(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Renders:
    """One clip captioned while burning ahead (ranges spied on), then burned again in one pass."""
    folder = tmp_path_factory.mktemp("ahead")
    clip = make_clip(
        folder / "talk.mp4", " ".join([SPEECH] * 3), size="320x180", pattern=BACKGROUND,
        tail_s=1.5,
    )  # fmt: skip
    cuts: list[int] = []
    borders: list[int] = []
    reburned: list[int] = []
    submit, finish, encode = RangeBurner.submit, RangeBurner.finish, RangeBurner._encode

    def spied_submit(self: RangeBurner, stop: int, subs: pysubs2.SSAFile) -> None:
        cuts.append(stop)
        submit(self, stop, subs)

    def spied_encode(self: RangeBurner, frames: tuple[int, int], *args: Any) -> Path:
        borders.append(frames[0])
        return encode(self, frames, *args)

    def spied_finish(self: RangeBurner, *args: Any, **kwargs: Any) -> Path:
        out = finish(self, *args, **kwargs)
        reburned.append(self.reburned)
        return out

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RangeBurner, "submit", spied_submit)
        patch.setattr(RangeBurner, "finish", spied_finish)
        patch.setattr(RangeBurner, "_encode", spied_encode)
        ahead: Context = dataclasses.replace(
            make_ctx(home, folder / "ahead"), config=_with_burn_ahead(RULES)
        )
        backend = LocalBackend(ahead)
        burned = backend.caption(CaptionRequest(path=clip)).media
    # The same job (the same words: recognition is not run twice) burned in one pass.
    one_pass = dataclasses.replace(
        ahead, out_dir=folder / "one_pass", config=_with_burn_ahead(None)
    )
    again = pipeline.render_outputs(backend.current_job(), one_pass).media
    outputs = {
        name: next(m.path for m in media if m.path.name.endswith(suffix))
        for name, media, suffix in (
            ("ahead", burned, ".mp4"),
            ("ahead.srt", burned, ".srt"),
            ("one_pass", again, ".mp4"),
            ("one_pass.srt", again, ".srt"),
        )
    }
    with av.open(str(clip)) as container:
        fps = float(container.streams.video[0].average_rate or 25)
    return Renders(outputs, cuts, sorted(set(borders) - {0}), reburned, fps)


def _text_mask(frame: np.ndarray) -> np.ndarray:
    return np.abs(frame.astype(int) - np.array(BACKGROUND_RGB)).sum(axis=2) > 150


def _box(mask: np.ndarray) -> tuple[int, ...] | None:
    """Where the caption is: its bounding box, to 4 px."""
    ys, xs = np.nonzero(mask)
    if not len(ys):
        return None
    return tuple(round(v / 4) for v in (ys.min(), ys.max(), xs.min(), xs.max()))


def _streams(path: Path) -> dict[str, tuple[float, float, int]]:
    """start, duration and frame count (0 for sound) of each stream."""
    with av.open(str(path)) as container:
        out = {}
        for stream in (container.streams.video[0], container.streams.audio[0]):
            tb = float(stream.time_base or 0)
            frames = stream.frames if stream.type == "video" else 0
            out[stream.type] = ((stream.start_time or 0) * tb, (stream.duration or 0) * tb, frames)
        return out


@pytest.mark.slow
def test_the_burn_ran_in_ranges_and_kept_them_all(
    renders: Renders,
) -> None:
    assert len(renders.cuts) >= 2
    assert renders.reburned == [0]


@pytest.mark.slow
def test_no_range_border_falls_inside_a_cue(
    renders: Renders,
) -> None:
    outputs, fps = renders.outputs, renders.fps
    cues = pysubs2.load(str(outputs["ahead.srt"]))
    assert len(renders.borders) > len(renders.cuts)  # the tail was split too
    for frame in renders.borders:
        t_ms = frame * 1000 / fps
        assert not any(e.start <= t_ms < e.end for e in cues), frame


@pytest.mark.slow
def test_the_words_and_the_pictures_are_the_one_pass_burns(
    renders: Renders,
) -> None:
    outputs, fps = renders.outputs, renders.fps
    assert outputs["ahead.srt"].read_text() == outputs["one_pass.srt"].read_text()
    around_cuts = [t for f in renders.borders for t in ((f - 1) / fps, f / fps, (f + 1) / fps)]
    cues = pysubs2.load(str(outputs["one_pass.srt"]))
    inside = [(e.start + e.end) / 2000 for e in cues][::3]
    for t in [*around_cuts, *inside]:
        a = _text_mask(frame_at(outputs["one_pass"], t))
        b = _text_mask(frame_at(outputs["ahead"], t))
        assert _box(a) == _box(b), t
        # What differs is encoder noise along the letters' edges (ranges start on IDR frames).
        assert (a ^ b).sum() <= 0.05 * max(1, (a | b).sum()), t


@pytest.mark.slow
def test_the_sound_stays_in_sync_within_a_frame(
    renders: Renders,
) -> None:
    outputs, fps = renders.outputs, renders.fps
    one, two = _streams(outputs["one_pass"]), _streams(outputs["ahead"])
    assert two["video"][2] == one["video"][2]
    assert abs(two["audio"][1] - one["audio"][1]) < 1 / fps
    assert abs((two["audio"][0] - two["video"][0]) - (one["audio"][0] - one["video"][0])) < 1 / fps


def test_a_picture_whose_frame_rate_varies_is_burned_in_one_pass(
    home: Path, tmp_path: Path
) -> None:
    """Frame numbers are not times there, so ranges cut by frame would slip."""
    clip = tmp_path / "vfr.mp4"
    subprocess.run(
        [locate().exe, "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=160x90:r=25:d=2",
         "-vf", "setpts='if(lt(N,25),N/25,1+(N-25)/12.5)/TB'", "-fps_mode", "vfr",
         "-c:v", "libx264", str(clip)],
        check=True,
    )  # fmt: skip
    steady = make_clip(tmp_path / "cfr.mp4", "One.", size="160x90")
    ctx = dataclasses.replace(make_ctx(home, tmp_path / "out"), config=_with_burn_ahead(RULES))
    for path, ranges in ((clip, False), (steady, True)):
        job = CaptionJob(media=probe(path, config().local.media_extensions))
        job.settings.burn = True
        with pipeline.burning_ahead(job, CaptionRequest(path=path), ctx) as ahead:
            assert (ahead is not None) is ranges, path.name


def test_ranges_left_by_a_killed_run_are_removed_but_not_a_live_ones(tmp_path: Path) -> None:
    """A SIGKILL leaves the ranges (as large as the video); the next burn ahead removes them."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    dead = tmp_path / f"ranges-{gone.pid}-abc"
    live = tmp_path / f"ranges-{os.getpid()}-def"
    for folder in (dead, live):
        folder.mkdir()
        (folder / "range0.mp4").write_bytes(b"x")
    pipeline._drop_orphan_ranges(tmp_path)
    assert not dead.exists() and live.exists()
