"""Delivering without encoding again, captions a chat can see, and a frame filled without bars.

Real ffmpeg encodes of a short blue clip with its captions set directly (no
speech model): a render whose look did not change is not drawn again, a
WhatsApp copy of a fitting render is that render, a soft rendition's chat copy
has the captions burned, a size limit far above the render's needs is met
as a full render, a 9:16 frame of a 16:9 picture is filled by default, and a
new version of a captioned file shares its words instead of hearing it again.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pysubs2
import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.captions import Cue, Word
from skill_runtime.config import config
from skill_runtime.context import CaptionRequest
from skill_runtime.errors import SkillError
from skill_runtime.local.probe import probe
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.messages import render
from skill_runtime.results import Result

from .conftest import BACKGROUND_RGB, frame_at, make_ctx

pytestmark = pytest.mark.slow

LOCAL = config().local


@pytest.fixture(scope="module")
def blue_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reuse") / "blue.mp4"
    r, g, b = BACKGROUND_RGB
    subprocess.run(
        [locate().exe, "-v", "error", "-y",
         "-f", "lavfi", "-i", f"color=c=0x{r:02x}{g:02x}{b:02x}:size=640x360:rate=25:duration=4",
         "-f", "lavfi", "-i", "sine=duration=4", "-c:v", "libx264", "-preset", "ultrafast",
         "-c:a", "aac", "-shortest", str(out)],
        check=True,
    )  # fmt: skip
    return out


SHORT = "Mix three eggs with flour"
# One cue of two lines in a 16:9 frame; more than two of 9:16's shorter lines.
LONG = "Mix three eggs with the flour, a pinch of salt and some water"


def _backend(
    home: Path, tmp_path: Path, clip: Path, text: str = SHORT, **settings: object
) -> LocalBackend:
    backend = LocalBackend(make_ctx(home, tmp_path))
    step = 3.0 / len(text.split())
    words = [
        Word(text=t, start=0.5 + step * k, end=0.45 + step * (k + 1))
        for k, t in enumerate(text.split())
    ]
    cue = Cue(start=0.5, end=words[-1].end, lines=[text], words=words)
    with backend.jobs() as session:
        job = session.open(probe(clip, LOCAL.media_extensions)).job
        job.source_language, job.words, job.tracks = "en", words, {"en": [cue]}
        job.settings = job.settings.model_copy(update={"languages": ["en"], **settings})
    return backend


def _video(result: Result, suffix: str) -> Path:
    return next(m.path for m in result.media if m.path.name.endswith(suffix))


def _bright(frame: np.ndarray) -> int:
    """Pixels far brighter than the blue background: drawn caption text."""
    return int((frame.min(axis=2) > 200).sum())


def test_a_look_rendered_already_is_not_rendered_again(
    home: Path, tmp_path: Path, blue_clip: Path
) -> None:
    backend = _backend(home, tmp_path, blue_clip)
    first = backend.export()
    mp4 = _video(first, ".captioned.mp4")
    written = mp4.stat().st_mtime_ns
    again = backend.export()
    assert again.context["unchanged"] is True
    assert _video(again, ".captioned.mp4") == mp4 and mp4.stat().st_mtime_ns == written
    assert "Nothing to render" in render(again.template, **again.context)
    backend.chat("make them yellow")
    assert backend.export().context["unchanged"] is False


def test_a_fitting_render_is_delivered_as_it_is(
    home: Path, tmp_path: Path, blue_clip: Path
) -> None:
    backend = _backend(home, tmp_path, blue_clip)
    mp4 = _video(backend.export(), ".captioned.mp4")
    sent = backend.export_sized(channel="whatsapp")
    copy = _video(sent, ".captioned.whatsapp.mp4")
    assert sent.data["size"]["attempts"] == 0
    assert copy.read_bytes() == mp4.read_bytes()
    assert backend.export_sized(channel="telegram").data["size"]["attempts"] == 0
    assert mp4 in {m.path for m in backend.current_job().outputs}


def test_a_soft_rendition_is_burned_for_a_chat_and_says_so(
    home: Path, tmp_path: Path, blue_clip: Path
) -> None:
    backend = _backend(home, tmp_path, blue_clip, burn=False)
    sent = backend.export_sized(channel="whatsapp")
    copy = _video(sent, ".captioned.whatsapp.mp4")
    assert sent.data["size"]["burned_for_chat"] is True
    assert sent.data["size"]["attempts"] >= 1
    assert _bright(frame_at(copy, 1.5)) > 200
    assert "burned into the picture" in render(sent.template, **sent.context)


def test_a_limit_far_above_the_render_is_met_at_full_quality(
    home: Path, tmp_path: Path, blue_clip: Path
) -> None:
    backend = _backend(home, tmp_path, blue_clip)
    sent = backend.export_sized(max_bytes=4_000_000_000)
    size = sent.data["size"]
    assert size["size_bytes"] <= 4_000_000_000 and size["capped"] is False
    assert _video(sent, ".captioned.4000MB.mp4").is_file()


@pytest.mark.parametrize(("fit", "filled"), [("blur", True), ("pad", False)])
def test_a_vertical_frame_is_filled_unless_padding_is_asked_for(
    home: Path, tmp_path: Path, blue_clip: Path, fit: str, filled: bool
) -> None:
    backend = _backend(home, tmp_path, blue_clip, aspect="9:16", fit=fit)
    mp4 = _video(backend.export(), ".captioned.mp4")
    top = frame_at(mp4, 0.2)[40, 540].astype(int)
    blue = np.array(BACKGROUND_RGB)
    assert bool(np.abs(top - blue).max() < 40) is filled
    assert bool(top.max() < 30) is not filled


def test_a_new_version_shares_the_words_and_hears_nothing_again(
    home: Path, tmp_path: Path, blue_clip: Path
) -> None:
    """The clip holds only a tone: recognising it again would find no speech."""
    backend = _backend(home, tmp_path, blue_clip, LONG)
    backend.export()
    made = backend.caption(
        CaptionRequest(path=blue_clip, rendition="tiktok", aspect="9:16", burn=True)
    )
    job = backend.current_job()
    assert list(job.renditions) == ["main", "tiktok"] and job.rendition == "tiktok"
    assert " ".join(w.text for w in job.words) == LONG
    assert job.tracks["en"][0].lines == [LONG]
    assert _bright(frame_at(_video(made, ".captioned.mp4"), 1.5)) > 200
    written = pysubs2.load(str(_video(made, ".tiktok.en.srt")))
    assert made.context["tracks"] == {"en": len(written)} != {"en": 1}  # fitted to 9:16
    said = render(made.template, **made.context)
    assert "made from main" in said and "nothing was recognised again" in said
    assert 'Say "undo the tiktok version"' in said
    assert backend.chat("undo the tiktok version").context
    assert list(backend.current_job().renditions) == ["main"]


def test_a_new_version_that_changes_what_is_heard_is_recognised_again(
    home: Path, tmp_path: Path, blue_clip: Path
) -> None:
    backend = _backend(home, tmp_path, blue_clip)
    with pytest.raises(SkillError) as raised:
        backend.caption(CaptionRequest(path=blue_clip, rendition="de", source_language="de"))
    assert raised.value.code == "no_speech"
    assert backend.current_job().words[0].text == "Mix"
