"""The manifest: each file's state, committed the moment it is recorded."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from skill_runtime.batch.manifest import FILE_NAME, Manifest, options_key
from skill_runtime.captions import Word
from skill_runtime.results import MediaFile


def test_an_outcome_is_on_disk_as_soon_as_it_is_recorded(tmp_path: Path) -> None:
    source = tmp_path / "ep1.mp4"
    words = [Word(text="Hello", start=0.5, end=0.9, probability=0.9)]
    srt = MediaFile(path=tmp_path / "ep1.en.srt", kind="subtitles", language="en", format="srt")
    manifest = Manifest(tmp_path)
    manifest.add(source, "ep1", 100, 7)
    manifest.record(
        source,
        state="done",
        recognise_key="r",
        render_key="v",
        language="en",
        words=words,
        outputs=[srt],
        seconds=1.5,
    )
    # Another connection (a later run after a kill) sees it without this one closing.
    row = sqlite3.connect(tmp_path / FILE_NAME).execute("SELECT state FROM files").fetchone()
    assert row == ("done",)
    entry = Manifest(tmp_path).get(source)
    assert entry is not None
    assert (entry.state, entry.words, entry.outputs, entry.language) == ("done", words, [srt], "en")
    manifest.close()


def test_adding_a_file_again_keeps_its_state_and_name(tmp_path: Path) -> None:
    source = tmp_path / "ep1.mp4"
    with Manifest(tmp_path) as manifest:
        manifest.add(source, "ep1", 100, 7)
        manifest.record(
            source,
            state="failed",
            recognise_key=None,
            render_key=None,
            language=None,
            words=None,
            outputs=[],
            error="corrupt_media",
            message="broken",
        )
        manifest.add(source, "other", 200, 8)
        entry = manifest.get(source)
    assert entry is not None
    assert (entry.name, entry.state, entry.error, entry.size) == (
        "ep1",
        "failed",
        "corrupt_media",
        200,
    )


def test_option_keys_change_with_any_option_and_not_with_key_order() -> None:
    assert options_key({"a": 1, "b": [1, 2]}) == options_key({"b": [1, 2], "a": 1})
    assert options_key({"a": 1}) != options_key({"a": 2})


def _wrong_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE files (path TEXT, colour TEXT)")
    db.execute("INSERT INTO files VALUES ('a.mp4', 'red')")
    db.commit()
    db.close()


def _bad_row(path: Path) -> None:
    with Manifest(path.parent) as manifest:
        manifest.add(Path("/v/a.mp4"), "a", 1, 1)
    db = sqlite3.connect(path)
    db.execute("UPDATE files SET words = '[{\"text\": 5' WHERE path = '/v/a.mp4'")
    db.commit()
    db.close()


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not a database at all\x00" * 100),
        lambda p: p.write_bytes(b""),
        _wrong_schema,
        _bad_row,
    ],
    ids=["garbage", "empty", "wrong_schema", "bad_row"],
)
def test_a_damaged_manifest_is_set_aside_and_the_batch_starts_afresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: Callable[[Path], None]
) -> None:
    path = tmp_path / FILE_NAME
    damage(path)
    before = path.read_bytes()
    with Manifest(tmp_path) as manifest:
        assert manifest.entries() == {}
        manifest.add(Path("/v/b.mp4"), "b", 1, 1)
    kept = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    if before:
        (aside,) = kept
        assert aside.read_bytes() == before
        assert str(aside) in capsys.readouterr().err
    with Manifest(tmp_path) as manifest:
        assert list(manifest.entries()) == [Path("/v/b.mp4")]
