"""State is written whole or not at all, readable only by the user."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from pydantic import BaseModel

from skill_runtime import atomic
from skill_runtime.store import Store, home


class Token(BaseModel):
    token: str
    expires_at: float


def test_home_follows_the_environment(isolated_home: Path) -> None:
    assert home() == isolated_home.resolve()


def test_saved_documents_are_private(isolated_home: Path) -> None:
    store = Store()
    store.save("credentials", Token(token="t", expires_at=1.0))
    assert stat.S_IMODE(os.stat(store.path("credentials")).st_mode) == 0o600


def test_round_trip(isolated_home: Path) -> None:
    store = Store()
    store.save("credentials", Token(token="t", expires_at=2.0))
    assert store.load("credentials", Token) == Token(token="t", expires_at=2.0)


def test_unreadable_document_reads_as_missing(isolated_home: Path) -> None:
    store = Store()
    store.root.mkdir(parents=True)
    store.path("credentials").write_text("{not json")
    assert store.load("credentials", Token) is None


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.srt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic.atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash mid-write")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_temporary_name_keeps_the_suffix_for_tools_that_guess_formats(tmp_path: Path) -> None:
    assert atomic.temp_sibling(tmp_path / "clip.en.mp4").suffix == ".mp4"
