"""The encoding bar climbs and ends at 100 %, as the user sees it in a log."""

from __future__ import annotations

import io
import re
from pathlib import Path

from skill_runtime.local.render import ffmpeg
from skill_runtime.progress import Progress


def test_encoding_progress_only_climbs_and_ends_at_100(tmp_path: Path) -> None:
    log = io.StringIO()
    ffmpeg.run(
        [
            *("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "4"),
            *("-c:v", "libx264", "-preset", "ultrafast", str(tmp_path / "out.mp4")),
        ],
        duration=4.0,
        progress=Progress(stream=log),
    )
    percents = [int(p) for p in re.findall(r"Encoding video: (\d+)%", log.getvalue())]
    assert percents == sorted(percents)
    assert percents[-1] == 100
