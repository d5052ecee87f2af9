"""File types have two homes in skill.yaml, one per fact: what NemoVideo's upload accepts
(`formats`) and what the local backend reads (`local.video_extensions`/`audio_extensions`)."""

from __future__ import annotations

from pathlib import Path

from skill_runtime.batch.sources import expand
from skill_runtime.config import config

CLOUD = config().formats
LOCAL = config().local


def test_the_local_backend_reads_every_file_the_cloud_takes() -> None:
    assert set(CLOUD.video) <= set(LOCAL.video_extensions)
    assert set(CLOUD.audio) <= set(LOCAL.audio_extensions)


def test_a_type_is_video_or_audio_never_both() -> None:
    assert not set(LOCAL.video_extensions) & set(LOCAL.audio_extensions)
    assert LOCAL.media_extensions == [*LOCAL.video_extensions, *LOCAL.audio_extensions]


def test_a_batch_folder_yields_every_local_video_type_and_no_audio(tmp_path: Path) -> None:
    for ext in LOCAL.media_extensions:
        (tmp_path / f"clip.{ext}").write_bytes(b"x")
    found = expand(
        [str(tmp_path)],
        folder_extensions=LOCAL.video_extensions,
        file_extensions=LOCAL.media_extensions,
        skip=None,
    )
    assert sorted(p.suffix[1:] for p in found) == sorted(LOCAL.video_extensions)
