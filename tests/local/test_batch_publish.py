"""A batch file's finished set moves into the output folder without replacing foreign files."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill_runtime.batch.worker import FileJob, publish
from skill_runtime.context import CaptionRequest
from skill_runtime.results import MediaFile


def _set(work: Path, stem: str) -> list[MediaFile]:
    work.mkdir(parents=True, exist_ok=True)
    media = []
    for suffix, kind in ((".en.srt", "subtitles"), (".subtitled.mp4", "video")):
        path = work / f"{stem}{suffix}"
        path.write_text(f"new {suffix}")
        media.append(MediaFile(path=path, kind=kind))
    return media


def _job(source: Path, *, replaceable: list[Path], overwrite: bool) -> FileJob:
    return FileJob(
        path=source,
        name="intro",
        request=CaptionRequest(path=source),
        recognise_key="r",
        render_key="k",
        replaceable=replaceable,
        overwrite=overwrite,
    )


@pytest.mark.parametrize(
    ("own", "overwrite", "stem", "foreign_kept"),
    [
        (False, False, "intro-2", True),  # someone else's file: the set takes a numbered name
        (True, False, "intro", False),  # this file's earlier output: replaced in place
        (False, True, "intro", False),  # --overwrite: replaced
    ],
)
def test_a_taken_name_is_replaced_only_when_it_is_ours_or_overwrite_is_asked(
    tmp_path: Path, own: bool, overwrite: bool, stem: str, foreign_kept: bool
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    taken = out / "intro.en.srt"
    taken.write_text("someone's own subtitles")
    media = _set(out / ".work" / "intro", "source name")
    job = _job(
        tmp_path / "source name.mp4", replaceable=[taken] if own else [], overwrite=overwrite
    )

    moved = publish(media, "source name", job, out)

    assert [m.path.name for m in moved] == [f"{stem}.en.srt", f"{stem}.subtitled.mp4"]
    assert all(m.path.read_text().startswith("new ") for m in moved)
    assert (taken.read_text() == "someone's own subtitles") is foreign_kept
    assert not any(m.path.exists() for m in media)
