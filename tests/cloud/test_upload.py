"""Uploads: local checks before any byte is sent, then a streamed multipart body."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from emulator import Emulator, Fault
from skill_runtime.errors import SkillError

from .conftest import Harness


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_file_bytes_arrive_intact_under_the_files_field(
    harness: Harness, emulator: Emulator, video: Path, tmp_path: Path
) -> None:
    other = tmp_path / "second.mov"
    other.write_bytes(b"mov" * 100_000)
    backend = harness.backend()
    backend.upload([video, other], [])
    uploads = backend.conn.session().uploads
    assert [(u.filename, u.hash) for u in uploads] == [
        ("clip.mp4", _digest(video)),
        ("second.mov", _digest(other)),
    ]


def test_upload_declares_its_length_instead_of_chunking(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    harness.backend().upload([video], [])
    (call,) = emulator.state.calls("/upload-video/")
    assert int(call["headers"]["content-length"]) > video.stat().st_size
    assert "transfer-encoding" not in call["headers"]


def test_upload_shows_progress(harness: Harness, video: Path) -> None:
    harness.backend().upload([video], [])
    assert "Uploading clip.mp4: 100%" in harness.stderr.getvalue()


def test_urls_go_as_json(harness: Harness, emulator: Emulator) -> None:
    result = harness.backend().upload([], ["https://example.com/media/talk.mp4"])
    assert result.data["files"][0]["filename"] == "talk.mp4"
    (call,) = emulator.state.calls("/upload-video/")
    assert call["headers"]["content-type"] == "application/json"


def test_unsupported_format_is_refused_before_upload(
    harness: Harness, emulator: Emulator, tmp_path: Path
) -> None:
    doc = tmp_path / "notes.pdf"
    doc.write_bytes(b"%PDF")
    with pytest.raises(SkillError) as err:
        harness.backend().upload([doc], [])
    assert err.value.code == "unsupported_type"
    assert "webm" in err.value.context["supported"]
    assert emulator.state.requests == []


def test_file_over_500_mb_is_refused_before_upload(
    harness: Harness, emulator: Emulator, tmp_path: Path
) -> None:
    big = tmp_path / "big.mp4"
    with big.open("wb") as fh:
        fh.truncate(500 * 1024 * 1024 + 1)
    with pytest.raises(SkillError) as err:
        harness.backend().upload([big], [])
    assert (err.value.code, err.value.context["limit_mb"]) == ("file_too_large", 500)
    assert emulator.state.requests == []


def test_missing_file_is_named(harness: Harness, tmp_path: Path) -> None:
    with pytest.raises(SkillError) as err:
        harness.backend().upload([tmp_path / "gone.mp4"], [])
    assert err.value.code == "file_missing"


@pytest.mark.parametrize(("code", "ours"), [(4001, "unsupported_type"), (4002, "file_too_large")])
def test_server_side_file_refusals_map_to_our_codes(
    harness: Harness, emulator: Emulator, video: Path, code: int, ours: str
) -> None:
    backend = harness.backend()
    backend.setup()
    emulator.state.inject("upload", Fault(code=code))
    with pytest.raises(SkillError) as err:
        backend.upload([video], [])
    assert err.value.code == ours
