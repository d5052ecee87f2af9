"""Two commands on one state folder: neither drops what the other wrote to the session."""

from __future__ import annotations

from pathlib import Path

from skill_runtime.cloud.sessions import Sessions

from .conftest import Harness


def test_an_upload_by_another_command_survives_this_ones(
    harness: Harness, video: Path, tmp_path: Path
) -> None:
    first, second = harness.backend(), harness.backend()
    first.upload([video], [])
    other = tmp_path / "other.mp4"
    other.write_bytes(video.read_bytes())
    second.upload([other], [])
    first.upload([video], [])
    record = Sessions(harness.ctx.store).load()
    assert record is not None
    assert len(record.uploads) == 3
